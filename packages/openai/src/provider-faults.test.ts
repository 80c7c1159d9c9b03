/**
 * Faults of an OpenAI-compatible server, through the real `openai` SDK
 * against a local server (issue 9, "Faults"): each ends in one line naming
 * the URL, within the bounds the settings give, with nothing on the console.
 * Replies are constructed (a 429 with Retry-After, a stalled stream, an HTML
 * page, an oversized body); the successful one is the recorded completion.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ModelSettings, ProviderResponseError, type RunContext } from "@aiconfig-ts/core";
import { closedPort, startFaultServer } from "@aiconfig-ts/testing";
import { openaiChat } from "./chat/chat-provider.js";
import { onePrompt, runtimeFor, TEST_KEY, textCompletion } from "./test-support.test.helper.js";

// One local server for the file; each test fails if the SDK wrote on the console.
const server = await startFaultServer();

/** Runs one chat request on the provider with these settings; `warned` collects what it says. */
async function runChat(settings: ModelSettings, baseURL = `${server.url}/v1`, stream = false) {
  const warned: string[] = [];
  const ctx: RunContext = {
    prompt: { name: "p", input: "hi" },
    model: "gpt-4o-mini",
    settings,
    signal: new AbortController().signal,
    streaming: stream,
    stream: () => {},
    configDir: undefined,
    env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: baseURL },
    storeBinary: () => Promise.reject(new Error("no binary")),
    warn: (m) => warned.push(m),
  };
  const outputs = await openaiChat.run({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }, ctx);
  return { outputs, warned };
}

function fault(kind: ProviderResponseError["kind"], pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(ProviderResponseError.isInstance(e), `a ProviderResponseError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes(TEST_KEY) && !e.message.includes("\n"));
    return true;
  };
}

describe("OpenAI server faults", () => {
  test("Retry-After: 3600 waits at most max_retry_wait and says so, then the retry's reply is stored", async () => {
    server.reply(
      { json: { error: { message: "rate limited" } }, status: 429, headers: { "retry-after": "3600" } },
      { json: textCompletion },
    );
    const { outputs, warned } = await runChat({ max_retry_wait: 20 });
    assert.equal(outputs.length, 1);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(warned, [
      "OpenAI API answered 429 and asked to wait 3600 s; waiting 0.02 s (max_retry_wait) before retrying (attempt 2 of 3)",
    ]);
  });

  test("through the runtime, the waiting notice reaches the run's onWarning", async () => {
    server.reply({ json: { error: { message: "busy" } }, status: 503, headers: { "retry-after": "3600" } }, { json: textCompletion });
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4o-mini", settings: { max_retry_wait: 10 } }), {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: `${server.url}/v1`,
    });
    const warned: string[] = [];
    await rt.run("p", {}, { onWarning: (m) => warned.push(m) });
    assert.deepEqual(warned, [
      "OpenAI API answered 503 and asked to wait 3600 s; waiting 0.01 s (max_retry_wait) before retrying (attempt 2 of 3)",
    ]);
  });

  test("a stream that stalls after its headers fails with a timeout naming the URL", async () => {
    server.reply((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(
        `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] })}\n\n`,
      );
    });
    await assert.rejects(
      runChat({ timeout: 200 }, undefined, true),
      fault("timeout", /^OpenAI API at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions sent nothing for 0\.2 s/),
    );
  });

  test("connection refused names the URL instead of 'Connection error.'", async () => {
    const port = await closedPort();
    await assert.rejects(
      runChat({ max_retries: 0 }, `http://127.0.0.1:${port}/v1`),
      fault("connection", new RegExp(`^could not reach OpenAI API at http://127.0.0.1:${port}/v1/chat/completions: connection refused`)),
    );
  });

  test("a 200 reply of HTML says so, not 'completion.choices is not iterable'", async () => {
    server.reply({ body: "<html><body>Sign in</body></html>", headers: { "content-type": "text/html" } });
    await assert.rejects(
      runChat({}),
      fault("not-json", /^the server at http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered text\/html, not JSON/),
    );
  });

  test("a 200 reply of broken JSON says so", async () => {
    server.reply({ body: '{"id": "chatcmpl-1", "choices": [', headers: { "content-type": "application/json" } });
    await assert.rejects(runChat({}), fault("not-json", /answered application\/json that is not valid JSON/));
  });

  test("a reply larger than max_response_bytes is cut off with an error", async () => {
    server.reply({
      body: JSON.stringify({ ...textCompletion, padding: "x".repeat(4096) }),
      headers: { "content-type": "application/json" },
    });
    await assert.rejects(runChat({ max_response_bytes: 1024 }), fault("too-large", /\(max_response_bytes\)/));
  });
});
