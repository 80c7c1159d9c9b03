// Benchmark worker for the original SDK, npm `aiconfig` 1.1.15 (installed as the
// alias `aiconfig-original`; CommonJS; it bundles openai 4.11.1). Run by
// scripts/bench.mjs in a fresh process whose working folder is a scratch folder,
// because the original SDK logs every event to ./aiconfig.log (winston) — that
// logging is part of what a user of 1.1.15 gets, so it stays on.
//
//   node bench/original-sdk.cjs overhead FILE PORT ITERATIONS WARMUP
//   node bench/original-sdk.cjs stream   FILE PORT ITERATIONS WARMUP
//   node bench/original-sdk.cjs resolve  FILE
//   node bench/original-sdk.cjs file     FILE REPEATS OUT_FILE [SAVE_REPEATS]   (row 10 takes 1.1.15's load from ours-worker.mjs, timed in one process with ours)
//   node bench/original-sdk.cjs yaml     FILE
//
// Needs OPENAI_API_KEY in the environment (any value: the local server ignores it).
const assert = require("node:assert/strict");
const { readFileSync, rmSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { pathToFileURL } = require("node:url");
const { AIConfigRuntime, OpenAIChatModelParser } = require("aiconfig-original");
const OpenAI4 = require("openai"); // the root node_modules/openai: 4.11.1, the version aiconfig 1.1.15 pins

async function main() {
  const { recordedTexts, resolvePackageEntry, root } = await import("./lib/paths.mjs");
  const { emit, interleave, interleaveSync, median, now, summary } = await import("./lib/stats.mjs");
  const [mode, file, ...rest] = process.argv.slice(2);
  const n = (s) => Number.parseInt(s, 10);
  const { completion: expectedText, streamed: expectedStream } = recordedTexts();
  const openai4Version = JSON.parse(readFileSync(join(dirname(require.resolve("openai")), "package.json"), "utf8")).version;

  /** A 1.1.15 runtime whose gpt-3.5-turbo parser talks to the bench server (the parser passes its options to the openai client). */
  function runtimeFor(path, port) {
    if (port) {
      AIConfigRuntime.registerModelParser(new OpenAIChatModelParser({ baseURL: `http://127.0.0.1:${port}/v1` }), ["gpt-3.5-turbo"]);
    }
    return AIConfigRuntime.load(path);
  }

  /** Raw clients: openai 4.11.1 (bundled by 1.1.15) and the 6.x that packages/openai uses. */
  async function rawClients(port) {
    const baseURL = `http://127.0.0.1:${port}/v1`;
    const entry = resolvePackageEntry(join(root, "packages", "openai"), "openai");
    const sdk6 = await import(pathToFileURL(entry.file).href);
    const OpenAI6 = sdk6.OpenAI ?? sdk6.default;
    return {
      raw4: new OpenAI4({ apiKey: "bench-key", baseURL }),
      raw6: new OpenAI6({ apiKey: "bench-key", baseURL }),
      openai6Version: entry.version,
    };
  }

  async function overhead(port, iterations, warmup) {
    const rt = runtimeFor(file, port);
    const { raw4, raw6, openai6Version } = await rawClients(port);
    const body = await rt.resolve("ask");
    await rt.run("ask", {}, { stream: false });
    assert.equal(rt.getOutputText("ask"), expectedText, "1.1.15's output is the server's completion");
    const samples = await interleave(
      {
        raw4: async () => {
          const completion = await raw4.chat.completions.create({ ...body, stream: false });
          if (completion.choices[0].message.content !== expectedText) throw new Error("raw4: unexpected reply");
        },
        raw6: async () => {
          const completion = await raw6.chat.completions.create({ ...body, stream: false });
          if (completion.choices[0].message.content !== expectedText) throw new Error("raw6: unexpected reply");
        },
        original: async () => {
          await rt.run("ask", {}, { stream: false });
        },
      },
      { warmup, iterations },
    );
    return {
      openai4Version,
      openai6Version,
      raw4: summary(samples.raw4),
      raw6: summary(samples.raw6),
      original: summary(samples.original),
      ratioToRaw4: median(samples.original) / median(samples.raw4),
      ratioToRaw6: median(samples.original) / median(samples.raw6),
      cpu: { raw4: summary(samples.cpu.raw4), raw6: summary(samples.cpu.raw6), original: summary(samples.cpu.original) },
      cpuRatioToRaw4: median(samples.cpu.original) / median(samples.cpu.raw4),
      requestBody: body,
    };
  }

  async function stream(port, iterations, warmup) {
    const rt = runtimeFor(file, port);
    const { raw4 } = await rawClients(port);
    const body = await rt.resolve("ask");
    const totals = { raw4: [], original: [] };
    const samples = await interleave(
      {
        raw4: async () => {
          const start = now();
          let first;
          let text = "";
          const chunks = await raw4.chat.completions.create({ ...body, stream: true });
          for await (const chunk of chunks) {
            const delta = chunk.choices[0]?.delta?.content;
            if (delta) {
              first ??= now() - start;
              text += delta;
            }
          }
          totals.raw4.push(now() - start);
          if (text !== expectedStream) throw new Error("raw4 stream: unexpected text");
          return first;
        },
        original: async () => {
          const start = now();
          let first;
          const streamCallback = (delta) => {
            if (delta?.content) first ??= now() - start;
          };
          await rt.run("ask", {}, { stream: true, callbacks: { streamCallback } });
          totals.original.push(now() - start);
          return first;
        },
      },
      { warmup, iterations },
    );
    assert.equal(rt.getOutputText("ask"), expectedStream, "1.1.15's streamed output is the recorded text");
    const total = { raw4: totals.raw4.slice(warmup), original: totals.original.slice(warmup) };
    return {
      openai4Version,
      firstChunk: {
        raw4: summary(samples.raw4),
        original: summary(samples.original),
        deltaMs: median(samples.original) - median(samples.raw4),
      },
      total: { raw4: summary(total.raw4), original: summary(total.original), ratio: median(total.original) / median(total.raw4) },
    };
  }

  async function resolveAtScale() {
    let start = now();
    const rt = runtimeFor(file);
    const loadMs = now() - start;
    const last = rt.prompts.at(-1).name;
    start = now();
    const request = await rt.resolve(last);
    const firstMs = now() - start;
    // 1.1.15 also sends the resolved prompt's own previous output as a last assistant turn: 2n messages, not 2n - 1.
    assert.ok(request.messages.length >= 2 * rt.prompts.length - 1, "every earlier prompt and its output are in the request");
    return { prompts: rt.prompts.length, loadMs, firstMs, messages: request.messages.length };
  }

  async function fileRoundTrip(repeats, outFile, saveRepeats) {
    const bytes = readFileSync(file).length;
    const plainOut = `${outFile}.plain.json`;
    globalThis.gc?.();
    const start = now();
    const rt = AIConfigRuntime.load(file);
    const firstLoad = now() - start;
    const prompts = rt.prompts.length;
    // As in ours-worker.mjs: only the first load's runtime stays alive while the loads are timed.
    const reads = interleaveSync(
      {
        readParse: () => JSON.parse(readFileSync(file, "utf8")),
        load: () => AIConfigRuntime.load(file),
      },
      repeats,
    );
    const data = JSON.parse(readFileSync(file, "utf8"));
    const writes = interleaveSync(
      {
        stringifyWrite: () => writeFileSync(plainOut, `${JSON.stringify(data, null, 2)}\n`),
        // serializeOutputs: true, so that it writes what this implementation writes (1.1.15 drops outputs by default).
        save: () => rt.save(outFile, { serializeOutputs: true }),
      },
      saveRepeats,
    );
    const saved = readFileSync(outFile);
    assert.equal(JSON.parse(saved).prompts.length, prompts);
    rmSync(outFile);
    rmSync(plainOut);
    return {
      prompts,
      bytes,
      savedBytes: saved.length,
      firstLoad,
      ...reads,
      ...writes,
      loadRatio: reads.load.median / reads.readParse.median,
      saveRatio: writes.save.median / writes.stringifyWrite.median,
    };
  }

  /** One load of a YAML file, the first of the process (1.1.15 parses YAML with the `yaml` package). */
  function yamlLoad() {
    const bytes = readFileSync(file).length;
    const start = now();
    const rt = AIConfigRuntime.load(file);
    return { bytes, prompts: rt.prompts.length, firstMs: now() - start };
  }

  let result;
  if (mode === "overhead") result = await overhead(n(rest[0]), n(rest[1]), n(rest[2]));
  else if (mode === "stream") result = await stream(n(rest[0]), n(rest[1]), n(rest[2]));
  else if (mode === "resolve") result = await resolveAtScale();
  else if (mode === "file") result = await fileRoundTrip(n(rest[0]), rest[1], n(rest[2] ?? rest[0]));
  else if (mode === "yaml") result = yamlLoad();
  else throw new Error(`unknown mode ${mode}`);
  emit(result);
  // winston keeps the log file open; the result is out, so leave now.
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
