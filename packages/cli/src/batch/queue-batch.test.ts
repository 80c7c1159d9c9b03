// `aiconfig batch --queue` with two `aiconfig worker` processes on a real redis-server,
// one of them killed with SIGKILL half-way: every row is in the results once.
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { startOpenAICompatibleMock, startRedisServer, startReplayServer } from "@aiconfig-ts/testing";
import { aiconfigWorkspace, startAiconfig } from "./batch-cli.test.helper.js";

const start = startAiconfig;

/** An aiconfig whose prompt `ask` sends `Q {{q}}` to gpt-4o-mini (constructed), and a results path beside it. */
const workspace = () => aiconfigWorkspace();

const lines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);

const grid = (n: number) => `q=${Array.from({ length: n }, (_, i) => String(i)).join(",")}`;

/** Waits until `ready()` or `ms` pass. */
async function until(ready: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!ready() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

test("queue mode: two workers, one killed with SIGKILL mid-batch; its rows are taken over and every row is in the results once", async () => {
  const redis = await startRedisServer();
  const mock = await startOpenAICompatibleMock({ latencyMs: 150 });
  const env = { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: mock.baseURL };
  const { file, out } = workspace();
  const workerArgs = ["worker", "--queue", redis.url, "--concurrency", "2", "--lock-ms", "1500"];
  const doomed = start(workerArgs, env);
  const survivor = start(workerArgs, env);
  try {
    const values = Array.from({ length: 40 }, (_, i) => String(i)).join(",");
    const batch = start(["batch", file, "--prompt", "ask", "--grid", `q=${values}`, "--queue", redis.url, "--out", out], env);
    const journal = `${out}.journal.jsonl`;
    while (!existsSync(journal) || readFileSync(journal, "utf8").split("\n").length < 12) {
      if (batch.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    doomed.kill("SIGKILL");
    const result = await batch.done;
    assert.equal(result.code, 0, result.stderr);
    const rows = readFileSync(out, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      rows.map((row) => row.index),
      Array.from({ length: 40 }, (_, i) => i),
    );
    assert.ok(rows.every((row) => !row.error && row.output === `echo: Q ${row.parameters.q}`));
    for (let i = 0; i < 40; i++) assert.ok((mock.answered.get(`Q ${i}`) ?? 0) >= 1, `row ${i} ran`);
    assert.match(result.stderr, /batch: 40 rows run in .*0 failed/);
    survivor.kill("SIGTERM");
    const { code } = await survivor.done;
    assert.equal(code, 0, "a worker stops on SIGTERM after the rows in progress");
  } finally {
    doomed.kill("SIGKILL");
    survivor.kill("SIGTERM");
    await Promise.race([survivor.done, new Promise((r) => setTimeout(r, 15_000))]);
    survivor.kill("SIGKILL");
    await mock.close();
    await redis.stop();
  }
});

test("queue mode --resume after the collecting `aiconfig batch` was killed: results the workers pushed meanwhile are kept, no row runs twice, none is lost", async () => {
  const redis = await startRedisServer();
  const mock = await startOpenAICompatibleMock({ latencyMs: 100 });
  const env = { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: mock.baseURL };
  const { file, out } = workspace();
  const journal = `${out}.journal.jsonl`;
  const worker = start(["worker", "--queue", redis.url, "--concurrency", "2"], env);
  try {
    const args = ["batch", file, "--prompt", "ask", "--grid", grid(60), "--queue", redis.url, "--out", out];
    const collector = start(args, env);
    await until(() => lines(journal).length >= 6 || collector.exitCode !== null, 60_000);
    collector.kill("SIGKILL");
    await collector.done;
    const collected = lines(journal).length;
    assert.ok(collected >= 6 && collected < 60, `killed half-way (${collected} rows collected)`);
    // Rows finish while no collector runs: only Redis holds their results.
    const okAtKill = mock.stats.ok;
    await until(() => mock.stats.ok >= okAtKill + 6, 30_000);

    const resumed = await start([...args, "--resume"], env).done;
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /rows already done \(\d+ of them collected from the queue\)/);
    const rows = lines(out).map((line) => JSON.parse(line));
    assert.deepEqual(
      rows.map((row) => row.index),
      Array.from({ length: 60 }, (_, i) => i),
      "every row once, in input order",
    );
    assert.ok(rows.every((row) => !row.error && row.output === `echo: Q ${row.parameters.q}`));
    for (let i = 0; i < 60; i++) assert.equal(mock.answered.get(`Q ${i}`), 1, `row ${i} ran once`);
  } finally {
    worker.kill("SIGTERM");
    await Promise.race([worker.done, new Promise((r) => setTimeout(r, 15_000))]);
    worker.kill("SIGKILL");
    await mock.close();
    await redis.stop();
  }
});

test("queue mode: a batch started again without --resume replaces the unfinished run: the old run's queued rows are dropped, not run", async () => {
  const redis = await startRedisServer();
  const mock = await startOpenAICompatibleMock();
  const env = { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: mock.baseURL };
  const { file, out } = workspace();
  const args = ["batch", file, "--prompt", "ask", "--grid", grid(20), "--queue", redis.url, "--out", out];
  let worker: ReturnType<typeof start> | undefined;
  try {
    // No worker yet: the first run's rows wait on the queue; its collector is stopped.
    const first = start(args, env);
    let stderr = "";
    first.stderr?.on("data", (d) => {
      stderr += d;
    });
    await until(() => /20 rows on the queue/.test(stderr) || first.exitCode !== null, 60_000);
    assert.match(stderr, /20 rows on the queue/);
    first.kill("SIGKILL");
    await first.done;
    // Without --resume the unfinished batch's journal is refused, with one line, and nothing is left running.
    const refused = await start(args, env).done;
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /holds the results of a batch that did not finish: add --resume to continue it, or delete it to start over/,
    );
    // Started over (the journal deleted, as that line says): a new run with the same rows.
    rmSync(`${out}.journal.jsonl`, { force: true });
    const second = start(args, env);
    let secondErr = "";
    second.stderr?.on("data", (d) => {
      secondErr += d;
    });
    await until(() => /20 rows on the queue/.test(secondErr) || second.exitCode !== null, 60_000);
    // The old run's 20 rows and the new run's 20 are on the queue now; a worker comes.
    worker = start(["worker", "--queue", redis.url, "--concurrency", "4"], env);
    const r = await second.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(out).length, 20);
    // Let the worker reach every job left on the queue (the old run's included) before counting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (let i = 0; i < 20; i++) assert.equal(mock.answered.get(`Q ${i}`), 1, `row ${i} ran once, for the new run only`);
    assert.equal(mock.stats.requests, 20);
  } finally {
    worker?.kill("SIGTERM");
    if (worker) await Promise.race([worker.done, new Promise((r) => setTimeout(r, 15_000))]);
    worker?.kill("SIGKILL");
    await mock.close();
    await redis.stop();
  }
});

test("queue mode: a worker runs an offline model's rows one at a time through the one model, whatever its --concurrency", async () => {
  const redis = await startRedisServer();
  const { file, out } = workspace();
  // A constructed offline provider (a --providers module) that answers with how many of its runs were in flight.
  const providers = join(dirname(file), "offline-providers.mjs");
  writeFileSync(
    providers,
    `let inFlight = 0;
export function register(registry) {
  registry.register(
    {
      id: "test-offline",
      specificationVersion: "v1",
      capabilities: { tasks: ["text-generation"], streams: false, chat: false, offline: true },
      resolve: (ctx) => ctx.input.text,
      run: async () => {
        inFlight++;
        const seen = inFlight;
        await new Promise((r) => setTimeout(r, 30));
        inFlight--;
        return [{ output_type: "execute_result", data: \`in flight: \${seen}\`, execution_count: 0, metadata: {} }];
      },
    },
    ["gpt-4o-mini"],
  );
}
`,
  );
  const worker = start(["worker", "--queue", redis.url, "--concurrency", "4", "--providers", providers], {});
  try {
    const r = await start(["batch", file, "--prompt", "ask", "--grid", grid(12), "--queue", redis.url, "--out", out], {}).done;
    assert.equal(r.code, 0, r.stderr);
    const rows = lines(out).map((line) => JSON.parse(line));
    assert.equal(rows.length, 12);
    assert.deepEqual(new Set(rows.map((row) => row.output)), new Set(["in flight: 1"]));
  } finally {
    worker.kill("SIGTERM");
    await Promise.race([worker.done, new Promise((r) => setTimeout(r, 15_000))]);
    worker.kill("SIGKILL");
    await redis.stop();
  }
});

test("--queue with --concurrency is refused with one line saying where it goes (each worker's own)", async () => {
  const { file } = workspace();
  const base = ["batch", file, "--prompt", "ask", "--grid", "q=a", "--queue", "redis://127.0.0.1:1"];
  const concurrency = await start([...base, "--concurrency", "4"], {}).done;
  assert.equal(concurrency.code, 2);
  assert.match(concurrency.stderr, /give it to `aiconfig worker --concurrency N`/);
  assert.doesNotMatch(concurrency.stderr, /\n\s+at /, "no stack trace");
});

test("queue mode --tpm is one budget for all workers: two workers together send no more than a second's worth of tokens a second (server-recorded arrivals)", async () => {
  const redis = await startRedisServer();
  // A server speaking OpenAI's chat completions (constructed reply, the documented shape) that records when each
  // request arrives; every row uses 100 tokens, a second's worth of --tpm 6000.
  const server = await startReplayServer();
  const arrivals: number[] = [];
  server.fallback(async (req, res) => {
    // The warm-up rows (below) are answered slowly so that both workers take some; they are not counted.
    if (JSON.stringify(req.body).includes("warm-up")) await new Promise((r) => setTimeout(r, 200));
    else arrivals.push(performance.now());
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        id: "chatcmpl-tpm",
        object: "chat.completion",
        created: 1,
        model: req.body.model,
        choices: [{ index: 0, message: { role: "assistant", content: "ok", refusal: null }, finish_reason: "stop", logprobs: null }],
        usage: { prompt_tokens: 20, completion_tokens: 80, total_tokens: 100 },
      }),
    );
  });
  const env = { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: `${server.url}/v1` };
  // A long prompt makes each request's estimate (its JSON / 4) more than a second's worth, so each takes the whole second's tokens.
  const { file, out } = aiconfigWorkspace({ "gpt-4o-mini": { model: "gpt-4o-mini" } }, [
    { name: "ask", input: `Q {{q}} ${"padding ".repeat(80)}`, metadata: { model: "gpt-4o-mini" } },
  ]);
  const workers = [0, 1].map(() => start(["worker", "--queue", redis.url, "--concurrency", "3"], env));
  try {
    // A batch without --tpm first, so that each worker has loaded the provider's SDK before the measured one (a
    // request's first run there loads it between taking its tokens and sending, which delays that one arrival).
    const warm = aiconfigWorkspace({ "gpt-4o-mini": { model: "gpt-4o-mini" } }, [
      { name: "ask", input: "warm-up {{q}}", metadata: { model: "gpt-4o-mini" } },
    ]);
    const warmed = await start(["batch", warm.file, "--prompt", "ask", "--grid", grid(12), "--queue", redis.url, "--out", warm.out], env)
      .done;
    assert.equal(warmed.code, 0, warmed.stderr);
    const rows = 6;
    const r = await start(
      ["batch", file, "--prompt", "ask", "--grid", grid(rows), "--queue", redis.url, "--tpm", "6000", "--out", out],
      env,
    ).done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(out).length, rows);
    assert.equal(arrivals.length, rows);
    arrivals.sort((x, y) => x - y);
    // One second's tokens at a time, whichever worker takes them: row i arrives at least i seconds after the first
    // (less a little for the time between taking the tokens and the request's arrival). Each worker counting its
    // own --tpm would let both send in the same second (about 2.5 s for the six).
    const span = arrivals.at(-1)! - arrivals[0]!;
    assert.ok(span >= (rows - 1) * 1000 - 300, `six rows of a second's tokens each arrived within ${span.toFixed(0)} ms`);
  } finally {
    for (const w of workers) w.kill("SIGTERM");
    await Promise.race([Promise.all(workers.map((w) => w.done)), new Promise((r) => setTimeout(r, 15_000))]);
    for (const w of workers) w.kill("SIGKILL");
    await server.close();
    await redis.stop();
  }
});
