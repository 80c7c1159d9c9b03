import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AIConfigRuntime, type ExecuteResult, validateSettings } from "@aiconfig-ts/core";
import { corpusFile, readFixtureChunks, readFixtureJSON, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import type { GeminiRequest } from "./build-gemini-request.js";
import { register } from "./register.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

function load(name: string, validate = true) {
  const rt = AIConfigRuntime.load(corpusFile(name), { validate, env: { GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: server.url } });
  register(rt.registry);
  return rt;
}

const DUCK = "Can you teach me how to say duck in a different language? And, give me a few options.";

describe("corpus files on the gemini provider", () => {
  test("gemini_demo.aiconfig.json: gemini-pro is kept as written; `stream` is not sent; the second prompt carries the first as chat context", async () => {
    const rt = load("cookbooks__Gemini__gemini_demo.aiconfig.json");
    assert.equal(rt.getProvider("multilinguality").id, "gemini");
    assert.deepEqual(await rt.resolve("multilinguality"), { model: "gemini-pro", contents: [{ role: "user", parts: [{ text: DUCK }] }] });

    server.reply({ sse: readFixtureChunks("google", "google-text.chunks.txt") });
    const deltas: string[] = [];
    const before = server.requests.length;
    const outputs = await rt.run("multilinguality", {}, { onStream: (c) => deltas.push(c.delta) });
    assert.equal(server.requests[before]?.path, "/v1beta/models/gemini-pro:streamGenerateContent?alt=sse");
    const first = (outputs[0] as ExecuteResult).data as string;
    assert.equal(first, deltas.join(""));
    const streamedSignature = readFixtureChunks("google", "google-text.chunks.txt")
      .map((c) => JSON.parse(c).candidates[0].content.parts[0].thoughtSignature)
      .find((s) => s !== undefined);
    assert.match(streamedSignature, /^Eqs/);

    server.reply({ json: readFixtureJSON("google", "google-text.json") });
    await rt.run("pronounciation");
    assert.equal(server.requests[before + 1]?.path, "/v1beta/models/gemini-pro:generateContent");
    assert.deepEqual(server.requests[before + 1]?.body, {
      contents: [
        { role: "user", parts: [{ text: DUCK }] },
        // the signature the stream's last (empty) text part carried goes back on the model's text
        { role: "model", parts: [{ text: first, thoughtSignature: streamedSignature }] },
        { role: "user", parts: [{ text: "Can you explain how to pronounce the Chinese one?" }] },
      ],
      // the SDK sends an empty generationConfig when config holds only the abort signal
      generationConfig: {},
    });
    assert.match(rt.getOutputText("pronounciation"), /^There are \*\*3\*\* r's in strawberry/);
  });

  test("my_aiconfig.aiconfig.json: the original extension's generation_config is sent as generationConfig", async () => {
    const rt = load("my_aiconfig.aiconfig.json");
    const request = (await rt.resolve("prompt_1")) as GeminiRequest;
    assert.deepEqual(request, {
      model: "gemini-pro",
      contents: [{ role: "user", parts: [{ text: "Tell me a joke\n" }] }],
      config: { topP: 0.1, topK: 1, temperature: 0.4 },
    });
    server.reply({ json: readFixtureJSON("google", "google-text.json") });
    const before = server.requests.length;
    await rt.run("prompt_1");
    assert.deepEqual(server.requests[before]?.body.generationConfig, { topP: 0.1, topK: 1, temperature: 0.4 });
  });

  test("Multi-LLM Consistency: the text-bison prompt fails with the one-line PaLM message, nothing sent", async () => {
    const rt = load("cookbooks__Multi-LLM-Consistency__Multi-LLM_Consistency_aiconfig.json");
    assert.equal(rt.getProvider("palm-execution").id, "palm");
    const message =
      'PaLM (model "models/text-bison-001", prompt "palm-execution") was shut down by Google in 2024; use a Gemini model instead, e.g. set the prompt\'s model to "gemini-2.0-flash"';
    await assert.rejects(rt.resolve("palm-execution"), (e: Error) => e.message === message);
    const before = server.requests.length;
    await assert.rejects(rt.run("palm-execution"), (e: Error) => e.message === message);
    assert.equal(server.requests.length, before);
  });

  test("PaLM Chat files (PaLM-Chat-WhatAreTransformers, Chained-Config) fail the same way", async () => {
    const chat = load("python__demo__PaLM-Chat-WhatAreTransformers.json");
    assert.equal(chat.getProvider("prompt1").id, "palm");
    await assert.rejects(
      chat.resolve("prompt2"),
      /^AIConfigError: PaLM \(model "PaLM Chat", prompt "prompt2"\) was shut down by Google in 2024; use a Gemini model/,
    );
    // this file repeats the prompt name "prompt1", so it is loaded without validation
    const chained = load("python__demo__Chained-Config.json", false);
    const palmPrompt = chained.config.prompts.find((p) => chained.getModelName(p) === "PaLM Chat");
    assert.ok(palmPrompt);
    await assert.rejects(chained.resolve(palmPrompt.name), /was shut down by Google in 2024/);
  });
});

describe("gemini settings schema through core's validateSettings", () => {
  test("the corpus Gemini files' settings are valid; a wrong type or range is reported at its place", () => {
    for (const name of ["cookbooks__Gemini__gemini_demo.aiconfig.json", "my_aiconfig.aiconfig.json"]) {
      const rt = load(name);
      assert.deepEqual(validateSettings({ data: rt.config }, name, rt.registry), [], name);
    }
    const rt = load("my_aiconfig.aiconfig.json");
    rt.config.prompts[0]!.metadata!.model = { name: "gemini-2.5-flash", settings: { temperature: 2.5, stop_sequences: "END" } };
    assert.deepEqual(
      validateSettings({ data: rt.config }, "bad.json", rt.registry).map((p) => [p.pointer, p.message.replace(/ for provider .*$/, "")]),
      [
        ["/prompts/0/metadata/model/settings/temperature", 'setting "temperature" must be <= 2'],
        ["/prompts/0/metadata/model/settings/stop_sequences", 'setting "stop_sequences" must be of type array'],
      ],
    );
  });
});
