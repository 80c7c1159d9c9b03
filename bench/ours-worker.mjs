// Benchmark worker for this implementation (@aiconfig-ts/core + @aiconfig-ts/openai,
// the BUILT packages: the "default" export condition, dist/). Each mode runs in
// a fresh process started by scripts/bench.mjs and prints one JSON line last.
//
//   node bench/ours-worker.mjs overhead FILE PORT ITERATIONS WARMUP
//   node bench/ours-worker.mjs stream   FILE PORT ITERATIONS WARMUP
//   node bench/ours-worker.mjs resolve  FILE REPEATS
//   node bench/ours-worker.mjs file     FILE REPEATS OUT_FILE [SAVE_REPEATS]   (times 1.1.15's load too, in this process)
//   node bench/ours-worker.mjs yaml     FILE REPEATS
//   node bench/ours-worker.mjs phases   FILE PORT ROUNDS   (pre-send / network / post-reply time of ours and raw, µs per call)
//   node bench/ours-worker.mjs warm     FILE ROUNDS        (ours and raw on an in-process fetch: no socket, no wait; µs per call)
//   node bench/ours-worker.mjs wake     FILE PORT ROUNDS   (the request building of `runtime.resolve` right after a network wait, and warm; µs)
//   node --cpu-prof bench/ours-worker.mjs profile FILE PORT RUNS [ours|raw]   (the overhead loop alone, or the raw SDK's, for a CPU profile)
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { AIConfigRuntime, validateConfig } from "@aiconfig-ts/core";
import { register } from "@aiconfig-ts/openai";
import { openaiFixtures, recordedTexts, resolvePackageEntry, root } from "./lib/paths.mjs";
import { emit, interleave, interleaveSync, median, now, summary, timeOnce } from "./lib/stats.mjs";

const [mode, file, ...rest] = process.argv.slice(2);
const { completion: expectedText, streamed: expectedStream } = recordedTexts();

/** The openai 6.x that packages/openai uses (nested there; the root holds 4.11.1). */
async function rawOpenAI() {
  const entry = resolvePackageEntry(join(root, "packages", "openai"), "openai");
  const sdk = await import(pathToFileURL(entry.file).href);
  return { OpenAI: sdk.OpenAI ?? sdk.default, version: entry.version };
}

/** A runtime on FILE talking to the bench server (key and base URL through the runtime's env). */
function runtimeFor(path, port) {
  const env = { OPENAI_API_KEY: "bench-key", ...(port ? { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` } : {}) };
  const rt = AIConfigRuntime.load(path, { env });
  register(rt.registry);
  return rt;
}

async function overhead(port, iterations, warmup) {
  const rt = runtimeFor(file, port);
  const { OpenAI, version } = await rawOpenAI();
  const client = new OpenAI({ apiKey: "bench-key", baseURL: `http://127.0.0.1:${port}/v1` });
  // The raw call sends exactly the body the runtime sends.
  const body = await rt.resolve("ask");
  const check = await rt.run("ask", {}, { stream: false });
  assert.equal(rt.getOutputText("ask"), expectedText, "the runtime's output is the server's completion");
  assert.equal(check.length, 1);
  const raw = async () => {
    const completion = await client.chat.completions.create(body);
    if (completion.choices[0].message.content !== expectedText) throw new Error("raw: unexpected reply");
  };
  // The measure: ours and raw alone, alternating. The new-client call is timed in a pass of its own after it:
  // in one rotation of three, ours always ran right after it (the order raw, new client, ours repeats) and
  // paid for its garbage: the same code measured 1.106x that way and 1.070x alone (12 processes each).
  const samples = await interleave(
    {
      raw,
      ours: async () => {
        await rt.run("ask", {}, { stream: false });
      },
    },
    { warmup, iterations },
  );
  const newClient = await interleave(
    {
      raw,
      // A new client per call, as the provider did before it kept one client per connection
      // (3974383): shows what building the client costs.
      rawNewClient: async () => {
        const fresh = new OpenAI({ apiKey: "bench-key", baseURL: `http://127.0.0.1:${port}/v1` });
        const completion = await fresh.chat.completions.create(body);
        if (completion.choices[0].message.content !== expectedText) throw new Error("raw: unexpected reply");
      },
    },
    { warmup, iterations },
  );
  const ratios = samples.ours.map((t, i) => t / samples.raw[i]);
  return {
    openaiVersion: version,
    raw: summary(samples.raw),
    rawNewClient: summary(newClient.rawNewClient),
    ours: summary(samples.ours),
    ratio: median(samples.ours) / median(samples.raw),
    rawNewClientRatio: median(newClient.rawNewClient) / median(newClient.raw),
    cpu: { raw: summary(samples.cpu.raw), rawNewClient: summary(newClient.cpu.rawNewClient), ours: summary(samples.cpu.ours) },
    cpuRatio: median(samples.cpu.ours) / median(samples.cpu.raw),
    medianPairRatio: median(ratios),
    requestBody: body,
  };
}

async function stream(port, iterations, warmup) {
  const rt = runtimeFor(file, port);
  const { OpenAI, version } = await rawOpenAI();
  const client = new OpenAI({ apiKey: "bench-key", baseURL: `http://127.0.0.1:${port}/v1` });
  const body = await rt.resolve("ask");
  const totals = { raw: [], rawHelper: [], ours: [] };
  const samples = await interleave(
    {
      // The SDK's stream helper (chat.completions.stream(), ChatCompletionStream) by itself; the provider
      // used it before it iterated the raw stream (d5877c1): shows what the helper costs.
      rawHelper: async () => {
        const start = now();
        let first;
        const runner = client.chat.completions.stream({ ...body, stream_options: { include_usage: true } });
        runner.on("chunk", (chunk) => {
          if (chunk.choices[0]?.delta?.content) first ??= now() - start;
        });
        const completion = await runner.finalChatCompletion();
        totals.rawHelper.push(now() - start);
        if (completion.choices[0].message.content !== expectedStream) throw new Error("raw helper: unexpected text");
        return first;
      },
      raw: async () => {
        const start = now();
        let first;
        let text = "";
        const chunks = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
        for await (const chunk of chunks) {
          const delta = chunk.choices[0]?.delta?.content;
          if (delta) {
            first ??= now() - start;
            text += delta;
          }
        }
        totals.raw.push(now() - start);
        if (text !== expectedStream) throw new Error("raw stream: unexpected text");
        return first;
      },
      ours: async () => {
        const start = now();
        let first;
        await rt.run(
          "ask",
          {},
          {
            onStream: () => {
              first ??= now() - start;
            },
          },
        );
        totals.ours.push(now() - start);
        return first;
      },
    },
    { warmup, iterations },
  );
  assert.equal(rt.getOutputText("ask"), expectedStream, "the streamed output is the recorded text");
  const total = { raw: totals.raw.slice(warmup), rawHelper: totals.rawHelper.slice(warmup), ours: totals.ours.slice(warmup) };
  return {
    openaiVersion: version,
    firstChunk: {
      raw: summary(samples.raw),
      rawHelper: summary(samples.rawHelper),
      ours: summary(samples.ours),
      deltaMs: median(samples.ours) - median(samples.raw),
      helperDeltaMs: median(samples.rawHelper) - median(samples.raw),
    },
    total: {
      raw: summary(total.raw),
      rawHelper: summary(total.rawHelper),
      ours: summary(total.ours),
      ratio: median(total.ours) / median(total.raw),
      helperRatio: median(total.rawHelper) / median(total.raw),
    },
  };
}

async function resolveAtScale(repeats) {
  const [loadMs, rt] = await timeOnce(() => runtimeFor(file));
  const last = rt.config.prompts.at(-1).name;
  const n = rt.config.prompts.length;
  const [firstMs, request] = await timeOnce(() => rt.resolve(last));
  assert.equal(request.messages.length, 2 * n - 1, "every earlier prompt and its output are in the request");
  const samples = [];
  for (let i = 0; i < repeats; i++) samples.push((await timeOnce(() => rt.resolve(last)))[0]);
  return { prompts: n, loadMs, firstMs, repeated: summary(samples), messages: request.messages.length };
}

/**
 * Load and save of the large JSON file. The original SDK's load (1.1.15, CommonJS) is timed here too,
 * interleaved with ours in this one process (same heap, same GC before each call, same moment), so that
 * the row compares loads measured side by side, not medians of different processes.
 */
async function fileRoundTrip(repeats, outFile, saveRepeats) {
  const bytes = readFileSync(file).length;
  const plainOut = `${outFile}.plain.json`;
  // 1.1.15 logs to ./aiconfig.log (winston): it runs in the scratch folder bench.mjs gives it.
  const originalCwd = join(dirname(outFile), "original-cwd");
  mkdirSync(originalCwd, { recursive: true });
  process.chdir(originalCwd);
  const original = createRequire(join(root, "package.json"))("aiconfig-original").AIConfigRuntime;
  // The first load of a process (validation included), on its own: lazy libraries load.
  globalThis.gc?.();
  const start = now();
  const rt = AIConfigRuntime.load(file);
  const firstLoadValidate = now() - start;
  const prompts = rt.config.prompts.length;
  // 1.1.15's first load too, unmeasured, so that neither contender's timed loads include a cold start;
  // only `rt` stays alive while the loads are timed.
  assert.equal(original.load(file).prompts.length, prompts, "1.1.15 loads every prompt");
  // Baselines in the same process: the least any load does (read + JSON.parse) and any save (stringify + write).
  const reads = interleaveSync(
    {
      readParse: () => JSON.parse(readFileSync(file, "utf8")),
      load: () => AIConfigRuntime.load(file, { validate: false }),
      loadValidate: () => AIConfigRuntime.load(file),
      validate: () => assert.equal(validateConfig(rt.config).length, 0),
      originalLoad: () => original.load(file),
    },
    repeats,
  );
  const writes = interleaveSync(
    {
      stringifyWrite: () => writeFileSync(plainOut, `${JSON.stringify(rt.config, null, 2)}\n`),
      save: () => rt.save(outFile),
    },
    saveRepeats,
  );
  const saved = readFileSync(outFile);
  assert.equal(saved.toString("utf8"), rt.toString(), "save writes the serialized document");
  assert.equal(JSON.parse(saved).prompts.length, prompts, "the saved file keeps every prompt");
  rmSync(outFile);
  rmSync(plainOut);
  return {
    prompts,
    bytes,
    savedBytes: saved.length,
    firstLoadValidate,
    ...reads,
    ...writes,
    loadRatio: reads.load.median / reads.readParse.median,
    // Ours with validation ÷ 1.1.15's load, both measured in this process (the row's verdict).
    loadValidateToOriginal: reads.loadValidate.median / reads.originalLoad.median,
    saveRatio: writes.save.median / writes.stringifyWrite.median,
  };
}

/** Loads a YAML file (with validation, as `aiconfig run` does): the first load of the process, then repeats. */
function yamlLoad(repeats) {
  const bytes = readFileSync(file).length;
  const start = now();
  const rt = AIConfigRuntime.load(file);
  const firstMs = now() - start;
  const samples = [];
  for (let i = 0; i < repeats; i++) {
    globalThis.gc?.();
    samples.push(timeOnceSync(() => AIConfigRuntime.load(file)));
  }
  return { bytes, prompts: rt.config.prompts.length, firstMs, loads: summary(samples) };
}

function timeOnceSync(fn) {
  const start = now();
  fn();
  return now() - start;
}

/**
 * Where a run's wall time goes, for `runtime.run` ("ours") and the same request on the raw SDK ("raw"),
 * alternating in rounds of 100 calls: `pre` from the call to the global `fetch` being called (the runtime's,
 * the provider's and the SDK's work before the send), `net` until fetch's promise settles (the server and the
 * socket), `post` from then until the caller's `await` resumes (reading and parsing the body, outputs,
 * storing). The global `fetch` is wrapped before either client exists (both read it when they are made), and
 * the same wrapper times both. Medians over the rounds, in microseconds per call.
 */
/** A figure to 0.1. */
const round1 = (x) => Math.round(x * 10) / 10;

async function phases(port, rounds) {
  const realFetch = globalThis.fetch;
  const at = { fetch: 0, settled: 0 };
  globalThis.fetch = function timedFetch(...args) {
    at.fetch = now();
    return realFetch.apply(this, args).then((response) => {
      at.settled = now();
      return response;
    });
  };
  try {
    const rt = runtimeFor(file, port);
    const { OpenAI } = await rawOpenAI();
    const client = new OpenAI({ apiKey: "bench-key", baseURL: `http://127.0.0.1:${port}/v1` });
    const body = await rt.resolve("ask");
    const calls = {
      raw: async () => {
        const completion = await client.chat.completions.create(body);
        if (completion.choices[0].message.content !== expectedText) throw new Error("raw: unexpected reply");
      },
      ours: () => rt.run("ask", {}, { stream: false }),
    };
    const samples = { raw: { pre: [], net: [], post: [] }, ours: { pre: [], net: [], post: [] } };
    for (let round = 0; round < rounds + 5; round++) {
      for (const [name, call] of Object.entries(calls)) {
        const sums = { pre: 0, net: 0, post: 0 };
        for (let i = 0; i < 100; i++) {
          const start = now();
          await call();
          const end = now();
          sums.pre += at.fetch - start;
          sums.net += at.settled - at.fetch;
          sums.post += end - at.settled;
        }
        // The first five rounds warm up.
        if (round >= 5) for (const phase of ["pre", "net", "post"]) samples[name][phase].push(sums[phase] * 10);
      }
    }
    assert.equal(rt.getOutputText("ask"), expectedText, "the runtime's output is the server's completion");
    const us = (name) => Object.fromEntries(["pre", "net", "post"].map((phase) => [phase, round1(median(samples[name][phase]))]));
    const ours = us("ours");
    const raw = us("raw");
    return {
      unit: "us per call",
      rounds,
      raw,
      ours,
      extra: { pre: round1(ours.pre - raw.pre), net: round1(ours.net - raw.net), post: round1(ours.post - raw.post) },
    };
  } finally {
    globalThis.fetch = realFetch;
  }
}

/**
 * Ours and raw, alternating, on a `fetch` that answers in-process with the recorded completion: no socket and
 * no wait, so the thread never sleeps and both run with warm caches. What `runtime.run` adds here is the
 * work of this project's code itself; the overhead row's figure is that work done after each network wait.
 * Medians in microseconds per call.
 */
async function warm(rounds) {
  const text = JSON.stringify(JSON.parse(readFileSync(openaiFixtures.completion, "utf8")));
  const headers = { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) };
  const realFetch = globalThis.fetch;
  // Both clients read the global fetch when they are made (a base URL no other mode uses: a client of its own).
  globalThis.fetch = async () => new Response(text, { status: 200, headers });
  try {
    const baseURL = "http://127.0.0.1:9/v1";
    const rt = AIConfigRuntime.load(file, { env: { OPENAI_API_KEY: "bench-key", OPENAI_BASE_URL: baseURL } });
    register(rt.registry);
    const { OpenAI } = await rawOpenAI();
    const client = new OpenAI({ apiKey: "bench-key", baseURL });
    const body = await rt.resolve("ask");
    const samples = await interleave(
      {
        raw: async () => {
          const completion = await client.chat.completions.create(body);
          if (completion.choices[0].message.content !== expectedText) throw new Error("raw: unexpected reply");
        },
        ours: async () => {
          await rt.run("ask", {}, { stream: false });
        },
      },
      { warmup: Math.round(rounds / 5), iterations: rounds },
    );
    assert.equal(rt.getOutputText("ask"), expectedText, "the runtime's output is the recorded completion");
    const raw = round1(median(samples.raw) * 1000);
    const ours = round1(median(samples.ours) * 1000);
    return { unit: "us per call", rounds, raw, ours, extra: round1(ours - raw), ratio: median(samples.ours) / median(samples.raw) };
  } finally {
    globalThis.fetch = realFetch;
  }
}

/**
 * How long the synchronous part of `runtime.resolve` (this project's request building: the prompt's lookup,
 * settings, rendering, the provider's resolve) takes in four states, each measured after a raw SDK call on the
 * bench server: right after it (the thread just woke from the network wait), at once again (warm), after
 * reading 8 MB of unrelated memory (data caches cold, the thread awake), and after a 1 ms sleep (woken again).
 * Medians in microseconds.
 */
async function wake(port, rounds) {
  const rt = runtimeFor(file, port);
  const { OpenAI } = await rawOpenAI();
  const client = new OpenAI({ apiKey: "bench-key", baseURL: `http://127.0.0.1:${port}/v1` });
  const body = await rt.resolve("ask");
  const memory = new Float64Array(1 << 20);
  const samples = { afterNetwork: [], warm: [], afterMemoryScan: [], afterSleep: [] };
  const time = (list) => {
    const start = now();
    rt.resolve("ask");
    list.push(now() - start);
  };
  let sum = 0;
  for (let round = 0; round < rounds + 100; round++) {
    await client.chat.completions.create(body);
    const keep = round >= 100;
    time(keep ? samples.afterNetwork : []);
    time(keep ? samples.warm : []);
    for (let i = 0; i < memory.length; i += 8) sum += memory[i];
    time(keep ? samples.afterMemoryScan : []);
    await new Promise((resolve) => setTimeout(resolve, 1));
    time(keep ? samples.afterSleep : []);
  }
  return {
    unit: "us",
    rounds,
    ...Object.fromEntries(Object.entries(samples).map(([name, list]) => [name, round1(median(list) * 1000)])),
    checksum: sum,
  };
}

/**
 * The overhead loop alone (non-streamed runs on the bench server), for `--cpu-prof`: `runtime.run`
 * ("ours"), or the same request on the raw SDK ("raw"), so that the two profiles can be compared.
 */
async function profileLoop(port, runs, who) {
  const rt = runtimeFor(file, port);
  let call = () => rt.run("ask", {}, { stream: false });
  if (who === "raw") {
    const { OpenAI } = await rawOpenAI();
    const client = new OpenAI({ apiKey: "bench-key", baseURL: `http://127.0.0.1:${port}/v1` });
    const body = await rt.resolve("ask");
    call = async () => {
      const completion = await client.chat.completions.create(body);
      if (completion.choices[0].message.content !== expectedText) throw new Error("raw: unexpected reply");
    };
  }
  for (let i = 0; i < 200; i++) await call();
  const start = now();
  for (let i = 0; i < runs; i++) await call();
  return { runs, who, msPerRun: (now() - start) / runs };
}

const n = (s) => Number.parseInt(s, 10);
let result;
if (mode === "overhead") result = await overhead(n(rest[0]), n(rest[1]), n(rest[2]));
else if (mode === "stream") result = await stream(n(rest[0]), n(rest[1]), n(rest[2]));
else if (mode === "resolve") result = await resolveAtScale(n(rest[0]));
else if (mode === "file") result = await fileRoundTrip(n(rest[0]), rest[1], n(rest[2] ?? rest[0]));
else if (mode === "yaml") result = yamlLoad(n(rest[0]));
else if (mode === "phases") result = await phases(n(rest[0]), n(rest[1]));
else if (mode === "warm") result = await warm(n(rest[0]));
else if (mode === "wake") result = await wake(n(rest[0]), n(rest[1]));
else if (mode === "profile") result = await profileLoop(n(rest[0]), n(rest[1]), rest[2] ?? "ours");
else throw new Error(`unknown mode ${mode}`);
emit(result);
