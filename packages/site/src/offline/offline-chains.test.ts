/**
 * The offline chains of issue 14 in an exported site, in Debian's Chromium
 * with every request off the site's origin blocked: the story chain on
 * stories260K (wllama), and OCR -> story -> speech (tesseract.js, wllama,
 * espeak-ng) with the speech played by an `<audio>` element. The page is the
 * test's own (`offline-page.test.helper.ts`, bundled with core's browser
 * entry), under the site page's Content-Security-Policy, in the folder that
 * `writeSite` (what `aiconfig export --site` runs) wrote.
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { AIConfigRuntime, type ExecuteResult, type Output, ProviderRegistry, type StoredData } from "@aiconfig-ts/core";
import { disposeLlama, register as registerLlama } from "@aiconfig-ts/llama";
import { readEspeakSettings, readWavInfo, synthesize } from "@aiconfig-ts/local-speech";
import { modelsDir, repoRoot } from "@aiconfig-ts/testing";
import type { Browser } from "playwright-core";
import { exportTestSite, guardRequests, launchChromium, serveFolder } from "../site.test.helper.js";
import { builtSiteDir } from "../write-site.js";
import type { PageRun, PageRunOptions } from "./offline-page.test.helper.js";

const PAGE_DIR = "offline-test";
const cleanups: (() => unknown)[] = [];
let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup();
  await disposeLlama();
});

/**
 * The Content-Security-Policy of the built page (its meta tag), which the test
 * page takes as it is: no `'unsafe-eval'` (core's validators are precompiled,
 * the providers' settings are checked without eval in a browser); what the
 * offline providers need is there: `'wasm-unsafe-eval'`, `worker-src 'self'
 * blob:` (wllama's worker), `connect-src 'self'`, `media-src data:`.
 */
function pageCsp(): string {
  const html = readFileSync(join(builtSiteDir(), "index.html"), "utf8");
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  assert.ok(csp, "the built page has a CSP meta tag");
  assert.doesNotMatch(csp, /'unsafe-eval'|'unsafe-inline'/);
  return csp;
}

/** The headers that make a page cross-origin isolated (what wllama's multi-thread mode needs). */
const ISOLATION_HEADERS = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };

/**
 * Exports `config` as a site, adds the test page to it, serves it (with `headers`), opens the page; every other origin blocked.
 */
async function openSite(config: unknown, fileName: string, files: Record<string, Uint8Array> = {}, headers: Record<string, string> = {}) {
  const { dir, site } = await exportTestSite(config, fileName, files);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const { build } = await import("esbuild");
  await build({
    entryPoints: [fileURLToPath(new URL("./offline-page.test.helper.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["source"],
    outfile: join(site.dir, PAGE_DIR, "page.js"),
    logLevel: "error",
  });
  writeFileSync(
    join(site.dir, PAGE_DIR, "index.html"),
    `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${pageCsp()}"></head><body><script type="module" src="page.js"></script></body></html>`,
  );
  const server = await serveFolder(site.dir, headers);
  cleanups.push(() => server.close());
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const blocked = await guardRequests(context, server.origin);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  await page.goto(`${server.origin}/${PAGE_DIR}/index.html`);
  await page.waitForSelector('body[data-ready="true"]', { state: "attached" });
  const run = (target: string, options: PageRunOptions = {}) =>
    page.evaluate(
      ([t, o]) => (globalThis as unknown as { runNotebook(t: string, o: PageRunOptions): Promise<PageRun> }).runNotebook(t, o),
      [target, options] as const,
    );
  return { page, site, blocked, errors, run };
}

function text(outputs: readonly Output[]): string {
  const output = outputs[0] as ExecuteResult | undefined;
  assert.equal(output?.output_type, "execute_result");
  assert.equal(typeof output.data, "string");
  return output.data as string;
}

describe("offline chains in the exported site's page (Chromium, only the site's origin reachable)", () => {
  test("the story chain runs on stories260K in the page: the continuation is built from the opening's output, streamed", async () => {
    const example = readFileSync(join(repoRoot, "examples", "story.aiconfig.json"), "utf8");
    const { run, blocked, errors } = await openSite(example, "story.aiconfig.json");
    const result = await run("continuation");
    const opening = text(result.outputs["opening"]!);
    const continuation = text(result.outputs["continuation"]!);
    assert.ok(opening.trim().split(/\s+/).length >= 20, `the opening is a story: ${JSON.stringify(opening)}`);
    assert.ok(continuation.trim().split(/\s+/).length >= 20, `the continuation is a story: ${JSON.stringify(continuation)}`);
    // the same output shape as the Node llama provider, with its settings (max_tokens 80, then 120)
    const meta = (result.outputs["opening"]![0] as ExecuteResult).metadata as {
      model: string;
      usage: Record<string, number>;
      finish_reason: string;
    };
    assert.equal(meta.model, "stories260K");
    assert.equal(meta.usage["completion_tokens"], 80);
    assert.equal(meta.finish_reason, "length");
    const second = (result.outputs["continuation"]![0] as ExecuteResult).metadata as { usage: Record<string, number> };
    assert.equal(second.usage["completion_tokens"], 120);
    // the continuation's prompt held the opening's output: its prompt is longer than the opening and its output
    assert.ok(second.usage["prompt_tokens"]! > meta.usage["completion_tokens"]!, JSON.stringify(second.usage));
    assert.equal(result.deltas.join(""), opening + continuation, "each prompt's text was streamed piece by piece, in order");
    assert.ok(result.deltas.length > 10);
    assert.deepEqual(blocked, [], "nothing was requested from another origin");
    assert.deepEqual(errors, []);
  });

  test("at temperature 0 the page gives the text node-llama-cpp gives in Node for the same file", async () => {
    const config = {
      name: "Constructed: one prompt on stories260K at temperature 0",
      schema_version: "latest",
      metadata: { models: { stories260K: { temperature: 0, max_tokens: 48 } } },
      prompts: [{ name: "once", input: "Once upon a time", metadata: { model: "stories260K" } }],
    };
    const node = AIConfigRuntime.loadJSON(config, {
      registry: registerLlama(new ProviderRegistry()),
      env: { AICONFIG_MODELS_DIR: modelsDir },
    });
    await node.run("once");
    const { run } = await openSite(config, "once.aiconfig.json");
    const page = await run("once");
    assert.equal(text(page.outputs["once"]!), node.getOutputText("once"));
    assert.match(text(page.outputs["once"]!), /^, there was a little girl named Lily\./);
  });

  test("a cross-origin isolated host gets wllama's multi-thread mode from the same gzipped wasm: threads 2 runs, same text", async () => {
    const config = {
      name: "Constructed: one prompt on stories260K at temperature 0, two threads",
      schema_version: "latest",
      metadata: { models: { stories260K: { temperature: 0, max_tokens: 48, threads: 2 } } },
      prompts: [{ name: "once", input: "Once upon a time", metadata: { model: "stories260K" } }],
    };
    const { page, run, blocked, errors } = await openSite(config, "threads.aiconfig.json", {}, ISOLATION_HEADERS);
    assert.equal(await page.evaluate(() => globalThis.crossOriginIsolated), true);
    const result = await run("once");
    assert.equal(result.error, undefined);
    assert.deepEqual(result.warnings, [], "the threads setting was followed");
    assert.match(text(result.outputs["once"]!), /^, there was a little girl named Lily\./);
    assert.deepEqual(blocked, []);
    assert.deepEqual(errors, []);
    // the control: the same site from a host without the headers runs on one thread and says so
    const plain = await openSite(config, "threads.aiconfig.json");
    const single = await plain.run("once");
    assert.match(single.warnings.join("\n"), /threads 2 needs a cross-origin isolated page .* running on 1 thread/);
    assert.equal(text(single.outputs["once"]!), text(result.outputs["once"]!));
  });

  test("the story's opening is the same tokens in Node and in the page (node-llama-cpp trimmed SentencePiece's space prefix: 28 against 27), so the same text at temperature 0 (the reply read with the space its first token starts with)", async () => {
    const story = JSON.parse(readFileSync(join(repoRoot, "examples", "story.aiconfig.json"), "utf8"));
    const config = { ...story, prompts: story.prompts.slice(0, 1) };
    const node = AIConfigRuntime.loadJSON(structuredClone(config), {
      registry: registerLlama(new ProviderRegistry()),
      env: { AICONFIG_MODELS_DIR: modelsDir },
    });
    await node.run("opening");
    const { run } = await openSite(config, "story.aiconfig.json");
    const page = await run("opening");
    const usage = (o: Output) => ((o as ExecuteResult).metadata as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    assert.equal(usage(page.outputs["opening"]![0]!).prompt_tokens, usage(node.getPrompt("opening")!.outputs![0]!).prompt_tokens);
    assert.equal(text(page.outputs["opening"]!), node.getOutputText("opening"));
  });

  test("a run cancelled while it streams stops with the cancellation, and the model then runs again", async () => {
    const config = {
      name: "Constructed: a long generation on stories260K",
      schema_version: "latest",
      metadata: { models: { stories260K: { temperature: 0.8, seed: 7, max_tokens: 3000 } } },
      prompts: [
        { name: "long", input: "Once upon a time", metadata: { model: "stories260K" } },
        { name: "short", input: "One day", metadata: { model: { name: "stories260K", settings: { max_tokens: 16 } } } },
      ],
    };
    const { run, blocked } = await openSite(config, "long.aiconfig.json");
    const cancelled = await run("long", { cancelAfterPieces: 5 });
    assert.match(cancelled.error ?? "", /abort|cancel/i, `the run ended with the cancellation: ${cancelled.error}`);
    assert.ok(cancelled.deltas.length < 100, `${cancelled.deltas.length} pieces streamed of up to 3000 tokens`);
    assert.equal((cancelled.outputs["long"] ?? []).filter((o) => o.output_type === "execute_result").length, 0, "no output was stored");
    const after = await run("short");
    assert.equal(after.error, undefined);
    assert.equal(
      ((after.outputs["short"]![0] as ExecuteResult).metadata as { usage: { completion_tokens: number } }).usage.completion_tokens,
      16,
    );
    assert.deepEqual(blocked, []);
  });

  test("OCR -> story -> speech runs in the page on the site's files, and an <audio> element plays the speech", async () => {
    const example = readFileSync(join(repoRoot, "examples", "multimodal.aiconfig.json"), "utf8");
    const sign = readFileSync(join(repoRoot, "examples", "assets", "sign.png"));
    const { page, run, blocked, errors } = await openSite(example.replace('"assets/sign.png"', '"sign.png"'), "multimodal.aiconfig.json", {
      "sign.png": sign,
    });
    const result = await run("read_aloud");
    assert.equal(text(result.outputs["read_sign"]!), "Once upon a time, there was a little dog named Max.");
    const story = text(result.outputs["story"]!);
    assert.ok(story.trim().split(/\s+/).length >= 10, `the model went on with the read text: ${JSON.stringify(story)}`);
    const speech = result.outputs["read_aloud"]![0] as ExecuteResult;
    assert.equal(speech.mime_type, "audio/wav");
    const data = speech.data as StoredData;
    assert.equal(data.kind, "base64");
    const wav = readWavInfo(Buffer.from(data.value, "base64"))!;
    assert.equal(wav.sampleRate, 22050);
    assert.ok(wav.durationSeconds > 5, `${wav.durationSeconds} s of speech`);
    // the site's espeak-ng (English only, gzipped) speaks as the package's whole module does in Node: the same WAV bytes
    const spoken = text(result.outputs["read_sign"]!) + story;
    const inNode = await synthesize(spoken, readEspeakSettings({ voice: "en-us", speed: 160 }, "read_aloud"));
    assert.ok(Buffer.from(data.value, "base64").equals(Buffer.from(inNode)), "the page's WAV equals Node's");
    const played = await page.evaluate(
      (b64) => (globalThis as unknown as { playAudio(b: string): Promise<{ duration: number; ended: boolean }> }).playAudio(b64),
      data.value,
    );
    assert.ok(played.duration > 5, `the audio element reads ${played.duration} s`);
    assert.equal(played.ended, true);
    assert.deepEqual(blocked, [], "nothing was requested from another origin");
    assert.deepEqual(errors, []);
  });
});

test("fault: a visitor who sets a voice whose dictionary the site did not ship gets one line saying which and how to fix it", async () => {
  const config = {
    name: "Constructed: one espeak-ng prompt, exported with the default voice",
    schema_version: "latest",
    metadata: {},
    prompts: [{ name: "say", input: "Bonjour à tous", metadata: { model: "espeak-ng" } }],
  };
  const { run, blocked } = await openSite(config, "say.aiconfig.json");
  const french = await run("say", { settings: { say: { voice: "fr" } } });
  assert.equal(
    french.error,
    'ProviderError: prompt "say" failed on provider "espeak": espeak-ng here holds the en dictionaries only; voice "fr" needs "fr": set that voice in the aiconfig file and export the site again (export copies the dictionaries of its prompts\' voices)',
  );
  const english = await run("say");
  assert.equal(english.error, undefined, "the exported voice still speaks");
  assert.equal((english.outputs["say"]![0] as ExecuteResult).mime_type, "audio/wav");
  assert.deepEqual(blocked, []);
});

describe("offline chains through the site's own page (the notebook UI, Chromium, only the site's origin reachable)", () => {
  /** Exports `config`, serves the site and opens its page until the notebook is ready. */
  async function openPage(config: string, fileName: string, files: Record<string, Uint8Array> = {}) {
    const { dir, site } = await exportTestSite(config, fileName, files);
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await serveFolder(site.dir);
    cleanups.push(() => server.close());
    const context = await browser.newContext();
    cleanups.push(() => context.close());
    const blocked = await guardRequests(context, server.origin);
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await page.locator(".aiw[data-ready=true]").waitFor({ timeout: 60_000 });
    return { page, blocked };
  }

  test("Run all of the story notebook: both prompts get stories260K's text in their cells", async () => {
    const { page, blocked } = await openPage(
      readFileSync(join(repoRoot, "examples", "story.aiconfig.json"), "utf8"),
      "story.aiconfig.json",
    );
    await page.getByRole("button", { name: "▶ Run all" }).click();
    const continuation = page.locator('[data-cell-name="continuation"] .output-text');
    await continuation.waitFor({ timeout: 120_000 });
    const opening = (await page.locator('[data-cell-name="opening"] .output-text').textContent()) ?? "";
    assert.ok(opening.trim().split(/\s+/).length >= 20, `the opening cell shows a story: ${JSON.stringify(opening)}`);
    assert.ok(((await continuation.textContent()) ?? "").trim().split(/\s+/).length >= 20);
    assert.deepEqual(blocked, [], "nothing was requested from another origin");
  });

  test("Run all of the OCR -> story -> speech notebook: the speech cell's audio element plays", async () => {
    const example = readFileSync(join(repoRoot, "examples", "multimodal.aiconfig.json"), "utf8");
    const { page, blocked } = await openPage(example.replace('"assets/sign.png"', '"sign.png"'), "multimodal.aiconfig.json", {
      "sign.png": readFileSync(join(repoRoot, "examples", "assets", "sign.png")),
    });
    await page.getByRole("button", { name: "▶ Run all" }).click();
    const audio = page.locator('[data-cell-name="read_aloud"] audio');
    await audio.waitFor({ state: "attached", timeout: 180_000 });
    assert.match((await page.locator('[data-cell-name="read_sign"] .output-text').textContent()) ?? "", /little dog named Max/);
    const played = await audio.evaluate(async (element) => {
      const a = element as HTMLAudioElement;
      if (!(a.duration > 0))
        await new Promise((resolve, reject) => {
          a.addEventListener("loadedmetadata", resolve, { once: true });
          a.addEventListener("error", () => reject(new Error(`audio error ${a.error?.code}`)), { once: true });
        });
      const ended = new Promise<boolean>((resolve) => a.addEventListener("ended", () => resolve(true), { once: true }));
      a.playbackRate = 16;
      await a.play();
      return { duration: a.duration, ended: await ended };
    });
    assert.ok(played.duration > 5, `the audio element reads ${played.duration} s`);
    assert.equal(played.ended, true);
    assert.deepEqual(blocked, [], "nothing was requested from another origin");
  });
});
