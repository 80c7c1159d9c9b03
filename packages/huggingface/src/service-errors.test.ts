/**
 * Failures no recording holds: the replies here are constructed (a JSON
 * object of no task's shape, a JSON reply where audio bytes are expected) or
 * there is no reply at all (a port nothing listens on).
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, test } from "node:test";
import { type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { UnexpectedReplyError, HuggingFaceServiceError, maxTokensHint } from "./service-errors.js";
import { summarizationProvider } from "./summarization.js";
import { resolveContext, runContext } from "./test-support.js";
import { textGenerationProvider } from "./text-generation.js";
import { textToSpeechProvider } from "./text-to-speech.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

async function runOn<R>(
  provider: { resolve(ctx: any): R | Promise<R>; run(r: R, ctx: any): Promise<unknown> },
  settings: Record<string, unknown>,
  streaming = false,
) {
  const opts = { model: "Text Generation", settings: settings as any, text: "Hello", env: {}, streaming };
  const request = await provider.resolve(resolveContext(opts));
  return provider.run(request, runContext(opts));
}

test("a chat reply of no known shape is an error naming the service, the URL and what came back, not a TypeError", async () => {
  server.reply({ json: { result: 42, note: "not a chat completion" } });
  await assert.rejects(runOn(textGenerationProvider, { endpoint_url: `${server.url}/tgi` }), (error: unknown) => {
    assert.ok(error instanceof UnexpectedReplyError, String(error));
    assert.equal(
      error.message,
      `Hugging Face Text Generation (Qwen/Qwen2.5-7B-Instruct): the endpoint at ${server.url}/tgi/v1/chat/completions answered 200 with a reply this task cannot read: {"result":42,"note":"not a chat completion"}`,
    );
    return true;
  });
});

test("a summary reply of no known shape is an UnexpectedReplyError showing the reply", async () => {
  server.reply({ json: [{ label: "POSITIVE", score: 0.99 }] });
  await assert.rejects(
    runOn(summarizationProvider, { endpoint_url: `${server.url}/sum` }),
    (error: unknown) =>
      error instanceof UnexpectedReplyError && /cannot read: \[\{"label":"POSITIVE","score":0\.99\}\]$/.test(error.message),
  );
});

test("text-to-speech answered with JSON instead of audio is an UnexpectedReplyError, not a TypeError", async () => {
  server.reply({ json: { message: "queued" } });
  await assert.rejects(
    runOn(textToSpeechProvider, { endpoint_url: `${server.url}/tts` }),
    (error: unknown) =>
      error instanceof UnexpectedReplyError &&
      /at .*\/tts answered 200 with a reply this task cannot read: \{"message":"queued"\}$/.test(error.message),
  );
});

test("a server that cannot be reached is an error naming the URL", async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  await assert.rejects(runOn(textGenerationProvider, { endpoint_url: `http://127.0.0.1:${port}/x` }), (error: unknown) => {
    assert.ok(error instanceof HuggingFaceServiceError, String(error));
    assert.match(
      error.message,
      new RegExp(`could not reach the endpoint at http://127\\.0\\.0\\.1:${port}/x/v1/chat/completions \\(ECONNREFUSED\\)`),
    );
    return true;
  });
});

test("the max_new_tokens fix is computed from text-generation-inference's limit message", () => {
  assert.equal(
    maxTokensHint(
      "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048. Given: 48 `inputs` tokens and 4000 `max_new_tokens`",
    ),
    ": set the max_new_tokens setting (or max_tokens) to at most 2000 (the model takes 2048 tokens, input included)",
  );
  assert.equal(maxTokensHint("max_tokens is too large"), ": lower the max_new_tokens setting (or max_tokens)");
  assert.equal(maxTokensHint("Model is loading"), "");
});
