/**
 * The key/endpoint attack and the server faults of issue 9, through the real
 * `@google/genai` against a local server. Replies: the recorded
 * `google-429-retry-info.json` (with a constructed Retry-After header) and
 * `google-text.json`; the stalled stream and the HTML page are constructed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EndpointNotAllowedError, type ModelSettings, ProviderResponseError, type RunContext } from "@aiconfig-ts/core";
import { readFixtureJSON, startFaultServer } from "@aiconfig-ts/testing";
import { geminiProvider } from "./gemini-provider.js";

const KEY = "gemini-shell-key-0123";
// One local server for the file; each test fails if the SDK wrote on the console.
const server = await startFaultServer();

async function run(settings: ModelSettings, env: Record<string, string>, streaming = false) {
  const warned: string[] = [];
  const ctx: RunContext = {
    prompt: { name: "p", input: "hi" },
    model: "gemini-2.5-flash",
    settings,
    signal: new AbortController().signal,
    streaming,
    stream: () => {},
    configDir: undefined,
    env,
    storeBinary: () => Promise.reject(new Error("no binary")),
    warn: (m) => warned.push(m),
  };
  const outputs = await geminiProvider.run(
    { model: "gemini-2.5-flash", contents: [{ role: "user", parts: [{ text: "hi" }] }] } as never,
    ctx,
  );
  return { outputs, warned };
}

const trusted = () => ({ GEMINI_API_KEY: KEY, GOOGLE_GEMINI_BASE_URL: server.url });

test("attack: base_url in the file never receives the GEMINI_API_KEY of the user's environment", async () => {
  server.fallback({ json: readFixtureJSON("google", "google-text.json") });
  await assert.rejects(run({ base_url: server.url }, { GEMINI_API_KEY: KEY }), (e: unknown) => {
    assert.ok(EndpointNotAllowedError.isInstance(e));
    assert.match(e.message, /not sending the Gemini key from GEMINI_API_KEY in your environment to http:\/\/127\.0\.0\.1:\d+\//);
    return true;
  });
  assert.equal(server.requests.length, 0);
});

test("Retry-After: 3600 waits at most max_retry_wait, says so, and the retry's reply is stored", async () => {
  server.reply({ json: readFixtureJSON("google", "google-429-retry-info.json"), status: 429, headers: { "retry-after": "3600" } });
  server.reply({ json: readFixtureJSON("google", "google-text.json") });
  const { outputs, warned } = await run({ max_retries: 1, max_retry_wait: 20 }, trusted());
  assert.equal(outputs.length, 1);
  assert.equal(server.requests.length, 2);
  assert.deepEqual(warned, [
    "Gemini answered 429 and asked to wait 3600 s; waiting 0.02 s (max_retry_wait) before retrying (attempt 2 of 2)",
  ]);
});

test("a stream that stalls after its headers fails with a timeout naming the URL, without the key", async () => {
  server.reply((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(`data: ${JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: "Hel" }] }, index: 0 }] })}\n\n`);
  });
  await assert.rejects(run({ timeout: 200 }, trusted(), true), (e: unknown) => {
    assert.ok(ProviderResponseError.isInstance(e), String(e));
    assert.equal(e.kind, "timeout");
    assert.match(
      e.message,
      /^Gemini at http:\/\/127\.0\.0\.1:\d+\/v1beta\/models\/gemini-2\.5-flash:streamGenerateContent sent nothing for 0\.2 s/,
    );
    assert.ok(!e.message.includes(KEY));
    return true;
  });
});

test("a 200 reply of HTML says so", async () => {
  server.reply({ body: "<!doctype html><p>captive portal</p>", headers: { "content-type": "text/html" } });
  await assert.rejects(run({}, trusted()), /answered text\/html, not JSON/);
});
