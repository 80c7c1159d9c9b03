import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, type ExecuteResult, type Prompt, ProviderError, type RunContext } from "@aiconfig-ts/core";
import { readFixtureChunks, readFixtureJSON, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import type { GeminiRequest } from "./build-gemini-request.js";
import { GeminiApiError } from "./gemini-api-error.js";
import { geminiProvider } from "./gemini-provider.js";
import { register } from "./register.js";

/** A 1x1 transparent PNG. */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

function runtime(prompts: Prompt[], metadata: AIConfig["metadata"] = {}, env?: Record<string, string>) {
  const rt = AIConfigRuntime.loadJSON(
    { name: "t", schema_version: "latest", metadata, prompts },
    { env: env ?? { GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: server.url } },
  );
  register(rt.registry);
  return rt;
}

const strawberry: Prompt = { name: "count", input: "How many r's are in strawberry?", metadata: { model: "gemini-2.5-flash" } };

async function runAndCapture(rt: AIConfigRuntime, name: string, stream = false) {
  const before = server.requests.length;
  const deltas: Array<{ delta: string; index: number }> = [];
  const outputs = await rt.run(name, {}, stream ? { onStream: (c) => deltas.push({ delta: c.delta, index: c.index }) } : {});
  return { outputs, deltas, received: server.requests.slice(before) };
}

describe("gemini resolve", () => {
  test("settings become camelCase config, generation_config is read, own keys stay out, system_prompt is rendered", async () => {
    const rt = runtime(
      [
        {
          name: "p",
          input: "Tell me about {{topic}}",
          metadata: {
            model: {
              name: "gemini-2.5-flash",
              settings: {
                temperature: 0.4,
                max_tokens: 200,
                stop_sequences: ["END"],
                candidate_count: 2,
                response_mime_type: "text/plain",
                safety_settings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }],
                api_key: "k",
                timeout: 1000,
                stream: true,
              },
            },
            parameters: { topic: "ducks" },
          },
        },
      ],
      {
        parameters: { tone: "brief" },
        models: {
          "gemini-2.5-flash": {
            system_prompt: "Be {{tone}}.",
            generation_config: { top_p: 0.1, top_k: 1, temperature: 0.9 },
            max_retries: 2,
          },
        },
      },
    );
    assert.equal(rt.getProvider("p").id, "gemini");
    const request = (await rt.resolve("p")) as GeminiRequest;
    assert.deepEqual(request, {
      model: "gemini-2.5-flash",
      contents: [{ role: "user", parts: [{ text: "Tell me about ducks" }] }],
      config: {
        topP: 0.1,
        topK: 1,
        temperature: 0.4,
        maxOutputTokens: 200,
        stopSequences: ["END"],
        candidateCount: 2,
        responseMimeType: "text/plain",
        safetySettings: [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_ONLY_HIGH" }],
        systemInstruction: "Be brief.",
      },
    });
  });

  test("chat context: earlier prompts as user turns, their outputs as model turns", async () => {
    const rt = runtime([
      {
        name: "a",
        input: "Duck in French?",
        metadata: { model: "gemini-2.5-flash" },
        outputs: [{ output_type: "execute_result", data: "canard" }],
      },
      { name: "b", input: "And in German?", metadata: { model: "gemini-2.5-flash" } },
      { name: "c", input: "Alone", metadata: { model: "gemini-2.5-flash", remember_chat_context: false } },
    ]);
    const b = (await rt.resolve("b")) as GeminiRequest;
    assert.deepEqual(b.contents, [
      { role: "user", parts: [{ text: "Duck in French?" }] },
      { role: "model", parts: [{ text: "canard" }] },
      { role: "user", parts: [{ text: "And in German?" }] },
    ]);
    assert.deepEqual(((await rt.resolve("c")) as GeminiRequest).contents, [{ role: "user", parts: [{ text: "Alone" }] }]);
  });

  test("image attachments become inlineData with their bytes in base64", async () => {
    const rt = runtime([
      {
        name: "look",
        input: { data: "What is this?", attachments: [{ data: { kind: "base64", value: PNG_BASE64 }, mime_type: "image/png" }] },
        metadata: { model: "gemini-2.5-flash" },
      },
    ]);
    const request = (await rt.resolve("look")) as GeminiRequest;
    assert.deepEqual(request.contents, [
      { role: "user", parts: [{ inlineData: { mimeType: "image/png", data: PNG_BASE64 } }, { text: "What is this?" }] },
    ]);
  });

  test("OpenAI function tools become functionDeclarations; tool_choice becomes toolConfig", async () => {
    const rt = runtime([
      {
        name: "w",
        input: "Weather in SF?",
        metadata: {
          model: {
            name: "gemini-2.5-flash",
            settings: {
              tools: [
                {
                  type: "function",
                  function: {
                    name: "weather",
                    description: "Weather of a place",
                    parameters: { type: "object", properties: { location: { type: "string" } } },
                  },
                },
                { google_search: {} },
              ],
              tool_choice: { type: "function", function: { name: "weather" } },
            },
          },
        },
      },
    ]);
    const request = (await rt.resolve("w")) as GeminiRequest;
    assert.deepEqual(request.config?.tools, [
      {
        functionDeclarations: [
          {
            name: "weather",
            description: "Weather of a place",
            parametersJsonSchema: { type: "object", properties: { location: { type: "string" } } },
          },
        ],
      },
      { googleSearch: {} },
    ]);
    assert.deepEqual(request.config?.toolConfig, { functionCallingConfig: { mode: "ANY", allowedFunctionNames: ["weather"] } });
  });
});

describe("gemini run against the replay server (real SDK)", () => {
  test("non-streamed text: the SDK's request (path, key header, body) and the stored output", async () => {
    const rt = runtime([
      {
        ...strawberry,
        metadata: { model: { name: "gemini-2.5-flash", settings: { temperature: 0.5, system_prompt: "Count carefully." } } },
      },
    ]);
    server.reply({ json: readFixtureJSON("google", "google-text.json") });
    const { outputs, received } = await runAndCapture(rt, "count");
    assert.equal(received.length, 1);
    assert.equal(received[0]?.method, "POST");
    assert.equal(received[0]?.path, "/v1beta/models/gemini-2.5-flash:generateContent");
    assert.equal(received[0]?.headers["x-goog-api-key"], "test-key");
    assert.deepEqual(received[0]?.body, {
      contents: [{ role: "user", parts: [{ text: "How many r's are in strawberry?" }] }],
      systemInstruction: { role: "user", parts: [{ text: "Count carefully." }] },
      generationConfig: { temperature: 0.5 },
    });
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.",
        metadata: {
          finishReason: "STOP",
          usageMetadata: (readFixtureJSON("google", "google-text.json") as { usageMetadata: unknown }).usageMetadata,
          modelVersion: "gemini-3-pro-preview",
          responseId: "Un6LacrVMcjUxs0PmJfWoQc",
          // the text part's thought signature, kept for the chat context (see thought-signatures.ts)
          thoughtSignatures: {
            text: "EtoFCtcFAb4+9vtfe4MXRxQjw48U1WKrR/7lYsgFkVi/bepqsSPjY0VU7HEzkeCBIfy1fu5t9aUZ4IZ65aWagqbBrV45fc97olcg",
          },
        },
      },
    ]);
    assert.equal(rt.getOutputText("count"), "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.");
  });

  test("streamed text: alt=sse, deltas in order, their concatenation is the stored text", async () => {
    const rt = runtime([strawberry]);
    server.reply({ sse: readFixtureChunks("google", "google-text.chunks.txt") });
    const { outputs, deltas, received } = await runAndCapture(rt, "count", true);
    assert.equal(received[0]?.path, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    assert.deepEqual(
      deltas.map((d) => d.delta),
      ["There are **3**", ' "r"s in strawberry.\n\nst**r**awbe**rr**y'],
    );
    assert.ok(deltas.every((d) => d.index === 0));
    const out = outputs[0] as ExecuteResult;
    assert.equal(out.data, deltas.map((d) => d.delta).join(""));
    assert.equal(out.metadata?.finishReason, "STOP");
    assert.equal((out.metadata!.usageMetadata as { candidatesTokenCount: number }).candidatesTokenCount, 23);
    assert.equal(outputs.length, 1);
  });

  test("function call (non-streamed and streamed) is stored as tool_calls", async () => {
    const expected = {
      kind: "tool_calls",
      value: [{ type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } }],
    };
    const rt = runtime([{ name: "w", input: "Weather in San Francisco?", metadata: { model: "gemini-2.5-flash" } }]);
    server.reply({ json: readFixtureJSON("google", "google-tool-call.json") });
    const plain = (await runAndCapture(rt, "w")).outputs;
    assert.equal(plain.length, 1);
    assert.deepEqual((plain[0] as ExecuteResult).data, expected);
    assert.equal((plain[0] as ExecuteResult).metadata?.finishReason, "STOP");
    assert.equal((plain[0] as ExecuteResult).metadata?.responseId, "m36LaZGyCLz1xs0PtNSB-QU");
    assert.equal(rt.getOutputText("w"), JSON.stringify(expected.value));

    server.reply({ sse: readFixtureChunks("google", "google-tool-call.chunks.txt") });
    const streamed = await runAndCapture(rt, "w", true);
    assert.deepEqual((streamed.outputs[0] as ExecuteResult).data, expected);
    assert.deepEqual(streamed.deltas, []);
    assert.equal((streamed.outputs[0] as ExecuteResult).metadata?.finishReason, "STOP");
  });

  test("429 with RetryInfo: not retried by default, stored as a one-line error output naming the retry delay", async () => {
    const rt = runtime([strawberry]);
    server.reply({ status: 429, json: readFixtureJSON("google", "google-429-retry-info.json") });
    const before = server.requests.length;
    await assert.rejects(rt.run("count"), (e: Error) => {
      assert.ok(e instanceof ProviderError);
      const cause = e.cause as GeminiApiError;
      assert.ok(cause instanceof GeminiApiError);
      assert.equal(cause.status, 429);
      assert.equal(cause.code, "RESOURCE_EXHAUSTED");
      assert.equal(cause.retryDelay, "34.4s");
      return true;
    });
    assert.equal(server.requests.length - before, 1);
    assert.deepEqual(
      rt.config.prompts[0]?.outputs?.map((o) => (o.output_type === "error" ? [o.ename, o.evalue] : o)),
      [
        [
          "GeminiApiError",
          "Gemini API error 429 RESOURCE_EXHAUSTED: You exceeded your current quota, please check your plan. (retry after 34.4s)",
        ],
      ],
    );
  });

  test("429 with max_retries: the SDK retries, then the answer is stored", async () => {
    const rt = runtime([{ ...strawberry, metadata: { model: { name: "gemini-2.5-flash", settings: { max_retries: 1 } } } }]);
    server.reply(
      { status: 429, json: readFixtureJSON("google", "google-429-retry-info.json") },
      { json: readFixtureJSON("google", "google-text.json") },
    );
    const { outputs, received } = await runAndCapture(rt, "count");
    assert.equal(received.length, 2);
    assert.match((outputs[0] as ExecuteResult).data as string, /^There are \*\*3\*\* r's/);
  });

  test("no key: one line naming GEMINI_API_KEY, nothing sent", async () => {
    const rt = runtime([strawberry], {}, { GOOGLE_GEMINI_BASE_URL: server.url });
    const before = server.requests.length;
    await assert.rejects(rt.run("count"), /no Gemini API key: set GEMINI_API_KEY \(or GOOGLE_API_KEY\) in the environment/);
    assert.equal(server.requests.length, before);
  });
});

describe("gemini abort (real SDK)", () => {
  for (const streaming of [false, true]) {
    test(`an aborted ${streaming ? "streamed" : "whole"} run stops and throws`, async () => {
      const rt = runtime([strawberry]);
      const request = (await rt.resolve("count")) as GeminiRequest;
      server.reply({ hang: true });
      const controller = new AbortController();
      const context: RunContext = {
        prompt: strawberry,
        model: "gemini-2.5-flash",
        settings: {},
        signal: controller.signal,
        streaming,
        stream: () => {},
        configDir: undefined,
        env: { GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: server.url },
        storeBinary: async (bytes) => ({ kind: "base64", value: Buffer.from(bytes).toString("base64") }),
      };
      const running = geminiProvider.run(request, context);
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(running, (e: Error) => e.name === "AbortError");
    });
  }
});

describe("gemini serialize", () => {
  test("contents become prompts with model turns as outputs; config becomes snake_case settings", async () => {
    const request: GeminiRequest = {
      model: "gemini-2.5-flash",
      contents: [
        { role: "user", parts: [{ text: "Duck in French?" }] },
        { role: "model", parts: [{ text: "canard" }] },
        { role: "user", parts: [{ inlineData: { mimeType: "image/png", data: PNG_BASE64 } }, { text: "And this?" }] },
      ],
      config: { temperature: 0.2, maxOutputTokens: 100, systemInstruction: "Be brief." },
    };
    const prompts = await geminiProvider.serialize?.(request, { promptName: "ask", model: "gemini-2.5-flash", parameters: {} });
    const model = { name: "gemini-2.5-flash", settings: { temperature: 0.2, max_output_tokens: 100, system_prompt: "Be brief." } };
    assert.deepEqual(prompts, [
      {
        name: "ask_1",
        input: "Duck in French?",
        metadata: { model, parameters: {}, remember_chat_context: true },
        outputs: [{ output_type: "execute_result", execution_count: 0, data: "canard", metadata: { role: "model" } }],
      },
      {
        name: "ask",
        input: { data: "And this?", attachments: [{ data: { kind: "base64", value: PNG_BASE64 }, mime_type: "image/png" }] },
        metadata: { model, parameters: {}, remember_chat_context: true },
      },
    ]);
    // and back
    const rt = runtime(prompts as Prompt[]);
    assert.deepEqual(await rt.resolve("ask"), request);
  });
});
