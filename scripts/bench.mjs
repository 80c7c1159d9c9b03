#!/usr/bin/env node
// The benchmark of issue 3 (`npm run bench`): this implementation
// (@aiconfig-ts/core + @aiconfig-ts/openai, built) against the original SDK
// (npm aiconfig 1.1.15, installed as `aiconfig-original`), side by side in one
// run, against one local OpenAI-compatible server on 127.0.0.1 with no added
// latency (bench/lib/server.mjs, its own process). Every measurement runs in a
// fresh worker process (bench/ours-worker.mjs, bench/original-sdk.cjs); ratios
// are taken between contenders measured interleaved in the same process.
//
// Usage: node scripts/bench.mjs [--quick] [--no-build] [--only=SECTION,...]
//   --quick      fewer iterations (a smoke run of a minute or two; figures are rough)
//   --no-build   do not run `tsc -b` on core and openai first (dist must be current)
//   --only=      some of: footprint,coldstart,overhead,stream,resolve,file
// Prints a table; writes bench-results/bench.json and bench-results/bench.md
// (bench-quick*.json / bench-SECTIONS.json for --quick / --only runs).
// A benchmark, not a test: nothing here fails on a slow figure.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { bigConfig, chatConfig, onePromptConfig, writeConfig } from "../bench/lib/configs.mjs";
import { coldStart } from "../bench/lib/cold-start.mjs";
import { footprint } from "../bench/lib/footprint.mjs";
import { resultsDir, root, scratchDir } from "../bench/lib/paths.mjs";

// Provider packages are optional peers of the CLI: a user installs the ones they use.
const PROVIDER_FOLDERS = ["llama", "openai", "anthropic", "gemini", "huggingface", "local-speech", "local-vision"].map(
  (p) => `packages/${p}`,
);

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const wants = (section) => !only || only.includes(section);

const settings = quick
  ? {
      overhead: { iterations: 60, warmup: 10 },
      stream: { iterations: 30, warmup: 5 },
      processes: 1,
      oursSizes: [250, 1000, 10_000],
      originalSizes: [250],
      originalCapMs: 20_000,
      resolveRepeats: 5,
      coldRuns: 5,
      fileRepeats: 2,
    }
  : {
      overhead: { iterations: 300, warmup: 50 },
      stream: { iterations: 100, warmup: 20 },
      processes: 3,
      oursSizes: [250, 500, 1000, 10_000, 20_000],
      originalSizes: [250, 500, 1000],
      originalCapMs: 90_000,
      resolveRepeats: 20,
      coldRuns: 25,
      fileRepeats: 5,
    };

const log = (line) => process.stderr.write(`${line}\n`);
const processes = `${settings.processes} process${settings.processes === 1 ? "" : "es"}`;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

// ------------------------------------------------------------------ setup

if (!args.includes("--no-build")) {
  log("building @aiconfig-ts/core and @aiconfig-ts/openai (tsc -b) ...");
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-b", "packages/core/tsconfig.json", "packages/openai/tsconfig.json"], {
    cwd: root,
    stdio: "inherit",
  });
  if (r.status !== 0) {
    log("the build failed: fix the type errors above, or run with --no-build on the current dist");
    process.exit(1);
  }
}

mkdirSync(scratchDir, { recursive: true });
const originalCwd = join(scratchDir, "original-cwd"); // 1.1.15 writes ./aiconfig.log
mkdirSync(originalCwd, { recursive: true });
const files = { one: join(scratchDir, "one-prompt.aiconfig.json") };
writeConfig(files.one, onePromptConfig());

const machine = {
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  date: new Date().toISOString(),
  commit: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).stdout.trim(),
};
log(`machine: ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAverageAtStart.join(" ")}`);

/** Starts the bench server; resolves to { port, stop }. */
async function startServer() {
  const child = spawn(process.execPath, [join(root, "bench", "lib", "server.mjs")], { stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the bench server exited (${code})`)));
    createInterface({ input: child.stdout }).once("line", resolve);
  });
  const { port } = JSON.parse(line);
  return {
    port,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", resolve);
        child.stdin.end();
      }),
  };
}

/**
 * Runs a worker to completion and returns the JSON it printed last.
 * @returns {{ result?: object, timedOut?: boolean, error?: string, wallMs: number }}
 */
function runWorker(impl, workerArgs, { timeoutMs = 600_000 } = {}) {
  const script = impl === "ours" ? join(root, "bench", "ours-worker.mjs") : join(root, "bench", "original-sdk.cjs");
  const start = Date.now();
  const r = spawnSync(process.execPath, ["--expose-gc", script, ...workerArgs.map(String)], {
    cwd: impl === "ours" ? root : originalCwd,
    env: { ...process.env, OPENAI_API_KEY: "bench-key" },
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Date.now() - start;
  if (r.error?.code === "ETIMEDOUT" || (r.signal === "SIGKILL" && wallMs >= timeoutMs)) return { timedOut: true, wallMs };
  if (r.status !== 0) {
    const error = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split("\n").slice(0, 6).join(" | ");
    log(`  ${impl} ${workerArgs[0]} failed: ${error}`);
    return { error, wallMs };
  }
  const last = r.stdout.trim().split("\n").at(-1);
  return { result: JSON.parse(last), wallMs };
}

// ------------------------------------------------------------------ sections

const results = { machine, settings, command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}` };

if (wants("footprint")) {
  log(`[${elapsed()}] install footprint (package-lock.json closure, disk usage)`);
  results.footprint = {
    core: footprint(root, ["packages/core"]),
    coreOpenai: footprint(root, ["packages/core", "packages/openai"]),
    cliOpenai: footprint(root, ["packages/cli", "packages/openai"]),
    cli: footprint(root, ["packages/cli", ...PROVIDER_FOLDERS]),
    original: footprint(root, ["node_modules/aiconfig-original"]),
  };
}

if (wants("coldstart")) {
  log(`[${elapsed()}] cold start (${settings.coldRuns} runs of each command)`);
  results.coldStart = coldStart(root, settings.coldRuns);
}

const server = wants("overhead") || wants("stream") ? await startServer() : undefined;

/**
 * Runs a mode in `settings.processes` fresh processes for each implementation,
 * alternating ours and 1.1.15, and keeps the process whose ratio is the median
 * (its figures are shown), with every process's ratio beside it.
 */
function repeatedWorkers(mode, iterations, warmup, oursKey, originalKey) {
  const runs = { ours: [], original: [] };
  for (let i = 0; i < settings.processes; i++) {
    runs.ours.push(runWorker("ours", [mode, files.one, server.port, iterations, warmup]));
    runs.original.push(runWorker("original", [mode, files.one, server.port, iterations, warmup]));
  }
  const pick = (list, key) => {
    const ok = list.filter((r) => r.result).map((r) => r.result);
    if (ok.length === 0) return list[0];
    const sorted = [...ok].sort((a, b) => key(a) - key(b));
    return { ...sorted[(sorted.length - 1) >> 1], ratiosOfEachProcess: ok.map(key) };
  };
  return { ours: pick(runs.ours, oursKey), original: pick(runs.original, originalKey) };
}

if (wants("overhead")) {
  const { iterations, warmup } = settings.overhead;
  log(
    `[${elapsed()}] per-run overhead: ${processes} each of ours (vs raw openai 6) and 1.1.15 (vs raw openai 4.11.1 and 6), ${iterations} interleaved runs after ${warmup}`,
  );
  results.overhead = repeatedWorkers(
    "overhead",
    iterations,
    warmup,
    (r) => r.ratio,
    (r) => r.ratioToRaw4,
  );
}

if (wants("stream")) {
  const { iterations, warmup } = settings.stream;
  log(`[${elapsed()}] streaming, time to first chunk: ${processes} each, ${iterations} interleaved runs after ${warmup}`);
  results.stream = repeatedWorkers(
    "stream",
    iterations,
    warmup,
    (r) => r.firstChunk.deltaMs,
    (r) => r.firstChunk.deltaMs,
  );
}

await server?.stop();

if (wants("resolve")) {
  results.resolve = { ours: {}, original: {}, originalCapMs: settings.originalCapMs };
  const sizes = [...new Set([...settings.oursSizes, ...settings.originalSizes])].sort((a, b) => a - b);
  for (const n of sizes) {
    const file = join(scratchDir, `chat-${n}.aiconfig.json`);
    writeConfig(file, chatConfig(n));
    if (settings.oursSizes.includes(n)) {
      // The first call is the one a CLI run makes, and it varies most: take the median process of several.
      log(`[${elapsed()}] resolve, ${n} prompts: ours (${processes})`);
      const runs = [];
      for (let i = 0; i < settings.processes; i++) runs.push(runWorker("ours", ["resolve", file, settings.resolveRepeats]));
      const ok = runs.filter((r) => r.result).map((r) => r.result);
      results.resolve.ours[n] = ok.length
        ? { ...ok.sort((a, b) => a.firstMs - b.firstMs)[(ok.length - 1) >> 1], firstMsOfEachProcess: runs.map((r) => r.result?.firstMs) }
        : runs[0];
    }
  }
  // A variant: every prompt's input uses a {{parameter}}, so each is a distinct template to render.
  const n = 10_000;
  const withParameter = join(scratchDir, `chat-${n}-parameter.aiconfig.json`);
  writeConfig(withParameter, chatConfig(n, { withParameter: true }));
  log(`[${elapsed()}] resolve, ${n} prompts each using {{topic}}: ours`);
  const r = runWorker("ours", ["resolve", withParameter, Math.min(5, settings.resolveRepeats)]);
  results.resolve.oursWithParameter = { prompts: n, ...(r.result ?? r) };
  let timedOut = false;
  for (const n of settings.originalSizes) {
    if (timedOut) {
      results.resolve.original[n] = { skipped: "a smaller size already exceeded the cap" };
      continue;
    }
    log(`[${elapsed()}] resolve, ${n} prompts: 1.1.15 (cap ${settings.originalCapMs / 1000} s)`);
    const r = runWorker("original", ["resolve", join(scratchDir, `chat-${n}.aiconfig.json`)], { timeoutMs: settings.originalCapMs });
    results.resolve.original[n] = r.result ?? r;
    timedOut = Boolean(r.timedOut);
  }
}

if (wants("file")) {
  const file = join(scratchDir, "big-20000.aiconfig.json");
  const bytes = writeConfig(file, bigConfig());
  log(`[${elapsed()}] load, validate, save of 20,000 prompts (${(bytes / 1e6).toFixed(1)} MB)`);
  const ours = runWorker("ours", ["file", file, settings.fileRepeats, join(scratchDir, "big-saved-ours.aiconfig.json")]);
  const original = runWorker("original", ["file", file, settings.fileRepeats, join(scratchDir, "big-saved-original.aiconfig.json")]);
  results.file = { ours: ours.result ?? ours, original: original.result ?? original };
}

machine.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
results.totalSeconds = Math.round((Date.now() - started) / 1000);

// ------------------------------------------------------------------ report

const { rows, markdown } = (await import("../bench/lib/report.mjs")).report(results);
// A full run writes bench.json; a quick or partial one writes beside it, so that it does not replace the full figures.
const base = `bench${quick ? "-quick" : ""}${only ? `-${only.join("-")}` : ""}`;
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `${base}.json`), `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
writeFileSync(join(resultsDir, `${base}.md`), markdown);
process.stdout.write(`${markdown}\n`);
log(`wrote bench-results/${base}.json and bench-results/${base}.md (${results.totalSeconds} s in all)`);
