import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AIConfigRuntime, type ExecuteResult, ProviderError, validateSettings } from "@aiconfig-ts/core";
import { corpusFile, readFixtureChunks, readFixtureJSON, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import type { AnthropicRequest } from "./build-anthropic-request.js";
import { register } from "./register.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

function runtimeFor(path: string) {
  const rt = AIConfigRuntime.load(path, { env: { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url } });
  register(rt.registry);
  return rt;
}

describe("anthropic through AIConfigRuntime", () => {
  test("claude.aiconfig.json (ClaudeBedrockModelParser) resolves with the chained output and chat context", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Claude-And-Azure__claude.aiconfig.json"));
    assert.equal(rt.getProvider("pronounciation").id, "anthropic-bedrock");
    const request = (await rt.resolve("pronounciation")) as AnthropicRequest;
    assert.equal(request.model, "anthropic.claude-v2:1");
    assert.equal(request.max_tokens, 500);
    // the legacy name is read as max_tokens, and neither it nor `stream` is sent
    assert.equal(request.max_tokens_to_sample, undefined);
    assert.equal(request.stream, undefined);
    assert.deepEqual(
      request.messages.map((m) => m.role),
      ["user", "assistant", "user"],
    );
    const earlier = rt.getOutputText("multilinguality");
    assert.equal(request.messages[1]?.content, earlier);
    assert.equal(request.messages[2]?.content, `Can you explain how to pronounce the Chinese one from ${earlier}?`);
  });

  test("running it stores an error output with the one-line fix and sends nothing", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Claude-And-Azure__claude.aiconfig.json"));
    const count = server.requests.length;
    await assert.rejects(rt.run("multilinguality"), (e: Error) => {
      assert.ok(e instanceof ProviderError);
      assert.match(
        e.message,
        /runs Claude on Amazon Bedrock \(model "anthropic\.claude-v2:1"\), which is not supported: use the "anthropic" provider/,
      );
      return true;
    });
    const out = rt.config.prompts[0]?.outputs?.[0];
    assert.equal(out?.output_type, "error");
    assert.equal(server.requests.length, count);
  });

  test("the same file moved to a claude-* model runs on the anthropic provider, streamed, and the chain uses its output", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Claude-And-Azure__claude.aiconfig.json"));
    for (const prompt of rt.config.prompts)
      prompt.metadata = { ...prompt.metadata, model: { name: "claude-sonnet-4-5", settings: { max_tokens: 500 } } };
    assert.equal(rt.getProvider("multilinguality").id, "anthropic");
    server.reply({ sse: readFixtureChunks("anthropic", "anthropic-text.chunks.txt").map((l) => ({ event: JSON.parse(l).type, data: l })) });
    const deltas: string[] = [];
    const outputs = await rt.run("multilinguality", {}, { onStream: (c) => deltas.push(c.delta) });
    const text = (outputs[0] as ExecuteResult).data;
    assert.equal(text, deltas.join(""));
    assert.equal(rt.getOutputText("multilinguality"), text);

    server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const before = server.requests.length;
    await rt.run("pronounciation");
    const body = server.requests[before]?.body;
    assert.equal(body.model, "claude-sonnet-4-5");
    assert.deepEqual(body.messages, [
      { role: "user", content: "Can you teach me how to say duck in a different language? And, give me a few options." },
      { role: "assistant", content: text },
      { role: "user", content: `Can you explain how to pronounce the Chinese one from ${text}?` },
    ]);
    assert.equal(body.stream, undefined);
  });
});

describe("anthropic credentials", () => {
  test("ANTHROPIC_AUTH_TOKEN alone is sent as a bearer token, and the provider declares it among its credentials", async () => {
    const rt = AIConfigRuntime.load(corpusFile("cookbooks__Claude-And-Azure__claude.aiconfig.json"), {
      env: { ANTHROPIC_AUTH_TOKEN: "token-from-env", ANTHROPIC_BASE_URL: server.url },
    });
    register(rt.registry);
    const prompt = rt.config.prompts[0]!;
    prompt.metadata = { ...prompt.metadata, model: { name: "claude-sonnet-4-5", settings: { max_tokens: 500 } } };
    const provider = rt.getProvider(prompt.name);
    // a hosted notebook drops every declared credential from a visitor's run, and a visitor's key replaces them all
    assert.deepEqual(provider.capabilities?.credentials, ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"]);
    server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const before = server.requests.length;
    await rt.run(prompt.name);
    const headers = server.requests[before]!.headers;
    assert.equal(headers.authorization, "Bearer token-from-env");
    assert.equal(headers["x-api-key"], undefined);
  });
});

describe("anthropic settings schema through core's validateSettings", () => {
  test("the corpus Claude file's settings are valid; a wrong type or range is reported at its place", () => {
    const rt = runtimeFor(corpusFile("cookbooks__Claude-And-Azure__claude.aiconfig.json"));
    assert.deepEqual(validateSettings({ data: rt.config }, "claude.aiconfig.json", rt.registry), []);
    const bad = structuredClone(rt.config);
    bad.prompts[0]!.metadata!.model = { name: "claude-sonnet-4-5", settings: { temperature: 3, max_tokens: "many" } };
    const problems = validateSettings({ data: bad }, "bad.json", rt.registry);
    assert.deepEqual(
      problems.map((p) => [p.pointer, p.message.replace(/ for provider .*$/, "")]),
      [
        ["/prompts/0/metadata/model/settings/max_tokens", 'setting "max_tokens" must be of type integer'],
        ["/prompts/0/metadata/model/settings/temperature", 'setting "temperature" must be <= 1'],
      ],
    );
  });
});
