// `aiconfig batch --queue` with two `aiconfig worker` processes on a real redis-server,
// one of them killed with SIGKILL half-way: every row is in the results once.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startOpenAICompatibleMock, startRedisServer } from "@aiconfig-ts/testing";
import { startAiconfig } from "./batch-cli.test.helper.js";

const start = startAiconfig;

test("queue mode: two workers, one killed with SIGKILL mid-batch; its rows are taken over and every row is in the results once", async () => {
  const redis = await startRedisServer();
  const mock = await startOpenAICompatibleMock({ latencyMs: 150 });
  const env = { OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: mock.baseURL };
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-queue-"));
  const file = join(dir, "eval.aiconfig.json");
  writeFileSync(
    file,
    JSON.stringify({
      name: "queue test",
      schema_version: "latest",
      metadata: { default_model: "gpt-4o-mini", models: { "gpt-4o-mini": { model: "gpt-4o-mini" } } },
      prompts: [{ name: "ask", input: "Q {{q}}", metadata: { model: "gpt-4o-mini" } }],
    }),
  );
  const out = join(dir, "out.jsonl");
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
