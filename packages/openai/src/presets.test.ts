import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { ProviderError } from "@aiconfig-ts/core";
import { corpusFile, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { ANYSCALE_RETIRED_MESSAGE } from "./chat/chat-provider.js";
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
});

describe("which provider serves a model", () => {
  const registry = testRegistry();
  const cases: Array<[string, Record<string, string> | undefined, string]> = [
    ["gpt-4", undefined, "openai"],
    ["gpt-3.5-turbo-16k-0613", undefined, "openai"],
    ["gpt-4-0613", undefined, "openai"],
    ["gpt-4.1-nano-2025-04-14", undefined, "openai"],
    ["o1-preview", undefined, "openai"],
    ["o3-mini", undefined, "openai"],
    ["o4-mini-2025-04-16", undefined, "openai"],
    ["chatgpt-4o-latest", undefined, "openai"],
    ["dall-e-3", undefined, "openai-images"],
    ["gpt-image-1", undefined, "openai-images"],
    ["tts-1-hd", undefined, "openai-speech"],
    ["gpt-4o-mini-tts", undefined, "openai-speech"],
    ["whisper-1", undefined, "openai-transcription"],
    ["gpt-4o-transcribe", undefined, "openai-transcription"],
    ["gpt-35-turbo", { "gpt-35-turbo": "gpt-35-turbo" }, "openai-compatible:azure-openai"],
    ["gpt-35-turbo", undefined, "openai-compatible:azure-openai"],
    ["mixtral-8x7b-32768", { "mixtral-8x7b-32768": "mixtral-8x7b-32768" }, "openai-compatible:groq"],
    ["llama3", { llama3: "ollama" }, "openai-compatible:ollama"],
    ["llama3", { llama3: "openai-compatible:ollama" }, "openai-compatible:ollama"],
    ["my-model", { "my-model": "llama-cpp-server" }, "openai-compatible:llama-cpp-server"],
    ["my-model", { "my-model": "azure-openai" }, "openai-compatible:azure-openai"],
    ["mistralai/Mixtral-8x7B-Instruct-v0.1", { "mistralai/Mixtral-8x7B-Instruct-v0.1": "AnyscaleEndpoint" }, "AnyscaleEndpoint"],
    ["AnyscaleEndpoint", undefined, "AnyscaleEndpoint"],
  ];
  for (const [model, parsers, id] of cases) {
    test(`${model}${parsers ? ` (model_parsers: ${parsers[model]})` : ""} -> ${id}`, () => {
      assert.equal(registry.find(model, parsers)?.id, id);
    });
  }
  test("names that are not OpenAI chat models are not claimed by pattern", () => {
    for (const model of ["gemini-pro", "claude-3-opus", "text-embedding-3-small", "gpt-realtime", "PaLM Chat", "llama-2-7b-chat"]) {
      assert.equal(registry.find(model), undefined, model);
    }
  });
});

describe("connections", () => {
  test("defaults of the presets", () => {
    const at = (name: string, env: Record<string, string> = {}) => resolveConnection(presets[name]!, {}, env, "p");
    assert.equal(at("openai", { OPENAI_API_KEY: "k" }).baseURL, "https://api.openai.com/v1");
    assert.equal(at("ollama").baseURL, "http://127.0.0.1:11434/v1");
    assert.equal(at("ollama").apiKey, "no-key");
    assert.equal(at("llama-cpp-server").baseURL, "http://127.0.0.1:8080/v1");
    assert.equal(at("groq", { GROQ_API_KEY: "g" }).baseURL, "https://api.groq.com/openai/v1");
    assert.equal(at("together", { TOGETHER_API_KEY: "t" }).baseURL, "https://api.together.xyz/v1");
    const azure = at("azure-openai", { AZURE_OPENAI_API_KEY: "a", AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com" });
    assert.equal(azure.endpoint, "https://r.openai.azure.com");
    assert.equal(azure.apiVersion, "2024-10-21");
  });

  test("missing keys and URLs are one line naming the variable", () => {
    assert.throws(() => resolveConnection(presets.groq!, {}, {}, "p"), /^MissingAPIKeyError: prompt "p": GROQ_API_KEY is not set/);
    assert.throws(
      () => resolveConnection(presets["azure-openai"]!, {}, { AZURE_OPENAI_API_KEY: "a" }, "p"),
      /prompt "p": AZURE_OPENAI_ENDPOINT is not set/,
    );
    assert.throws(() => resolveConnection(presets["openai-compatible"]!, {}, {}, "p"), /needs the server's URL: give the base_url setting/);
    assert.throws(
      () => resolveConnection(presets.openai!, { preset: "nope" }, {}, "p"),
      /setting preset is "nope", which is not a known preset; the presets are: openai, /,
    );
    assert.throws(() => resolveConnection(presets.ollama!, { timeout: "slow" }, {}, "p"), /setting timeout must be a number >= 0/);
  });
});

describe("presets against a local server", () => {
  test("ollama: a model mapped with model_parsers goes to OLLAMA_BASE_URL without a key", async () => {
    server.reply({ json: textCompletion });
    const doc = { ...onePrompt("Why is the sky blue?", "llama3"), metadata: { model_parsers: { llama3: "ollama" } } };
    const outputs = await runtimeFor(doc, { OLLAMA_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: TEST_KEY }).run("p");
    const req = server.requests[0]!;
    assert.equal(req.path, "/v1/chat/completions");
    assert.equal(req.headers.authorization, "Bearer no-key", "the OpenAI key is not sent to another service");
    assert.deepEqual(req.body, { model: "llama3", messages: [{ role: "user", content: "Why is the sky blue?" }] });
    assert.equal(outputs[0]!.output_type, "execute_result");
  });

  test("generic openai-compatible: the preset setting picks the service; base_url from the settings", async () => {
    server.reply({ json: textCompletion }, { json: textCompletion });
    const viaPreset = {
      ...onePrompt("hi", { name: "qwen", settings: { preset: "llama-cpp-server" } }),
      metadata: { model_parsers: { qwen: "openai-compatible" } },
    };
    await runtimeFor(viaPreset, { LLAMA_CPP_SERVER_URL: `${server.url}/llama/v1` }).run("p");
    assert.equal(server.requests[0]!.path, "/llama/v1/chat/completions");
    assert.deepEqual(server.requests[0]!.body, { model: "qwen", messages: [{ role: "user", content: "hi" }] });
    const viaURL = {
      ...onePrompt("hi", { name: "qwen", settings: { base_url: `${server.url}/vllm/v1`, api_key: "local" } }),
      metadata: { model_parsers: { qwen: "openai-compatible" } },
    };
    await runtimeFor(viaURL, {}).run("p");
    assert.equal(server.requests[1]!.path, "/vllm/v1/chat/completions");
    assert.equal(server.requests[1]!.headers.authorization, "Bearer local");
    assert.deepEqual(
      server.requests[1]!.body,
      { model: "qwen", messages: [{ role: "user", content: "hi" }] },
      "base_url and api_key are not sent",
    );
  });

  test("Groq corpus file: the model mapped to itself runs on the groq preset with GROQ_API_KEY", async () => {
    server.reply({ json: textCompletion });
    const rt = runtimeFor(corpusFile("cookbooks__Groq__groq.aiconfig.json"), {
      GROQ_API_KEY: "gsk-test",
      GROQ_BASE_URL: `${server.url}/openai/v1`,
    });
    await rt.run("multilinguality");
    const req = server.requests[0]!;
    assert.equal(req.path, "/openai/v1/chat/completions");
    assert.equal(req.headers.authorization, "Bearer gsk-test");
    assert.deepEqual(req.body, {
      model: "mixtral-8x7b-32768",
      messages: [{ role: "user", content: "Can you teach me how to say horse in different languages? Give me a few options" }],
    });
    const noKey = runtimeFor(corpusFile("cookbooks__Groq__groq.aiconfig.json"), {});
    await assert.rejects(
      noKey.run("multilinguality"),
      (e: unknown) => e instanceof ProviderError && /GROQ_API_KEY is not set/.test(e.message),
    );
  });

  test("Azure corpus file: deployment path, api-key header and api-version, through the SDK's AzureOpenAI", async () => {
    server.reply({ json: textCompletion });
    const rt = runtimeFor(corpusFile("cookbooks__Claude-And-Azure__azure.aiconfig.json"), {
      AZURE_OPENAI_API_KEY: "azure-key",
      AZURE_OPENAI_ENDPOINT: server.url,
      OPENAI_API_VERSION: "2024-06-01",
    });
    const outputs = await rt.run("multilinguality", {}, { stream: false });
    const req = server.requests[0]!;
    assert.equal(req.path, "/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-06-01");
    assert.equal(req.headers["api-key"], "azure-key");
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.body.model, "gpt-35-turbo");
    assert.ok(!JSON.stringify(outputs).includes("azure-key"));
  });

  test("AnyscaleEndpoint: resolving throws one line naming the replacement", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Anyscale__recommender.aiconfig.json"), {});
    const name = rt.config.prompts[0]!.name;
    await assert.rejects(rt.resolve(name), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "RetiredServiceError");
      assert.ok(e.message.endsWith(ANYSCALE_RETIRED_MESSAGE));
      assert.match(
        e.message,
        /^prompt "\w+" \(model "mistralai\/Mixtral-8x7B-Instruct-v0.1"\): Anyscale Endpoints no longer exists .*; map the model to the `openai-compatible` preset of another host \(e\.g\. together, groq\) in metadata\.model_parsers$/,
      );
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });
});
