/**
 * The key/endpoint attack and the server faults of issue 9, through the real
 * `@anthropic-ai/sdk` against a local server. Replies are constructed (a 429
 * with Retry-After, a stalled stream, an HTML page); the successful one is
 * the recorded `anthropic-text.json`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { EndpointNotAllowedError, type ModelSettings, ProviderResponseError, type RunContext } from "@aiconfig-ts/core";
import { readFixtureJSON, startFaultServer } from "@aiconfig-ts/testing";
import { anthropicProvider } from "./anthropic-provider.js";

const KEY = "sk-ant-shell-0123456789";
// One local server for the file; each test fails if the SDK wrote on the console.
const server = await startFaultServer();

async function run(settings: ModelSettings, env: Record<string, string>, streaming = false, model = "claude-haiku-4-5") {
  const warned: string[] = [];
  const ctx: RunContext = {
    prompt: { name: "p", input: "hi" },
    model,
    settings,
    signal: new AbortController().signal,
    streaming,
    stream: () => {},
    configDir: undefined,
    env,
    storeBinary: () => Promise.reject(new Error("no binary")),
    warn: (m) => warned.push(m),
  };
  const outputs = await anthropicProvider.run({ model, max_tokens: 64, messages: [{ role: "user", content: "hi" }] }, ctx);
  return { outputs, warned };
}

const trusted = () => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: server.url });

test("attack: base_url in the file never receives the ANTHROPIC_API_KEY of the user's environment", async () => {
  server.fallback({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
  await assert.rejects(run({ base_url: server.url }, { ANTHROPIC_API_KEY: KEY }), (e: unknown) => {
    assert.ok(EndpointNotAllowedError.isInstance(e));
    assert.match(e.message, /not sending the Anthropic key from ANTHROPIC_API_KEY in your environment to http:\/\/127\.0\.0\.1:\d+\//);
    return true;
  });
  assert.equal(server.requests.length, 0);
});

test("Retry-After: 3600 waits at most max_retry_wait, says so, and the retry's reply is stored", async () => {
  server.reply({
    json: { type: "error", error: { type: "rate_limit_error", message: "slow" } },
    status: 429,
    headers: { "retry-after": "3600" },
  });
  server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
  const { outputs, warned } = await run({ max_retry_wait: 20 }, trusted());
  assert.equal(outputs.length, 1);
  assert.equal(server.requests.length, 2);
  assert.deepEqual(warned, [
    "Anthropic answered 429 and asked to wait 3600 s; waiting 0.02 s (max_retry_wait) before retrying (attempt 2 of 3)",
  ]);
});

test("a stream that stalls after its headers fails with a timeout naming the URL", async () => {
  server.reply((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(
      'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"usage":{"input_tokens":1,"output_tokens":0}}}\n\n',
    );
  });
  await assert.rejects(run({ timeout: 200 }, trusted(), true), (e: unknown) => {
    assert.ok(ProviderResponseError.isInstance(e), String(e));
    assert.equal(e.kind, "timeout");
    assert.match(e.message, /^Anthropic at http:\/\/127\.0\.0\.1:\d+\/v1\/messages sent nothing for 0\.2 s/);
    return true;
  });
});

test("a 200 reply of HTML says so", async () => {
  server.reply({ body: "<!doctype html><p>proxy login</p>", headers: { "content-type": "text/html" } });
  await assert.rejects(run({}, trusted()), /^ProviderResponseError|answered text\/html, not JSON/);
});

test("the SDK's deprecation notice for a model near its end of life comes through the warning hook as one line, not the console", async () => {
  server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
  const { warned } = await run({}, trusted(), false, "claude-sonnet-4-5");
  assert.equal(warned.length, 1);
  assert.match(warned[0] ?? "", /^Anthropic: The model 'claude-sonnet-4-5' is deprecated and will reach end-of-life on /);
});
