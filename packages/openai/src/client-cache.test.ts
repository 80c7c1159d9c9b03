import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { EndpointNotAllowedError, type ModelSettings, markDotenvValues, RunAbortedError } from "@aiconfig-ts/core";
import { type ReplayServer, readFixtureJSON, startReplayServer } from "@aiconfig-ts/testing";
import {
  CONNECTION_SETTING_KEYS,
  cachedClientCount,
  clearClientCache,
  type Connection,
  createClient,
  MAX_CACHED_CLIENTS,
  resolveConnection,
} from "./connection.js";
import { openaiPreset, presets } from "./presets.js";
import { envFor, onePrompt, requestsReceived, runtimeFor, TEST_KEY, textCompletion } from "./test-support.test.helper.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.fallback(undefined);
  clearClientCache();
});

const OTHER_KEY = "sk-other-fedcba9876543210";

function connection(settings: ModelSettings = {}, env: Record<string, string> = envFor(server)): Connection {
  return resolveConnection(openaiPreset, settings, env, "p");
}

describe("one SDK client per connection", () => {
  test("two runs with the same connection reuse one client; another key gets its own client and its own key is sent", async () => {
    server.fallback({ json: textCompletion });
    assert.equal(cachedClientCount(), 0);
    const rt = runtimeFor(onePrompt("hi"), envFor(server));
    await rt.run("p");
    await rt.run("p");
    await runtimeFor(onePrompt("hi"), envFor(server)).run("p");
    assert.equal(cachedClientCount(), 1, "three runs on one connection, one client");
    await runtimeFor(onePrompt("hi"), envFor(server, { OPENAI_API_KEY: OTHER_KEY })).run("p");
    assert.equal(cachedClientCount(), 2, "a different key gets a different client");
    await rt.run("p");
    assert.equal(cachedClientCount(), 2);
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      [`Bearer ${TEST_KEY}`, `Bearer ${TEST_KEY}`, `Bearer ${TEST_KEY}`, `Bearer ${OTHER_KEY}`, `Bearer ${TEST_KEY}`],
    );
  });

  test("the same connection resolved twice gives the same client; every client option makes a new one", async () => {
    const first = await createClient(connection());
    assert.equal(await createClient(connection()), first);
    const variants: Array<[string, Connection]> = [
      ["api key", connection({ api_key: OTHER_KEY })],
      // From the environment, as the key: a base_url setting in the file may not receive the environment's key.
      ["base URL", connection({}, envFor(server, { OPENAI_BASE_URL: `${server.url}/other/v1` }))],
      ["organization", connection({ organization: "org-1" })],
      ["project", connection({ project: "proj-1" })],
      ["max_retries", connection({ max_retries: 0 })],
      ["timeout", connection({ timeout: 5000 })],
      ["preset", resolveConnection(presets.ollama!, {}, { OLLAMA_BASE_URL: `${server.url}/v1` }, "p")],
    ];
    const clients = new Set([first]);
    for (const [what, variant] of variants) {
      const client = await createClient(variant);
      assert.ok(!clients.has(client), `a different ${what} gives a different client`);
      clients.add(client);
      assert.equal(await createClient(variant), client, `the same ${what} gives the same client`);
    }
    assert.equal(cachedClientCount(), variants.length + 1);
    const azure = { AZURE_OPENAI_API_KEY: "azure-key", AZURE_OPENAI_ENDPOINT: server.url };
    const v1 = await createClient(resolveConnection(presets["azure-openai"]!, { api_version: "2024-10-21" }, azure, "p"));
    const v2 = await createClient(resolveConnection(presets["azure-openai"]!, { api_version: "2025-01-01-preview" }, azure, "p"));
    assert.notEqual(v1, v2, "a different Azure api-version gives a different client");
    assert.equal(v1.apiKey, "azure-key");
  });

  test(`at most ${MAX_CACHED_CLIENTS} clients are kept; the least recently used goes first`, async () => {
    const keep = await createClient(connection({ api_key: "sk-key-0" }));
    const dropped = await createClient(connection({ api_key: "sk-key-1" }));
    for (let i = 2; i < MAX_CACHED_CLIENTS + 8; i++) {
      if (i === MAX_CACHED_CLIENTS) assert.equal(await createClient(connection({ api_key: "sk-key-0" })), keep, "still kept");
      await createClient(connection({ api_key: `sk-key-${i}` }));
    }
    assert.equal(cachedClientCount(), MAX_CACHED_CLIENTS);
    assert.equal(await createClient(connection({ api_key: "sk-key-0" })), keep, "used recently, so kept");
    const rebuilt = await createClient(connection({ api_key: "sk-key-1" }));
    assert.notEqual(rebuilt, dropped, "the least recently used was dropped and is built again");
    assert.equal(rebuilt.apiKey, "sk-key-1");
  });

  test("image generation and speech share the chat's client on the same connection", async () => {
    server.reply(
      { json: textCompletion },
      { json: readFixtureJSON("openai", "openai-image.json") },
      { body: Buffer.from([0xff, 0xfb, 0x90, 0x64]), headers: { "content-type": "audio/mpeg" } },
      { json: textCompletion },
    );
    const doc = {
      name: "t",
      schema_version: "latest",
      metadata: {},
      prompts: [
        { name: "chat", input: "hi", metadata: { model: "gpt-4" } },
        { name: "image", input: "A baby sea otter", metadata: { model: "dall-e-3" } },
        { name: "speech", input: "Hello", metadata: { model: "tts-1" } },
      ],
    };
    const rt = runtimeFor(doc, envFor(server));
    for (const prompt of ["chat", "image", "speech"]) await rt.run(prompt);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ["/v1/chat/completions", "/v1/images/generations", "/v1/audio/speech"],
    );
    assert.equal(cachedClientCount(), 1);
    await runtimeFor(doc, envFor(server, { OPENAI_API_KEY: OTHER_KEY })).run("chat");
    assert.equal(cachedClientCount(), 2);
  });

  test("the signal goes with each request: aborting one run leaves the shared client working for the next", async () => {
    server.reply({ hang: true }, { json: textCompletion });
    const rt = runtimeFor(onePrompt("hi"), envFor(server));
    const controller = new AbortController();
    const running = rt.run("p", {}, { signal: controller.signal });
    await requestsReceived(server, 1);
    controller.abort();
    await assert.rejects(running, RunAbortedError);
    const outputs = await rt.run("p");
    assert.equal(outputs[0]!.output_type === "execute_result" && outputs[0]!.data, textCompletion.choices[0]!.message.content);
    assert.equal(server.requests.length, 2);
    assert.equal(cachedClientCount(), 1);
  });
});

describe("resolved connections are kept per preset", () => {
  test("the same settings and environment give the same connection object; a changed setting or variable is resolved anew", () => {
    const env = envFor(server);
    const first = resolveConnection(openaiPreset, { temperature: 0.2 }, env, "p");
    assert.equal(
      resolveConnection(openaiPreset, { temperature: 0.9 }, { ...env }, "p"),
      first,
      "settings that are not the connection's do not matter",
    );
    const otherKey = resolveConnection(openaiPreset, {}, { ...env, OPENAI_API_KEY: OTHER_KEY }, "p");
    assert.notEqual(otherKey, first);
    assert.equal(otherKey.apiKey, OTHER_KEY);
    const otherURL = resolveConnection(
      openaiPreset,
      {},
      { ...env, OPENAI_API_KEY: OTHER_KEY, OPENAI_BASE_URL: `${server.url}/other/v1` },
      "p",
    );
    assert.equal(otherURL.baseURL, `${server.url}/other/v1`);
    assert.equal(otherURL.apiKey, OTHER_KEY);
    assert.throws(
      () => resolveConnection(openaiPreset, {}, {}, "p"),
      /OPENAI_API_KEY/,
      "a missing key is still an error, not the last connection",
    );
    resolveConnection(openaiPreset, {}, env, "p");
    const sameValuesFromDotenv = markDotenvValues({ ...env }, "/downloaded/.env", ["OPENAI_BASE_URL"]);
    assert.throws(
      () => resolveConnection(openaiPreset, {}, sameValuesFromDotenv, "p"),
      EndpointNotAllowedError,
      "the same values from a less trusted source are checked again, not the last connection",
    );
  });

  test("a change of any connection setting (every key of CONNECTION_SETTING_KEYS) resolves the connection anew", () => {
    const env = envFor(server);
    // Values each setting accepts (constructed), different from the setting's absence.
    const changed: Record<(typeof CONNECTION_SETTING_KEYS)[number], string | number> = {
      api_key: OTHER_KEY,
      base_url: `${server.url}/other/v1`,
      preset: "openai",
      max_retries: 1,
      timeout: 5000,
      api_version: "2024-10-21",
      organization: "org-other",
      project: "proj-other",
      max_retry_wait: 1000,
      max_response_bytes: 1024,
    };
    // The test server may receive the key whichever setting names it.
    const run = { allowedEndpoints: [new URL(server.url).host] };
    for (const key of CONNECTION_SETTING_KEYS) {
      const before = resolveConnection(openaiPreset, { temperature: 0.2 }, env, "p", run);
      const after = resolveConnection(openaiPreset, { temperature: 0.2, [key]: changed[key] }, env, "p", run);
      assert.notEqual(after, before, `a new value of ${key} is not the last connection`);
      const again = resolveConnection(openaiPreset, { temperature: 0.2 }, env, "p", run);
      assert.notEqual(again, after, `dropping ${key} again is not the last connection`);
    }
  });
});
