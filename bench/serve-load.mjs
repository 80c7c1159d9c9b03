#!/usr/bin/env node
// Load benchmark of the hosted notebook (`aiconfig serve`), loopback only and bounded:
// N concurrent visitor sessions (default 200), each opening the notebook (page + state), running
// one prompt on an OpenAI-compatible mock that answers after 200 ms, and one on the local model
// (stories260K) through the queue. Reports p50/p99 time to first token (first streamed piece or
// output), errors, and the server's memory per idle session; then the same with two server
// processes on one redis-server, visitors alternating between them.
//
//   node bench/serve-load.mjs [--visitors 200] [--idle 1000] [--no-redis] [--json]
//
// --json prints, as the last line of stdout, {"rows":[...],"notes":[...]}: the rows `npm run bench`
// (scripts/bench.mjs) puts in BENCHMARKS.md, each against issue 10's goal; without it, the figures
// as JSON and a Markdown table. Bounded: every visitor gives up after 10 minutes (about 2 minutes in
// all on an idle 2-core machine).
//
// Needs ../shared/models/stories260K.gguf (or AICONFIG_MODELS_DIR) and redis-server on PATH.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const VISITORS = opt("visitors", 200);
const IDLE = opt("idle", 1000);
const REDIS = !args.includes("--no-redis");
const JSON_OUT = args.includes("--json");
const MOCK_LATENCY_MS = 200;
const DEADLINE = Date.now() + 10 * 60_000;
const modelsDir = process.env.AICONFIG_MODELS_DIR ?? join(root, "..", "shared", "models");

const chunks = readFileSync(join(root, "..", "shared", "fixtures", "providers", "openai", "openai-text.chunks.txt"), "utf8")
  .split("\n")
  .filter((l) => l.trim());

/** An OpenAI-compatible chat server on loopback: the recorded stream, first piece after 200 ms. */
async function startMock() {
  const server = createServer(async (req, res) => {
    for await (const _ of req);
    await new Promise((r) => setTimeout(r, MOCK_LATENCY_MS));
    res.writeHead(200, { "content-type": "text/event-stream" });
    for (const c of chunks) res.write(`data: ${c}\n\n`);
    res.end("data: [DONE]\n\n");
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/v1`, close: () => new Promise((r) => server.close(r)) };
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

async function startRedis() {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", () => reject(new Error(`redis-server exited: ${out}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function startServe(file, extra, env) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", join(root, "packages/cli/src/bin.ts"), "serve", file, "--port", String(port), ...extra],
    { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let err = "";
  child.stderr.on("data", (d) => {
    err += d;
  });
  while (!/Press Ctrl\+C/.test(err)) {
    if (child.exitCode !== null) throw new Error(err);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill() };
}

function rssKb(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
}

/** One browser-like visitor: a cookie jar and the page's Origin. */
function visitor(origins) {
  let cookie = "";
  let n = 0;
  const call = async (path, init = {}) => {
    const origin = origins[n++ % origins.length];
    const headers = { origin, ...(cookie ? { cookie } : {}), ...(init.json ? { "content-type": "application/json" } : {}) };
    const res = await fetch(origin + path, {
      method: init.json ? "POST" : "GET",
      headers,
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    const set = res.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0];
    return res;
  };
  return { call };
}

/** Runs a prompt; resolves with ms to the first streamed piece or output, or throws. */
async function timeToFirstToken(v, config, prompt) {
  const t0 = performance.now();
  const started = await v.call("/api/runs", { json: { config, mode: "one", prompt } });
  if (!started.ok) throw new Error(`run ${prompt}: ${started.status} ${await started.text()}`);
  const { runId } = await started.json();
  const res = await v.call(`/api/runs/${runId}/events`);
  const decoder = new TextDecoder();
  let buffer = "";
  let first;
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const data = buffer.slice(0, end).replace(/^data: ?/m, "");
      buffer = buffer.slice(end + 2);
      const e = JSON.parse(data);
      if (first === undefined && (e.type === "delta" || e.type === "outputs")) first = performance.now() - t0;
      if (e.type === "error") throw new Error(`${prompt}: ${e.message}`);
      if (e.type === "skipped") throw new Error(`${prompt}: ${e.reason}`);
      if (e.type === "done") {
        if (!e.ok) throw new Error(`${prompt}: ${e.error ?? "failed"}`);
        return first;
      }
    }
  }
  throw new Error(`${prompt}: the event stream ended before done`);
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};

async function scenario(label, origins, pids) {
  // warm-up (not counted): each process loads the provider SDKs and the local model once
  for (const origin of origins) {
    const v = visitor([origin]);
    const { config } = await (await v.call("/api/state")).json();
    await timeToFirstToken(v, config, "cloud");
    await timeToFirstToken(v, config, "local");
  }
  // memory per idle session (before the load, after the warm-up): RSS growth over IDLE sessions that only opened the page
  const before = pids.reduce((s, p) => s + rssKb(p), 0);
  for (let i = 0; i < IDLE; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, IDLE - i) }, async () => {
        const v = visitor(origins);
        await (await v.call("/api/state")).arrayBuffer();
      }),
    );
  await new Promise((r) => setTimeout(r, 1000));
  const after = pids.reduce((s, p) => s + rssKb(p), 0);
  const cloud = [];
  const local = [];
  const errors = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: VISITORS }, async (_, i) => {
      const v = visitor(i % 2 === 0 ? origins : [...origins].reverse());
      try {
        if (Date.now() > DEADLINE) throw new Error("deadline");
        const page = await v.call("/");
        if (!page.ok) throw new Error(`page ${page.status}`);
        await page.arrayBuffer();
        const { config } = await (await v.call("/api/state")).json();
        cloud.push(await timeToFirstToken(v, config, "cloud"));
        local.push(await timeToFirstToken(v, config, "local"));
      } catch (e) {
        errors.push(`${e.message.split("\n")[0]}${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ""}`);
      }
    }),
  );
  const wallS = (performance.now() - t0) / 1000;
  return {
    label,
    visitors: VISITORS,
    wallS: Number(wallS.toFixed(1)),
    cloudTtftMs: { p50: Math.round(pct(cloud, 50)), p99: Math.round(pct(cloud, 99)) },
    localTtftMs: { p50: Math.round(pct(local, 50)), p99: Math.round(pct(local, 99)) },
    errors: errors.length,
    errorKinds: [...new Set(errors)].slice(0, 3),
    idleSessions: IDLE,
    kbPerIdleSession: Number(((after - before) / IDLE).toFixed(1)),
  };
}

const dir = mkdtempSync(join(tmpdir(), "aiconfig-serve-bench-"));
const file = join(dir, "bench.aiconfig.json");
writeFileSync(
  file,
  JSON.stringify({
    name: "serve load benchmark",
    schema_version: "latest",
    metadata: { parameters: {} },
    prompts: [
      { name: "cloud", input: "Invent a holiday", metadata: { model: { name: "gpt-4o-mini", settings: { max_retries: 0 } } } },
      {
        name: "local",
        input: "Once upon a time",
        metadata: { model: { name: "stories260K", settings: { max_tokens: 16, temperature: 0 } } },
      },
    ],
  }),
);
const mock = await startMock();
const env = { OPENAI_API_KEY: "sk-bench-owner-key", OPENAI_BASE_URL: mock.url, AICONFIG_MODELS_DIR: modelsDir };
const common = ["--share-owner-keys", "--max-sessions", String(VISITORS + IDLE + 100), "--local-queue", String(VISITORS + 10)];
const results = [];
try {
  const one = await startServe(file, [...common, "--store", join(dir, "store")], env);
  try {
    results.push(await scenario("1 process, folder store", [one.origin], [one.pid]));
  } finally {
    one.stop();
  }
  if (REDIS) {
    const redis = await startRedis();
    const a = await startServe(file, [...common, "--store", redis.url], env);
    const b = await startServe(file, [...common, "--store", redis.url], env);
    try {
      results.push(await scenario("2 processes, Redis store, visitors alternating", [a.origin, b.origin], [a.pid, b.pid]));
    } finally {
      a.stop();
      b.stop();
      redis.stop();
    }
  }
} finally {
  await mock.close();
}

const GOAL_ERRORS = "errors: none (issue 10)";
const GOAL_IDLE_KB = 200;
const out = { rows: [], notes: [] };
for (const r of results) {
  const setup = r.label.startsWith("2 processes")
    ? "two `aiconfig serve` processes on one redis-server (visitors alternating between them)"
    : "one `aiconfig serve` process, folder store";
  out.rows.push({
    measure: `Hosted notebook, ${setup}: ${r.visitors} concurrent visitor sessions, each opening the page and running one prompt on an OpenAI-compatible mock answering after ${MOCK_LATENCY_MS} ms and one on the local model (stories260K) through the queue: errors, and time to first token p50 / p99`,
    ours: `**${r.errors} errors**${r.errorKinds.length ? ` (${r.errorKinds.join("; ")})` : ""}; time to first token: cloud ${r.cloudTtftMs.p50} / ${r.cloudTtftMs.p99} ms, local (queued, one run at a time) ${r.localTtftMs.p50} / ${r.localTtftMs.p99} ms; ${r.wallS} s in all`,
    baseline: "—",
    goal: GOAL_ERRORS,
    result: r.errors === 0 ? "met" : "missed",
  });
  out.rows.push({
    measure: `The same setup (${r.label.startsWith("2 processes") ? "two processes on Redis" : "one process"}): server memory per idle session (RSS growth over ${r.idleSessions.toLocaleString("en-US")} sessions that only opened the page, after a warm-up, before the load)`,
    ours: `**${r.kbPerIdleSession} KB**`,
    baseline: "—",
    goal: `< ${GOAL_IDLE_KB} KB (issue 10)`,
    result: r.kbPerIdleSession < GOAL_IDLE_KB ? "met" : "missed",
  });
}
out.notes.push(
  "Loopback only. Time to first token is from `POST /api/runs` to the first streamed piece or output on the run's event stream. The servers run from the TypeScript sources through tsx (`aiconfig serve` from `packages/cli/src/bin.ts`), owners' keys shared with `--share-owner-keys`.",
  "The local model's queue serialises the runs (one model in memory): its p99 is the line's length. With Redis, a visitor whose requests alternate follows a run from the process that does not run it by polling the run's event list (50 ms when idle), which adds to the first token.",
);
if (JSON_OUT) {
  console.log(JSON.stringify(out));
  process.exit(0);
}
console.log(JSON.stringify(results, null, 2));
console.log("\n| setup | visitors | wall s | cloud TTFT p50 / p99 ms | local (queued) TTFT p50 / p99 ms | errors | KB per idle session |");
console.log("|---|---|---|---|---|---|---|");
for (const r of results)
  console.log(
    `| ${r.label} | ${r.visitors} | ${r.wallS} | ${r.cloudTtftMs.p50} / ${r.cloudTtftMs.p99} | ${r.localTtftMs.p50} / ${r.localTtftMs.p99} | ${r.errors} | ${r.kbPerIdleSession} |`,
  );
