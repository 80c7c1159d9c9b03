import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ReplayServer, readFixtureChunks, startReplayServer } from "@aiconfig-ts/testing";
import { type TestBrowser, launchBrowser } from "./browser.test.helper.js";
import { bundleForPage } from "./page-bundle.test.helper.js";

/**
 * Key-based providers called from a page, as the static site calls them: core's browser entry,
 * @aiconfig-ts/openai, @aiconfig-ts/anthropic and @aiconfig-ts/gemini bundled with esbuild (`platform: "browser"`), in Chromium, the key from the
 * page's environment (`setBrowserEnvironment`), against a local server answering with OpenAI's
 * recorded stream. The page is served from the server's origin (no CORS needed here; the site's
 * tests cover a cross-origin mock).
 */
let browser: TestBrowser;
let server: ReplayServer;
const chunks = readFixtureChunks("openai", "openai-text.chunks.txt");
const streamedText = chunks
  .map((c) => JSON.parse(c) as { choices: Array<{ delta?: { content?: string | null } }> })
  .flatMap((c) => c.choices.map((ch) => ch.delta?.content ?? ""))
  .join("");

before(async () => {
  const bundle = await bundleForPage(
    `
        import * as core from "@aiconfig-ts/core";
        import { register as registerOpenAI } from "@aiconfig-ts/openai";
        import { register as registerAnthropic } from "@aiconfig-ts/anthropic";
        import { register as registerGemini } from "@aiconfig-ts/gemini";
        globalThis.runInPage = async (environment, model) => {
          core.setBrowserEnvironment(environment);
          const registry = new core.ProviderRegistry();
          registerOpenAI(registry);
          registerAnthropic(registry);
          registerGemini(registry);
          const runtime = new core.AIConfigRuntime(
            { name: "page", schema_version: "latest", metadata: {}, prompts: [{ name: "ask", input: "Invent a holiday", metadata: { model } }] },
            { registry },
          );
          const pieces = [];
          await runtime.run("ask", {}, { stream: true, onStream: (c) => pieces.push(c.delta) });
          return { text: runtime.getOutputText("ask"), pieces: pieces.length, browser: core.runsInBrowser() };
        };`,
    "js",
  );
  server = await startReplayServer();
  browser = await launchBrowser();
  await browser.page.route(`${server.url}/`, (route) =>
    route.fulfill({ contentType: "text/html", body: "<!doctype html><title>key-based provider in a page</title>" }),
  );
  await browser.page.goto(`${server.url}/`);
  await browser.page.addScriptTag({ content: bundle, type: "module" });
  await browser.page.waitForFunction(() => typeof (globalThis as { runInPage?: unknown }).runInPage === "function");
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function runInPage(environment: Record<string, string>, model: string): Promise<unknown> {
  return browser.page.evaluate(
    ([env, m]) => (globalThis as unknown as { runInPage(e: unknown, m: string): Promise<unknown> }).runInPage(env, m as string),
    [environment, model] as const,
  );
}

describe("key-based providers run in a page with the visitor's key", () => {
  test("the SDK streams a recorded chat reply into the page's runtime; the key goes in the request to the key's own endpoint", async () => {
    server.reply({ sse: chunks, done: true });
    const result = await runInPage({ OPENAI_API_KEY: "sk-page-visitor-0123456789", OPENAI_BASE_URL: `${server.url}/v1` }, "gpt-4.1-nano");
    assert.deepEqual(result, { text: streamedText, pieces: (result as { pieces: number }).pieces, browser: true });
    assert.ok((result as { pieces: number }).pieces > 1);
    const request = server.requests.find((r) => r.path === "/v1/chat/completions");
    assert.ok(request, server.requests.map((r) => r.path).join(", "));
    assert.equal(request.headers.authorization, "Bearer sk-page-visitor-0123456789");
    assert.equal(request.body.stream, true);
    // sent by the page (a browser's fetch), not by Node
    assert.equal(request.headers.origin, server.url);
    assert.deepEqual(browser.pageErrors, []);
  });

  test("the Anthropic SDK streams a recorded reply in the page, sending its direct-browser-access header", async () => {
    const events = readFixtureChunks("anthropic", "anthropic-text.chunks.txt");
    server.reply({ sse: events.map((l) => ({ event: (JSON.parse(l) as { type: string }).type, data: l })) });
    const before = server.requests.length;
    const result = (await runInPage(
      { ANTHROPIC_API_KEY: "sk-ant-page-visitor-0123456789", ANTHROPIC_BASE_URL: server.url },
      "claude-sonnet-4-5",
    )) as {
      text: string;
      pieces: number;
      browser: boolean;
    };
    const expected = events
      .map((l) => JSON.parse(l) as { type: string; delta?: { text?: string } })
      .filter((e) => e.type === "content_block_delta")
      .map((e) => e.delta?.text ?? "")
      .join("");
    assert.equal(result.text, expected);
    assert.equal(result.browser, true);
    const request = server.requests[before];
    assert.equal(request?.path, "/v1/messages");
    assert.equal(request?.headers.authorization, "Bearer sk-ant-page-visitor-0123456789");
    assert.equal(request?.headers["anthropic-dangerous-direct-browser-access"], "true");
    assert.deepEqual(browser.pageErrors, []);
  });

  test("the Gemini SDK's browser build streams a recorded reply in the page, the key in its header", async () => {
    const events = readFixtureChunks("google", "google-text.chunks.txt");
    server.reply({ sse: events });
    const before = server.requests.length;
    const result = (await runInPage(
      { GEMINI_API_KEY: "AIza-page-visitor-0123456789", GOOGLE_GEMINI_BASE_URL: server.url },
      "gemini-2.5-flash",
    )) as {
      text: string;
      browser: boolean;
    };
    const expected = events
      .map((l) => JSON.parse(l) as { candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }> })
      .flatMap((e) => e.candidates?.[0]?.content?.parts?.map((p) => p.text ?? "") ?? [])
      .join("");
    assert.equal(result.text, expected);
    assert.equal(result.browser, true);
    const request = server.requests[before];
    assert.equal(request?.path, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assert.equal(request?.headers["x-goog-api-key"], "AIza-page-visitor-0123456789");
    assert.equal(request?.headers.origin, server.url);
    assert.deepEqual(browser.pageErrors, []);
  });
});
