/**
 * Faults of a Hugging Face endpoint, through the real `@huggingface/inference`
 * SDK against a local server (issue 9, "Faults"): each ends in one line
 * naming the URL, within the bounds the settings give. The replies are
 * constructed (a 503 with Retry-After, a stalled stream, an HTML page, an
 * oversized body); the chat completion that follows a retry is the shape
 * text-generation-inference answers.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ProviderResponseError } from "@aiconfig-ts/core";
import { startFaultServer } from "@aiconfig-ts/testing";
import { resolveContext, runContext } from "./test-support.js";
import { textGenerationProvider } from "./text-generation.js";

// One local server for the file; each test fails if the SDK wrote on the console.
const server = await startFaultServer();

const chatCompletion = {
  id: "c",
  object: "chat.completion",
  created: 1,
  model: "tgi",
  choices: [{ index: 0, message: { role: "assistant", content: "Hi there" }, finish_reason: "stop" }],
};

async function runChat(settings: Record<string, unknown>, streaming = false) {
  const warned: string[] = [];
  const opts = {
    model: "Text Generation",
    settings: { endpoint_url: `${server.url}/tgi`, ...settings },
    text: "Hello",
    env: {},
    streaming,
  };
  const request = await textGenerationProvider.resolve(resolveContext(opts));
  const outputs = await textGenerationProvider.run(request, { ...runContext(opts), warn: (m: string) => warned.push(m) });
  return { outputs, warned };
}

function fault(kind: ProviderResponseError["kind"], pattern: RegExp) {
  return (e: unknown) => {
    assert.ok(ProviderResponseError.isInstance(e), `a ProviderResponseError, got ${String(e)}`);
    assert.equal(e.kind, kind);
    assert.match(e.message, pattern);
    assert.ok(!e.message.includes("\n"));
    return true;
  };
}

test("Retry-After: 3600 with max_retries waits at most max_retry_wait and says so, then the retry's reply is stored", async () => {
  server.reply({ json: { error: "Model is loading" }, status: 503, headers: { "retry-after": "3600" } }, { json: chatCompletion });
  const { outputs, warned } = await runChat({ max_retries: 1, max_retry_wait: 20 });
  assert.equal(outputs.length, 1);
  assert.equal(server.requests.length, 2);
  assert.equal(warned.length, 1);
  assert.match(warned[0]!, /answered 503 and asked to wait 3600 s; waiting 0\.02 s \(max_retry_wait\)/);
});

test("without max_retries a 503 is not retried (a loading model says so at once)", async () => {
  server.reply({ json: { error: "Model is loading" }, status: 503, headers: { "retry-after": "3600" } });
  await assert.rejects(runChat({}), /answered 503/);
  assert.equal(server.requests.length, 1);
});

test("a stream that stalls after its headers fails with a timeout naming the URL", async () => {
  server.reply((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(
      `data: ${JSON.stringify({ ...chatCompletion, object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] })}\n\n`,
    );
  });
  await assert.rejects(
    runChat({ timeout: 200 }, true),
    fault("timeout", /^Hugging Face Inference at http:\/\/127\.0\.0\.1:\d+\/tgi\/v1\/chat\/completions sent nothing for 0\.2 s/),
  );
});

test("a 200 reply of HTML says so, not a TypeError", async () => {
  server.reply({ body: "<html><body>Sign in</body></html>", headers: { "content-type": "text/html" } });
  await assert.rejects(
    runChat({}),
    fault("not-json", /^the server at http:\/\/127\.0\.0\.1:\d+\/tgi\/v1\/chat\/completions answered text\/html, not JSON/),
  );
});

test("a reply larger than max_response_bytes is cut off with an error", async () => {
  server.reply({ body: JSON.stringify({ ...chatCompletion, padding: "x".repeat(4096) }), headers: { "content-type": "application/json" } });
  await assert.rejects(runChat({ max_response_bytes: 1024 }), fault("too-large", /\(max_response_bytes\)/));
});
