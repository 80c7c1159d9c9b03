import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AIConfigRuntime, ProviderRegistry, validateSettings } from "@aiconfig-ts/core";
import { OcrError, OcrInputError, OcrLanguageDataError, OcrSettingsError } from "./errors.js";
import { languageDataFile } from "./language-data.js";
import { ocrWorkerCount, recognizeText, terminateOcrWorkers } from "./ocr-engine.js";
import { tesseractProvider } from "./ocr-node-provider.js";
import { ocrSettingsSchema, readOcrSettings } from "./ocr-settings.js";
import { register } from "./register.js";
import { renderText } from "./render-text.test.helper.js";

const dir = mkdtempSync(join(tmpdir(), "ocr-test-"));
after(async () => {
  await terminateOcrWorkers();
  rmSync(dir, { recursive: true, force: true });
});

const here = fileURLToPath(new URL(".", import.meta.url));
const defaults = readOcrSettings({}, "t");

function image(name: string, text: string, options?: Parameters<typeof renderText>[2]): Uint8Array {
  const path = join(dir, name);
  renderText(text, path, options);
  return readFileSync(path);
}

describe("OCR settings and language data", () => {
  test("defaults; language codes are checked and each kept once", () => {
    assert.deepEqual(defaults, { lang: "eng", psm: 3, preserve_interword_spaces: false, rotate_auto: false });
    assert.equal(readOcrSettings({ lang: "eng+fra+eng" }, "t").lang, "eng+fra");
    assert.deepEqual(readOcrSettings({ psm: 7, char_whitelist: "0123456789", dpi: 300, rotate_auto: true }, "t"), {
      lang: "eng",
      psm: 7,
      char_whitelist: "0123456789",
      dpi: 300,
      preserve_interword_spaces: false,
      rotate_auto: true,
    });
    assert.throws(() => readOcrSettings({ lang: "English" }, "read sign"), {
      name: "OcrSettingsError",
      message: 'prompt "read sign": setting "lang" must be Tesseract language codes joined by "+", e.g. "eng" or "eng+fra", got "English"',
    });
    assert.throws(() => readOcrSettings({ psm: 0 }, "t"), /setting "psm" must be one of 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, got 0/);
    assert.throws(() => readOcrSettings({ dpi: 10 }, "t"), OcrSettingsError);
    assert.throws(() => readOcrSettings({ rotate_auto: "yes" }, "t"), OcrSettingsError);
  });

  test("the schema is draft-07 with a type, default or range and description per setting; core's validateSettings uses it", () => {
    assert.equal(ocrSettingsSchema.$schema, "http://json-schema.org/draft-07/schema#");
    const properties = ocrSettingsSchema.properties as Record<string, Record<string, unknown>>;
    for (const [name, p] of Object.entries(properties)) assert.ok(typeof p.type === "string" && typeof p.description === "string", name);
    assert.equal(properties.lang!.default, defaults.lang);
    assert.equal(properties.psm!.default, defaults.psm);
    const registry = register(new ProviderRegistry());
    const doc = (settings: Record<string, unknown>) => ({
      data: {
        name: "v",
        schema_version: "latest",
        metadata: {},
        prompts: [{ name: "p", input: "", metadata: { model: { name: "ocr", settings } } }],
      },
    });
    assert.deepEqual(validateSettings(doc({ lang: "eng", psm: 6 }), "v.json", registry), []);
    assert.deepEqual(
      validateSettings(doc({ psm: 12 }), "v.json", registry).map((p) => p.pointer),
      ["/prompts/0/metadata/model/settings/psm"],
    );
  });

  test("language data comes from the npm package; a language without its package says which to install", () => {
    const eng = languageDataFile("eng");
    assert.match(eng, /@tesseract\.js-data\/eng\/4\.0\.0_best_int\/eng\.traineddata\.gz$/);
    assert.ok(existsSync(eng));
    assert.throws(() => languageDataFile("kat_old"), {
      name: "OcrLanguageDataError",
      message:
        'OCR language "kat_old" has no data here: install it with `npm install @tesseract.js-data/kat_old` (language data is read from that package, never downloaded)',
    });
  });
});

describe("tesseract.js reads rendered text", () => {
  test("two lines of sans-serif in a PNG", async (t) => {
    const png = image("fox.png", "The quick brown fox\njumps over the lazy dog");
    const started = performance.now();
    const read = await recognizeText(png, defaults);
    t.diagnostic(`first OCR (worker start included): ${Math.round(performance.now() - started)} ms`);
    assert.equal(read.text, "The quick brown fox\njumps over the lazy dog");
    assert.ok(read.confidence > 80, `confidence ${read.confidence}`);
    const again = performance.now();
    assert.equal((await recognizeText(png, defaults)).text, read.text);
    t.diagnostic(`second OCR (worker reused): ${Math.round(performance.now() - again)} ms`);
    assert.equal(ocrWorkerCount(), 1);
  });

  test("three lines of grey serif text in a JPEG", async () => {
    const jpg = image("museum.jpg", "Welcome to the\nLighthouse Museum\nOpen daily 9 to 5", {
      font: "DejaVu-Serif",
      fill: "#333333",
      pointSize: 32,
    });
    assert.equal((await recognizeText(jpg, defaults)).text, "Welcome to the\nLighthouse Museum\nOpen daily 9 to 5");
  });

  test("settings apply to one run only: a digits whitelist, then all characters again on the same worker", async () => {
    const png = image("room.png", "Room 42, floor 7");
    const digits = await recognizeText(png, readOcrSettings({ psm: 7, char_whitelist: "0123456789 " }, "t"));
    assert.match(digits.text, /^[0-9 ]+$/);
    assert.match(digits.text, /42/);
    assert.equal((await recognizeText(png, defaults)).text, "Room 42, floor 7");
    assert.equal(ocrWorkerCount(), 1);
  });

  test("rotate_auto straightens a slightly rotated image", async () => {
    const png = image("tilted.png", "Keep this door closed", { rotate: 8, pointSize: 40 });
    assert.equal((await recognizeText(png, readOcrSettings({ rotate_auto: true }, "t"))).text, "Keep this door closed");
  });

  test("bytes that are not an image fail with OcrError, and the worker still reads the next image", async () => {
    await assert.rejects(recognizeText(new TextEncoder().encode("not an image at all"), defaults), (e: unknown) => {
      assert.ok(e instanceof OcrError);
      assert.match(e.message, /^tesseract\.js cannot read the image: /);
      return true;
    });
    assert.equal((await recognizeText(image("ok.png", "Still working"), defaults)).text, "Still working");
  });

  test("terminateOcrWorkers ends the worker; the next run starts a new one", async () => {
    await terminateOcrWorkers();
    assert.equal(ocrWorkerCount(), 0);
    assert.equal((await recognizeText(image("hi.png", "Hello again"), defaults)).text, "Hello again");
    assert.equal(ocrWorkerCount(), 1);
  });
});

describe("offline", () => {
  /** Runs a script in a child Node whose main and worker threads log and refuse every fetch and socket connection. */
  function runBlocked(
    name: string,
    source: string,
  ): { status: number | null; signal: string | null; stdout: string; stderr: string; threads: number; reaches: string[] } {
    const log = join(dir, `${name}.log`);
    writeFileSync(log, "");
    const preload = join(dir, "block-network.cjs");
    writeFileSync(
      preload,
      `const { appendFileSync } = require("node:fs");
const { threadId } = require("node:worker_threads");
const log = (line) => appendFileSync(process.env.NETWORK_LOG, line + "\\n");
log("loaded in thread " + threadId);
globalThis.fetch = async (url) => { log("fetch " + url); throw new Error("network blocked by the test"); };
const net = require("node:net");
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = Array.isArray(args[0]) ? args[0][0] : args[0];
  // Local IPC (a Unix socket path, as tsx's loader uses) is not the network.
  if (target && typeof target === "object" && typeof target.path === "string") return connect.apply(this, args);
  log("connect " + JSON.stringify(target));
  throw new Error("network blocked by the test");
};
`,
    );
    const script = join(dir, `${name}.mts`);
    writeFileSync(script, source);
    const child = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--require", preload, script], {
      cwd: here,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, NETWORK_LOG: log },
    });
    const lines = readFileSync(log, "utf8").trim().split("\n");
    return {
      status: child.status,
      signal: child.signal,
      stdout: child.stdout,
      stderr: child.stderr,
      threads: lines.filter((l) => l.startsWith("loaded in thread ")).length,
      reaches: lines.filter((l) => !l.startsWith("loaded in thread ")),
    };
  }

  test("with fetch and sockets blocked in every thread, OCR works, nothing reaches for the network, and the process exits by itself", () => {
    writeFileSync(join(dir, "sign.png"), image("sign.png", "No network needed"));
    const child = runBlocked(
      "ours",
      `import { readFileSync } from "node:fs";
import { recognizeText } from ${JSON.stringify(pathToFileURL(resolve(here, "ocr-engine.ts")).href)};
import { readOcrSettings } from ${JSON.stringify(pathToFileURL(resolve(here, "ocr-settings.ts")).href)};
const read = await recognizeText(readFileSync(${JSON.stringify(join(dir, "sign.png"))}), readOcrSettings({}, "child"));
console.log(JSON.stringify(read.text));
`,
    );
    assert.equal(child.signal, null, `the child did not exit by itself (the worker thread kept it running): ${child.stderr}`);
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), JSON.stringify("No network needed"));
    assert.ok(child.threads >= 2, "the blocker ran in the main thread and in worker threads");
    assert.deepEqual(child.reaches, [], "nothing reached for the network");
  });

  test("the control: tesseract.js left to its default paths downloads its language data, which the blocker catches in the worker", () => {
    const tesseract = pathToFileURL(createRequire(import.meta.url).resolve("tesseract.js")).href;
    const child = runBlocked(
      "control",
      `const { createWorker } = await import(${JSON.stringify(tesseract)});
// tesseract.js throws the failed download out of its message handler; it does not end the worker, so exit here.
process.on("uncaughtException", (e) => {
  console.log("failed: " + String(e));
  process.exit(0);
});
await createWorker("eng", 1, { cacheMethod: "none" });
console.log("made a worker");
process.exit(1);
`,
    );
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /^failed: .*network blocked by the test/);
    assert.deepEqual(child.reaches, ["fetch https://cdn.jsdelivr.net/npm/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz"]);
  });
});

function ocrFile(name: string, prompts: unknown[]): string {
  const path = join(dir, `${name}.aiconfig.json`);
  writeFileSync(path, JSON.stringify({ name, schema_version: "latest", metadata: {}, prompts }));
  return path;
}

describe("tesseract provider through the runtime", () => {
  test("an image file attachment (relative to the aiconfig file) becomes a text output", async () => {
    renderText("Fresh bread daily", join(dir, "bakery.png"));
    const path = ocrFile("bakery", [
      {
        name: "read",
        input: { attachments: [{ data: { kind: "file_uri", value: "bakery.png" }, mime_type: "image/png" }] },
        metadata: { model: { name: "ocr", settings: { psm: 6 } } },
      },
    ]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    assert.deepEqual(await rt.resolve("read"), {
      image: { mime_type: "image/png", uri: join(dir, "bakery.png") },
      lang: "eng",
      psm: 6,
      preserve_interword_spaces: false,
      rotate_auto: false,
    });
    const [output] = await rt.run("read");
    assert.equal(rt.getOutputText("read"), "Fresh bread daily");
    assert.equal(output?.output_type, "execute_result");
    assert.deepEqual(Object.keys((output as { metadata: object }).metadata), ["confidence", "lang", "psm"]);
  });

  test("base64 image data; provider aliases in model_parsers; a prompt without an image fails before running", async () => {
    const png = image("b64.png", "Inline image");
    const path = ocrFile("inline", [
      {
        name: "read",
        input: { attachments: [{ data: { kind: "base64", value: Buffer.from(png).toString("base64") }, mime_type: "image/png" }] },
        metadata: { model: "sign-reader" },
      },
      { name: "no image", input: "read this", metadata: { model: "tesseract" } },
    ]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    rt.config.metadata.model_parsers = { "sign-reader": "local-ocr" };
    assert.equal(rt.registry.find("sign-reader", rt.config.metadata.model_parsers), tesseractProvider);
    await rt.run("read");
    assert.equal(rt.getOutputText("read"), "Inline image");
    await assert.rejects(rt.run("no image"), (e: unknown) => {
      assert.ok(e instanceof OcrInputError);
      assert.match(e.message, /^prompt "no image": OCR needs an image attachment/);
      return true;
    });
  });

  test("a language whose data is not installed fails the run, stored as an error output naming the package", async () => {
    const path = ocrFile("lang", [
      {
        name: "read",
        input: { attachments: [{ data: { kind: "file_uri", value: "bakery.png" }, mime_type: "image/png" }] },
        metadata: { model: { name: "ocr", settings: { lang: "kat_old" } } },
      },
    ]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    await assert.rejects(rt.run("read"), (e: unknown) => {
      assert.ok((e as Error).cause instanceof OcrLanguageDataError);
      return true;
    });
    assert.equal(rt.config.prompts[0]?.outputs?.[0]?.output_type, "error");
  });
});
