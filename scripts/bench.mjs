#!/usr/bin/env node
// The benchmark of issues 3 and 12 (`npm run bench`): this implementation
// (@aiconfig-ts/core, the CLI, @aiconfig-ts/openai, as built) against the
// original SDK (npm aiconfig 1.1.15, installed as `aiconfig-original`), the raw
// openai SDK and a raw node-llama-cpp script, side by side in one run. Every
// measurement runs in fresh processes (bench/ours-worker.mjs,
// bench/original-sdk.cjs, the CLI itself); a figure is the median over several
// processes, with the smallest and largest beside it. The OpenAI rows talk to a
// local server (bench/lib/server.mjs, its own process) that answers at once, with no timer.
//
// Usage: node scripts/bench.mjs [--quick] [--no-build] [--only=SECTION,...]
//   --quick      fewer processes and iterations (a smoke run; figures are rough); leaves out
//                batch, serve-load and site unless --only names them
//   --no-build   do not run `npm run build` first (dist must be current)
//   --only=      some of: install,startup,overhead,profile,stream,resolve,file,yaml,llama,
//                batch,serve-load,site (the last three run bench/<name>.mjs --json, if the file exists)
// A full run writes BENCHMARKS.md (the table, each row against its goal) and
// bench-results/bench.json; --quick and --only runs write only bench-results/.
// A benchmark, not a test: nothing here fails on a slow figure.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { bigConfig, chatConfig, onePromptConfig, writeConfig } from "../bench/lib/configs.mjs";
import { installSize } from "../bench/lib/install-size.mjs";
import { resultsDir, root, scratchDir, shared } from "../bench/lib/paths.mjs";
import { aggregateProfile, profileDifference, profileDir } from "../bench/lib/profile.mjs";
import { startUp } from "../bench/lib/start-up.mjs";
import { now, spread } from "../bench/lib/stats.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const wants = (section) => !only || only.includes(section);

const settings = quick
  ? {
      overhead: { processes: 2, originalProcesses: 1, iterations: 80, warmup: 20 },
      stream: { processes: 1, iterations: 30, warmup: 5 },
      startUp: { batches: 2, runs: 4, npxRuns: 2 },
      profileRuns: 1000,
      phases: { processes: 2, rounds: 6 },
      warm: { processes: 2, rounds: 2000 },
      wake: { processes: 1, rounds: 200 },
      resolve: { processes10k: 2, processes100k: 1, repeats: 3, originalSizes: [250], originalCapMs: 20_000 },
      file: { processes: 2, repeats: 4, saveRepeats: 2 },
      yaml: { processes: 1, repeats: 0, originalCapMs: 30_000 },
      llama: { pairs: 2 },
    }
  : {
      // 11: identical code spreads 1.025x-1.084x from process to process, so a median of 5 moved about ±2%.
      overhead: { processes: 11, originalProcesses: 2, iterations: 150, warmup: 30 },
      stream: { processes: 2, iterations: 40, warmup: 10 },
      startUp: { batches: 4, runs: 4, npxRuns: 1 },
      profileRuns: 3000,
      phases: { processes: 5, rounds: 10 },
      warm: { processes: 5, rounds: 5000 },
      wake: { processes: 3, rounds: 500 },
      resolve: { processes10k: 5, processes100k: 3, repeats: 3, originalSizes: [250], originalCapMs: 60_000 },
      file: { processes: 5, repeats: 10, saveRepeats: 2 },
      yaml: { processes: 3, repeats: 0, originalCapMs: 60_000 },
      // 10: single pairs range 77%-125% on a busy host; the row is the median of the per-pair ratios.
      llama: { pairs: 10 },
    };

const log = (line) => process.stderr.write(`${line}\n`);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const modelsDir = process.env.AICONFIG_MODELS_DIR ?? join(shared, "models");

// ------------------------------------------------------------------ build

if (!args.includes("--no-build")) {
  // The build `npm ci` runs (the root `prepare` script): tsc -b, then each package's build (core's esbuild
  // bundle, the CLI's bundled bin, the editor's UI), so the figures are of the current sources.
  log("building everything (npm run build, as npm ci does) ...");
  const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build", "--silent"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    log("the build failed: fix it, or run with --no-build on the current dist");
    process.exit(1);
  }
}

mkdirSync(scratchDir, { recursive: true });
const originalCwd = join(scratchDir, "original-cwd"); // 1.1.15 writes ./aiconfig.log
mkdirSync(originalCwd, { recursive: true });
const files = { one: join(scratchDir, "one-prompt.aiconfig.json") };
writeConfig(files.one, onePromptConfig());

const git = (...a) => spawnSync("git", a, { cwd: root, encoding: "utf8" }).stdout.trim();
const machine = {
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  date: new Date().toISOString(),
  commit: git("rev-parse", "--short", "HEAD"),
  commitSubject: git("log", "-1", "--format=%s"),
  uncommittedChanges: git("status", "--porcelain", "--untracked-files=no") !== "",
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
function runWorker(impl, workerArgs, { timeoutMs = 600_000, nodeArgs = [] } = {}) {
  const script = impl === "ours" ? join(root, "bench", "ours-worker.mjs") : join(root, "bench", "original-sdk.cjs");
  const start = Date.now();
  const r = spawnSync(process.execPath, ["--expose-gc", ...nodeArgs, script, ...workerArgs.map(String)], {
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

/** Runs `count` worker processes; returns their results (failed ones as { error }). */
function processes(count, impl, workerArgs, options) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const r = runWorker(impl, workerArgs, options);
    out.push(r.result ?? { error: r.error ?? (r.timedOut ? "timed out" : "failed"), timedOut: r.timedOut });
  }
  return out;
}

const ok = (list) => list.filter((r) => r && !r.error && !r.timedOut);
/** The spread of one number taken from each successful process. */
const across = (list, pick) => (ok(list).length ? spread(ok(list).map(pick)) : undefined);

// ------------------------------------------------------------------ sections

const results = { machine, settings, command: `npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}` };

if (wants("install")) {
  log(`[${elapsed()}] install size: npm pack, then npm install of the tarballs into empty folders`);
  try {
    results.install = installSize(root);
  } catch (error) {
    results.install = { error: String(error.message ?? error).slice(0, 300) };
    log(`  ${results.install.error}`);
  }
}

if (wants("startup")) {
  const s = settings.startUp;
  log(`[${elapsed()}] start-up: ${s.batches} batches of ${s.runs} runs of each command (npx: ${s.npxRuns} a batch)`);
  results.startUp = startUp(root, scratchDir, s);
}

const server = wants("overhead") || wants("stream") || wants("profile") ? await startServer() : undefined;

if (wants("overhead")) {
  const { processes: p, originalProcesses, iterations, warmup } = settings.overhead;
  log(
    `[${elapsed()}] per-run overhead: ${p} processes of ours (vs raw openai 6), ${originalProcesses} of 1.1.15; ${iterations} interleaved runs after ${warmup}`,
  );
  const ours = [];
  const original = [];
  for (let i = 0; i < Math.max(p, originalProcesses); i++) {
    if (i < p) ours.push(...processes(1, "ours", ["overhead", files.one, server.port, iterations, warmup]));
    if (i < originalProcesses) original.push(...processes(1, "original", ["overhead", files.one, server.port, iterations, warmup]));
  }
  results.overhead = {
    processes: { ours, original },
    ratio: across(ours, (r) => r.ratio),
    cpuRatio: across(ours, (r) => r.cpuRatio),
    oursMs: across(ours, (r) => r.ours.median),
    rawMs: across(ours, (r) => r.raw.median),
    rawNewClientRatio: across(ours, (r) => r.rawNewClientRatio),
    openaiVersion: ok(ours)[0]?.openaiVersion,
    original: {
      ratioToRaw4: across(original, (r) => r.ratioToRaw4),
      ratioToRaw6: across(original, (r) => r.ratioToRaw6),
      ms: across(original, (r) => r.original.median),
      openai4Version: ok(original)[0]?.openai4Version,
    },
  };
}

if (wants("profile")) {
  log(`[${elapsed()}] CPU profiles of ${settings.profileRuns} non-streamed runs (node --cpu-prof): runtime.run, then the raw SDK call`);
  const profiled = {};
  for (const who of ["ours", "raw"]) {
    const dir = profileDir(scratchDir, who);
    const r = runWorker("ours", ["profile", files.one, server.port, settings.profileRuns, who], {
      nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`, "--cpu-prof-interval=100"],
    });
    profiled[who] = r.result ? { ...aggregateProfile(dir, settings.profileRuns), msPerRun: r.result.msPerRun } : { error: r.error };
  }
  results.profile = profiled.ours.error
    ? profiled.ours
    : {
        ...profiled.ours,
        raw: profiled.raw,
        ...(profiled.raw.error ? {} : { difference: profileDifference(profiled.ours, profiled.raw) }),
      };
  // Which side of the send the overhead is on: ours and raw alternating in one process, each call split
  // at the moment fetch is called and the moment it settles (bench/ours-worker.mjs "phases").
  const { processes: p, rounds } = settings.phases;
  log(
    `[${elapsed()}] before the send, on the network, after the reply: ${p} processes of ${rounds} rounds of 100 calls each of ours and raw`,
  );
  const split = processes(p, "ours", ["phases", files.one, server.port, rounds]);
  const part = (who, phase) => across(split, (r) => r[who][phase]);
  results.phases = ok(split).length
    ? {
        processes: p,
        rounds,
        raw: { pre: part("raw", "pre"), net: part("raw", "net"), post: part("raw", "post") },
        ours: { pre: part("ours", "pre"), net: part("ours", "net"), post: part("ours", "post") },
        extra: { pre: part("extra", "pre"), net: part("extra", "net"), post: part("extra", "post") },
      }
    : { error: split[0]?.error ?? "failed" };
  // The same runs with no socket and no wait (warm caches), and the request building right after a network wait.
  const w = settings.warm;
  log(
    `[${elapsed()}] without the network: ${w.processes} processes of ${w.rounds} interleaved runs of ours and raw on an in-process fetch`,
  );
  const warmRuns = processes(w.processes, "ours", ["warm", files.one, w.rounds]);
  results.warm = ok(warmRuns).length
    ? {
        processes: w.processes,
        rounds: w.rounds,
        raw: across(warmRuns, (r) => r.raw),
        ours: across(warmRuns, (r) => r.ours),
        extra: across(warmRuns, (r) => r.extra),
        ratio: across(warmRuns, (r) => r.ratio),
      }
    : { error: warmRuns[0]?.error ?? "failed" };
  const k = settings.wake;
  log(`[${elapsed()}] resolve after a network wait and warm: ${k.processes} processes of ${k.rounds} rounds`);
  const wakeRuns = processes(k.processes, "ours", ["wake", files.one, server.port, k.rounds]);
  results.wake = ok(wakeRuns).length
    ? {
        processes: k.processes,
        rounds: k.rounds,
        ...Object.fromEntries(["afterNetwork", "warm", "afterMemoryScan", "afterSleep"].map((s) => [s, across(wakeRuns, (r) => r[s])])),
      }
    : { error: wakeRuns[0]?.error ?? "failed" };
}

if (wants("stream")) {
  const { processes: p, iterations, warmup } = settings.stream;
  log(`[${elapsed()}] streaming, time to first chunk: ${p} processes each, ${iterations} interleaved runs after ${warmup}`);
  const ours = [];
  const original = [];
  for (let i = 0; i < p; i++) {
    ours.push(...processes(1, "ours", ["stream", files.one, server.port, iterations, warmup]));
    original.push(...processes(1, "original", ["stream", files.one, server.port, iterations, warmup]));
  }
  results.stream = {
    processes: { ours, original },
    deltaMs: across(ours, (r) => r.firstChunk.deltaMs),
    totalRatio: across(ours, (r) => r.total.ratio),
    original: { deltaMs: across(original, (r) => r.firstChunk.deltaMs), totalRatio: across(original, (r) => r.total.ratio) },
  };
}

await server?.stop();

if (wants("resolve")) {
  const s = settings.resolve;
  const file10k = join(scratchDir, "chat-10000-topic.aiconfig.json");
  const file100k = join(scratchDir, "chat-100000-topic.aiconfig.json");
  writeConfig(file10k, chatConfig(10_000, { withParameter: true }));
  writeConfig(file100k, chatConfig(100_000, { withParameter: true }));
  log(`[${elapsed()}] resolve of the last prompt of a 10,000-prompt chat using {{topic}}: ${s.processes10k} processes`);
  const at10k = processes(s.processes10k, "ours", ["resolve", file10k, s.repeats]);
  log(`[${elapsed()}] the same at 100,000 prompts: ${s.processes100k} processes, ${s.repeats} repeated calls each`);
  const at100k = processes(s.processes100k, "ours", ["resolve", file100k, s.repeats]);
  const original = {};
  for (const n of s.originalSizes) {
    const file = join(scratchDir, `chat-${n}-topic.aiconfig.json`);
    writeConfig(file, chatConfig(n, { withParameter: true }));
    log(`[${elapsed()}] resolve, ${n} prompts: 1.1.15 (cap ${s.originalCapMs / 1000} s)`);
    const r = runWorker("original", ["resolve", file], { timeoutMs: s.originalCapMs });
    original[n] = r.result ?? { error: r.error, timedOut: r.timedOut };
    if (r.timedOut) break;
  }
  results.resolve = {
    processes: { at10k, at100k },
    firstMs10k: across(at10k, (r) => r.firstMs),
    repeatedMs10k: across(at10k, (r) => r.repeated.median),
    firstMs100k: across(at100k, (r) => r.firstMs),
    repeatedMs100k: across(at100k, (r) => r.repeated.median),
    original,
    originalCapMs: s.originalCapMs,
  };
}

const bigJson = join(scratchDir, "big-20000.aiconfig.json");
if (wants("file") || wants("yaml")) writeConfig(bigJson, bigConfig());

if (wants("file")) {
  const { processes: p, repeats, saveRepeats } = settings.file;
  log(`[${elapsed()}] load, validate and save of 20,000 prompts (JSON): ${p} processes each of ours and 1.1.15`);
  const ours = [];
  const original = [];
  for (let i = 0; i < p; i++) {
    // Ours' worker times 1.1.15's load too, interleaved in the same process (row 10); 1.1.15's own worker gives the save row.
    ours.push(...processes(1, "ours", ["file", bigJson, repeats, join(scratchDir, "big-saved-ours.aiconfig.json"), saveRepeats]));
    original.push(
      ...processes(1, "original", ["file", bigJson, repeats, join(scratchDir, "big-saved-original.aiconfig.json"), saveRepeats]),
    );
  }
  const first = ok(ours)[0];
  results.file = {
    processes: { ours, original },
    bytes: first?.bytes,
    prompts: first?.prompts,
    loadValidateMs: across(ours, (r) => r.loadValidate.median),
    loadMs: across(ours, (r) => r.load.median),
    validateMs: across(ours, (r) => r.validate.median),
    loadValidateRatio: across(ours, (r) => r.loadValidate.median / r.readParse.median),
    saveMs: across(ours, (r) => r.save.median),
    saveRatio: across(ours, (r) => r.saveRatio),
    loadValidateToOriginal: across(ours, (r) => r.loadValidateToOriginal),
    original: {
      // 1.1.15's load timed in ours' processes, interleaved with ours; and in its own processes (for reference).
      loadMs: across(ours, (r) => r.originalLoad.median),
      ownProcessLoadMs: across(original, (r) => r.load.median),
      loadRatio: across(original, (r) => r.loadRatio),
      saveMs: across(original, (r) => r.save.median),
      saveRatio: across(original, (r) => r.saveRatio),
    },
  };
}

if (wants("yaml")) {
  const { processes: p, repeats, originalCapMs } = settings.yaml;
  const yamlFile = join(scratchDir, "big-20000.aiconfig.yaml");
  // js-yaml (1.1.15's YAML writer) writes the same document as block YAML; kept between runs when the JSON is unchanged.
  const jsonText = readFileSync(bigJson, "utf8");
  const stamp = `${yamlFile}.source-bytes`;
  if (!existsSync(yamlFile) || !existsSync(stamp) || readFileSync(stamp, "utf8") !== String(jsonText.length)) {
    const jsYaml = createRequire(join(root, "node_modules", "aiconfig-original", "package.json"))("js-yaml");
    writeFileSync(yamlFile, jsYaml.dump(JSON.parse(jsonText), { lineWidth: -1, noRefs: true }));
    writeFileSync(stamp, String(jsonText.length));
  }
  log(`[${elapsed()}] load of the same document as YAML: ${p} processes of ours, one of 1.1.15 (cap ${originalCapMs / 1000} s)`);
  const ours = processes(p, "ours", ["yaml", yamlFile, repeats]);
  const r = runWorker("original", ["yaml", yamlFile], { timeoutMs: originalCapMs });
  results.yaml = {
    processes: { ours },
    bytes: ok(ours)[0]?.bytes,
    prompts: ok(ours)[0]?.prompts,
    firstMs: across(ours, (x) => x.firstMs),
    original: r.result ?? { error: r.error, timedOut: r.timedOut },
    originalCapMs,
  };
}

if (wants("llama")) {
  const { pairs } = settings.llama;
  log(`[${elapsed()}] aiconfig run of the local model vs a raw node-llama-cpp script: ${pairs} pairs of processes`);
  const env = { ...process.env, AICONFIG_MODELS_DIR: modelsDir };
  // CPU time too (all threads of the process, generation included), from an exit hook: steadier than wall time on a busy machine.
  const hook = join(scratchDir, "cpu-hook.cjs");
  writeFileSync(
    hook,
    "process.on('exit',()=>{const u=process.cpuUsage();require('fs').writeSync(2,'\\nCPU_US '+(u.user+u.system)+'\\n')});\n",
  );
  const timed = (argv) => {
    const start = now();
    const r = spawnSync(process.execPath, ["--require", hook, ...argv], { cwd: root, env, encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0) throw new Error(`${argv.join(" ")} failed: ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`);
    return { ms: now() - start, cpuMs: Number(/CPU_US (\d+)/.exec(r.stderr)?.[1]) / 1000, stdout: r.stdout };
  };
  const cli = ["packages/cli/bin/aiconfig.js", "run", "examples/story.aiconfig.json"];
  const raw = ["bench/llama-raw.mjs"];
  try {
    const sameText = timed(cli).stdout === timed(raw).stdout; // also warms the disk cache
    const oursMs = [];
    const rawMs = [];
    const speed = [];
    const cpuSpeed = [];
    for (let i = 0; i < pairs; i++) {
      // Alternate which goes first.
      let ours;
      let base;
      if (i % 2) {
        base = timed(raw);
        ours = timed(cli);
      } else {
        ours = timed(cli);
        base = timed(raw);
      }
      rawMs.push(base.ms);
      oursMs.push(ours.ms);
      speed.push(base.ms / ours.ms);
      cpuSpeed.push(base.cpuMs / ours.cpuMs);
    }
    results.llama = {
      command: `AICONFIG_MODELS_DIR=… node ${cli.join(" ")}`,
      rawCommand: `node ${raw.join(" ")}`,
      sameText,
      oursMs: spread(oursMs),
      rawMs: spread(rawMs),
      speed: spread(speed),
      cpuSpeed: spread(cpuSpeed),
    };
  } catch (error) {
    results.llama = { error: String(error.message ?? error).slice(0, 300) };
    log(`  ${results.llama.error}`);
  }
}

// ------------------------------------------------------------------ other issues' benchmarks

/**
 * The benchmarks of other issues, each its own script (`bench/<name>.mjs --json`) that prints, as the
 * last line of stdout, `{"rows":[{measure, ours, baseline, goal, result}], "notes":[...]}` (COMMON's
 * protocol); their rows join the table. Each is given `timeoutMs` (they finish within 5 minutes on an
 * idle machine) and a script that is absent is skipped.
 */
const OTHER_BENCHMARKS = [
  { name: "batch", issue: 13, what: "`aiconfig batch` under rate limits, queue workers, memory" },
  { name: "serve-load", issue: 10, what: "the hosted notebook under 200 concurrent visitors" },
  { name: "site", issue: 14, what: "the static site" },
];
results.others = [];
for (const other of OTHER_BENCHMARKS) {
  const script = join(root, "bench", `${other.name}.mjs`);
  // --quick leaves them out (they have no quicker mode) unless --only names them.
  if (!wants(other.name) || (quick && !only?.includes(other.name)) || !existsSync(script)) continue;
  const timeoutMs = 8 * 60_000;
  log(`[${elapsed()}] ${other.what}: node bench/${other.name}.mjs --json (at most ${timeoutMs / 60_000} min)`);
  const start = Date.now();
  const r = spawnSync(process.execPath, [script, "--json"], {
    cwd: root,
    env: { ...process.env, AICONFIG_MODELS_DIR: modelsDir },
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Math.round((Date.now() - start) / 1000);
  let parsed;
  try {
    parsed = JSON.parse(r.stdout.trim().split("\n").at(-1));
  } catch {}
  if (r.status === 0 && Array.isArray(parsed?.rows))
    results.others.push({ ...other, seconds, rows: parsed.rows, notes: parsed.notes ?? [] });
  else {
    const error =
      r.error?.code === "ETIMEDOUT"
        ? `timed out after ${timeoutMs / 60_000} min`
        : (r.stderr || `exit ${r.status}`).trim().split("\n").slice(-3).join(" | ").slice(0, 300);
    log(`  bench/${other.name}.mjs failed: ${error}`);
    results.others.push({ ...other, seconds, error });
  }
}

machine.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
results.totalSeconds = Math.round((Date.now() - started) / 1000);

// ------------------------------------------------------------------ report

const { rows, markdown, table } = (await import("../bench/lib/report.mjs")).report(results, { full: !quick && !only });
const base = `bench${quick ? "-quick" : ""}${only ? `-${only.join("-")}` : ""}`;
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, `${base}.json`), `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
writeFileSync(join(resultsDir, `${base}.md`), markdown);
if (!quick && !only) {
  writeFileSync(join(root, "BENCHMARKS.md"), markdown);
  log("wrote BENCHMARKS.md");
}
process.stdout.write(`${table}\n`);
log(`wrote bench-results/${base}.json and bench-results/${base}.md (${results.totalSeconds} s in all)`);
