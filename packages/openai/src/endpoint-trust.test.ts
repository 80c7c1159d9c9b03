import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { AIConfigRuntime, EndpointNotAllowedError, loadEnvironment } from "@aiconfig-ts/core";
import { type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { resolveConnection } from "./connection.js";
import { presets } from "./presets.js";
import { onePrompt, runtimeFor, TEST_KEY, testRegistry, textCompletion } from "./test-support.test.helper.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.fallback({ json: textCompletion });
});

/** The error a refused run fails with. */
async function refusal(run: Promise<unknown>): Promise<EndpointNotAllowedError> {
  let caught: unknown;
  await run.catch((e: unknown) => {
    caught = e;
  });
  const seen = new Set<unknown>();
  for (let e = caught; e && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    if (EndpointNotAllowedError.isInstance(e)) return e;
  }
  assert.fail(`expected the run to be refused, got ${String(caught)}`);
}

/** A folder holding an aiconfig file and the given .env, as a downloaded project would. */
function folderWith(dotenv: string, settings: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-endpoint-"));
  writeFileSync(join(dir, ".env"), dotenv);
  writeFileSync(join(dir, "aiconfig.json"), JSON.stringify(onePrompt("hi", { name: "gpt-4", settings })));
  return dir;
}

describe("attack: a file chooses where the user's key goes", () => {
  test("base_url in a prompt's settings never receives the OPENAI_API_KEY of the user's environment", async () => {
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { base_url: `${server.url}/v1` } }), { OPENAI_API_KEY: TEST_KEY });
    const error = await refusal(rt.run("p"));
    assert.equal(server.requests.length, 0, "the file's server saw no request, so no key");
    assert.equal(error.endpoint, `${server.url}/v1`);
    assert.match(error.message, /OPENAI_API_KEY in your environment/);
    assert.match(error.message, /the base_url setting in the aiconfig file chose/);
    assert.ok(error.message.includes(`--allow-endpoint ${server.url.slice("http://".length)}`));
    assert.ok(!error.message.includes(TEST_KEY));
    assert.ok(!error.message.includes("\n"));
  });

  test("OPENAI_BASE_URL in a .env beside the file never receives the key of the user's environment", async () => {
    const dir = folderWith(`OPENAI_BASE_URL=${server.url}/v1\n`);
    const env = loadEnvironment(dir, { OPENAI_API_KEY: TEST_KEY });
    const rt = AIConfigRuntime.load(join(dir, "aiconfig.json"), { registry: testRegistry(), env });
    const error = await refusal(rt.run("p"));
    assert.equal(server.requests.length, 0);
    assert.ok(error.message.includes(`OPENAI_BASE_URL in ${join(dir, ".env")} chose`));
  });

  test("AICONFIG_ALLOW_ENDPOINTS written in the .env does not allow its own endpoint", async () => {
    const host = server.url.slice("http://".length);
    const dir = folderWith(`OPENAI_BASE_URL=${server.url}/v1\nAICONFIG_ALLOW_ENDPOINTS=${host}\n`);
    const rt = AIConfigRuntime.load(join(dir, "aiconfig.json"), {
      registry: testRegistry(),
      env: loadEnvironment(dir, { OPENAI_API_KEY: TEST_KEY }),
    });
    await refusal(rt.run("p"));
    assert.equal(server.requests.length, 0);
  });

  test("the user allows the endpoint in their environment (what --allow-endpoint sets): the key goes there", async () => {
    const host = server.url.slice("http://".length);
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { base_url: `${server.url}/v1` } }), {
      OPENAI_API_KEY: TEST_KEY,
      AICONFIG_ALLOW_ENDPOINTS: `other.example,${host}`,
    });
    await rt.run("p");
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TEST_KEY}`);
  });

  test("the allowedEndpoints option of the SDK allows it too", async () => {
    const host = server.url.slice("http://".length);
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { base_url: `${server.url}/v1` } }), { OPENAI_API_KEY: TEST_KEY });
    const provider = testRegistry().get("openai");
    assert.ok(provider);
    const request = await rt.resolve("p");
    const prompt = rt.getPrompt("p");
    assert.ok(prompt);
    const outputs = await provider.run(request, {
      prompt,
      model: "gpt-4",
      settings: { base_url: `${server.url}/v1` },
      signal: new AbortController().signal,
      streaming: false,
      stream: () => {},
      configDir: undefined,
      env: { OPENAI_API_KEY: TEST_KEY },
      storeBinary: () => Promise.reject(new Error("no binary")),
      allowedEndpoints: [host],
    });
    assert.equal(outputs.length, 1);
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TEST_KEY}`);
  });

  test("the runtime's allowedEndpoints run option allows it, for that run only", async () => {
    const host = server.url.slice("http://".length);
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { base_url: `${server.url}/v1` } }), { OPENAI_API_KEY: TEST_KEY });
    await rt.run("p", {}, { allowedEndpoints: [host] });
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TEST_KEY}`);
    await refusal(rt.run("p"));
    assert.equal(server.requests.length, 1);
  });

  test("a key and a base URL from the same .env go together (the folder's own key)", async () => {
    const dir = folderWith(`OPENAI_API_KEY=sk-folder-key\nOPENAI_BASE_URL=${server.url}/v1\n`);
    const rt = AIConfigRuntime.load(join(dir, "aiconfig.json"), { registry: testRegistry(), env: loadEnvironment(dir, {}) });
    await rt.run("p");
    assert.equal(server.requests[0]?.headers.authorization, "Bearer sk-folder-key");
  });

  test("a key written in the file goes to the base_url the same file names", async () => {
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { base_url: `${server.url}/v1`, api_key: "sk-file-key" } }), {
      OPENAI_API_KEY: TEST_KEY,
    });
    await rt.run("p");
    assert.equal(server.requests[0]?.headers.authorization, "Bearer sk-file-key");
  });

  test("the environment's own OPENAI_BASE_URL receives the environment's key", async () => {
    await runtimeFor(onePrompt("hi"), { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: `${server.url}/v1` }).run("p");
    assert.equal(server.requests[0]?.headers.authorization, `Bearer ${TEST_KEY}`);
  });

  test("a file may name a preset's own URL (Ollama's) for the environment's key, not another port of the same host", () => {
    const env = { OLLAMA_API_KEY: "local-key" };
    const own = resolveConnection(presets.ollama!, { base_url: "http://127.0.0.1:11434/v1" }, env, "p");
    assert.equal(own.baseURL, "http://127.0.0.1:11434/v1");
    assert.throws(() => resolveConnection(presets.ollama!, { base_url: "http://127.0.0.1:11435/v1" }, env, "p"), EndpointNotAllowedError);
  });
});
