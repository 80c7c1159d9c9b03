import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  type AIConfig,
  AIConfigRuntime,
  type ExecuteResult,
  type Prompt,
  ProviderError,
  type RunContext,
  outputText,
} from "@aiconfig-ts/core";
import { corpusFile, readFixtureChunks, readFixtureJSON, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { anthropicProvider } from "./anthropic-provider.js";
import type { AnthropicRequest } from "./build-anthropic-request.js";
import { register } from "./register.js";

/** A 1x1 transparent PNG. */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

/** Recorded stream lines as SSE events with their `event:` type, as the API sends them. */
function sse(name: string) {
  return readFixtureChunks("anthropic", name).map((line) => ({ event: JSON.parse(line).type as string, data: line }));
}

let server: ReplayServer;
let env: Record<string, string>;
before(async () => {
  server = await startReplayServer();
  env = { ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: server.url };
});
after(() => server.close());

/** A runtime on a document, with this package's providers and the replay server as the API. */
function runtime(config: AIConfig, runtimeEnv: Record<string, string> = env) {
  const rt = AIConfigRuntime.loadJSON(structuredClone(config), { env: runtimeEnv });
  register(rt.registry);
  return rt;
}

function onePromptConfig(prompt: Prompt): AIConfig {
  return { name: "test", schema_version: "latest", metadata: {}, prompts: [prompt] };
}

async function resolveOnly(config: AIConfig, name: string): Promise<AnthropicRequest> {
  return (await runtime(config).resolve(name)) as AnthropicRequest;
}

/** Resolves and runs a prompt through the runtime; returns the request, outputs, streamed chunks and the requests the server received. */
async function resolveAndRun(config: AIConfig, name: string, options: { streaming?: boolean } = {}) {
  const rt = runtime(config);
  const request = (await rt.resolve(name)) as AnthropicRequest;
  const chunks: Array<{ delta: string; index: number }> = [];
  const before = server.requests.length;
  const outputs = await rt.run(name, {}, options.streaming ? { onStream: (c) => chunks.push({ delta: c.delta, index: c.index }) } : {});
  const received = server.requests.slice(before);
  return { request, outputs, run: { chunks }, received, rt };
}

/** A run context for calling the provider directly. */
function runContext(prompt: Prompt, options: { signal?: AbortSignal; streaming?: boolean; env?: Record<string, string> } = {}): RunContext {
  return {
    prompt,
    model: "claude-sonnet-4-5",
    settings: {},
    signal: options.signal ?? new AbortController().signal,
    streaming: options.streaming ?? false,
    stream: () => {},
    configDir: undefined,
    env: options.env ?? env,
    storeBinary: async (bytes) => ({ kind: "base64", value: Buffer.from(bytes).toString("base64") }),
  };
}

const greeting: Prompt = { name: "greet", input: "Hello, how are you?", metadata: { model: "claude-sonnet-4-5" } };

describe("anthropic resolve", () => {
  test("builds model, max_tokens default, system from system_prompt, passes settings through, keeps own keys out", async () => {
    const config: AIConfig = {
      name: "t",
      schema_version: "latest",
      metadata: {
        parameters: { persona: "a pirate" },
        models: {
          "claude-sonnet-4-5": { temperature: 0.2, top_k: 5, system_prompt: "You are {{persona}}.", api_key: "k", max_retries: 1 },
        },
      },
      prompts: [
        {
          name: "p",
          input: "Say hi to {{who}}",
          metadata: {
            model: {
              name: "claude-sonnet-4-5",
              settings: { temperature: 0.7, stop_sequences: ["END"], metadata: { user_id: "u1" }, stream: true, timeout: 5000 },
            },
            parameters: { who: "Ann" },
          },
        },
      ],
    };
    const request = await resolveOnly(config, "p");
    assert.deepEqual(request, {
      model: "claude-sonnet-4-5",
      max_tokens: 1024,
      temperature: 0.7,
      top_k: 5,
      stop_sequences: ["END"],
      metadata: { user_id: "u1" },
      system: "You are a pirate.",
      messages: [{ role: "user", content: "Say hi to Ann" }],
    });
  });

  test("earlier prompts of the same model become user and assistant turns; remember_chat_context false drops them", async () => {
    const config: AIConfig = {
      name: "t",
      schema_version: "latest",
      metadata: {},
      prompts: [
        {
          name: "a",
          input: "Teach me duck in French",
          metadata: { model: "claude-haiku-4-5" },
          outputs: [{ output_type: "execute_result", data: "canard" }],
        },
        {
          name: "other",
          input: "ignored: other model",
          metadata: { model: "gpt-4" },
          outputs: [{ output_type: "execute_result", data: "x" }],
        },
        { name: "b", input: "And in German?", metadata: { model: "claude-haiku-4-5" } },
        { name: "c", input: "Alone", metadata: { model: "claude-haiku-4-5", remember_chat_context: false } },
      ],
    };
    const b = await resolveOnly(config, "b");
    assert.deepEqual(b.messages, [
      { role: "user", content: "Teach me duck in French" },
      { role: "assistant", content: "canard" },
      { role: "user", content: "And in German?" },
    ]);
    const c = await resolveOnly(config, "c");
    assert.deepEqual(c.messages, [{ role: "user", content: "Alone" }]);
  });

  test("image attachments: base64 bytes for inline data, url source for http URLs (the Gradio corpus image)", async () => {
    const gradio = JSON.parse(readFileSync(corpusFile("gradio-notebook__example.aiconfig.json"), "utf8")) as AIConfig;
    const imageUrl = (gradio.prompts[0]!.input as { attachments: Array<{ data: { value: string } }> }).attachments[0]?.data.value as string;
    const config = onePromptConfig({
      name: "look",
      input: {
        data: "What is in these images?",
        attachments: [
          { data: { kind: "base64", value: PNG_BASE64 }, mime_type: "image/png" },
          { data: { kind: "file_uri", value: imageUrl }, mime_type: "image/png" },
        ],
      },
      metadata: { model: "claude-sonnet-4-5" },
    });
    const request = await resolveOnly(config, "look");
    assert.deepEqual(request.messages, [
      {
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
          { type: "image", source: { type: "url", url: imageUrl } },
          { type: "text", text: "What is in these images?" },
        ],
      },
    ]);
  });

  test("an attachment type Claude cannot take is one clear line", async () => {
    const config = onePromptConfig({
      name: "hear",
      input: { data: "Transcribe", attachments: [{ data: { kind: "base64", value: "AAAA" }, mime_type: "audio/mpeg" }] },
      metadata: { model: "claude-sonnet-4-5" },
    });
    await assert.rejects(resolveOnly(config, "hear"), (e: Error) => {
      assert.match(e.message, /^prompt "hear": an attachment of type audio\/mpeg cannot be sent to Anthropic: use an image/);
      assert.ok(!e.message.includes("\n"));
      return true;
    });
  });

  test("OpenAI-shaped tools and tool_choice are converted; Anthropic ones kept", async () => {
    const config = onePromptConfig({
      name: "weather",
      input: "Weather in SF?",
      metadata: {
        model: {
          name: "claude-sonnet-4-5",
          settings: {
            tools: [
              {
                type: "function",
                function: {
                  name: "get_weather",
                  description: "Weather of a city",
                  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
                },
              },
              { name: "updateIssueList", description: "Update the issue list", input_schema: { type: "object", properties: {} } },
            ],
            tool_choice: "required",
          },
        },
      },
    });
    const request = await resolveOnly(config, "weather");
    assert.deepEqual(request.tools, [
      {
        name: "get_weather",
        description: "Weather of a city",
        input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
      { name: "updateIssueList", description: "Update the issue list", input_schema: { type: "object", properties: {} } },
    ]);
    assert.deepEqual(request.tool_choice, { type: "any" });
  });
});

describe("anthropic run against the replay server (real SDK)", () => {
  test("non-streamed text: request body as resolved, output text, usage and stop_reason in metadata", async () => {
    server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const { request, outputs, received } = await resolveAndRun(onePromptConfig(greeting), "greet");
    assert.equal(received.length, 1);
    assert.equal(received[0]?.method, "POST");
    assert.equal(received[0]?.path, "/v1/messages");
    assert.deepEqual(received[0]?.body, request);
    assert.equal(received[0]?.headers.authorization, "Bearer test-key");
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
        metadata: {
          id: "msg_01VdEjxAP5ahtHKrrRdNBteQ",
          model: "claude-sonnet-4-5-20250929",
          role: "assistant",
          stop_reason: "end_turn",
          stop_sequence: null,
          usage: (readFixtureJSON("anthropic", "anthropic-text.json") as { usage: unknown }).usage,
        },
      },
    ]);
  });

  test("streamed text: deltas go to ctx.stream in order and their concatenation is the stored text", async () => {
    server.reply({ sse: sse("anthropic-text.chunks.txt") });
    const { request, outputs, run, received } = await resolveAndRun(onePromptConfig(greeting), "greet", { streaming: true });
    assert.deepEqual(received[0]?.body, { ...request, stream: true });
    assert.deepEqual(
      run.chunks.map((c) => c.delta),
      ["Hello", "! I", "'m doing well, thank you for asking", ". How are you doing today?", " Is", " there anything I can help you with?"],
    );
    assert.ok(run.chunks.every((c) => c.index === 0));
    const out = outputs[0] as ExecuteResult;
    assert.equal(out.data, run.chunks.map((c) => c.delta).join(""));
    assert.equal(out.metadata?.stop_reason, "end_turn");
    assert.equal((out.metadata!.usage as { output_tokens: number }).output_tokens, 30);
    assert.equal(out.metadata?.id, "msg_01QC4g3HwBThD4BaNtBckFDJ");
  });

  test("tool call without arguments (non-streamed): tool_calls output, text kept in metadata", async () => {
    server.reply({ json: readFixtureJSON("anthropic", "anthropic-tool-no-args.json") });
    const { outputs } = await resolveAndRun(onePromptConfig(greeting), "greet");
    const out = outputs[0] as ExecuteResult;
    assert.deepEqual(out.data, {
      kind: "tool_calls",
      value: [{ id: "toolu_01LRmxn9vGM1d2DZSDBowdZ1", type: "function", function: { name: "updateIssueList", arguments: "{}" } }],
    });
    assert.match(out.metadata?.text as string, /^<thinking>\nThe updateIssueList tool was provided/);
    assert.equal(out.metadata?.stop_reason, "tool_use");
    assert.equal(outputText(out), JSON.stringify((out.data as { value: unknown }).value));
  });

  test("tool call without arguments (streamed): same shape, text streamed", async () => {
    server.reply({ sse: sse("anthropic-tool-no-args.chunks.txt") });
    const { outputs, run } = await resolveAndRun(onePromptConfig(greeting), "greet", { streaming: true });
    const out = outputs[0] as ExecuteResult;
    assert.deepEqual(out.data, {
      kind: "tool_calls",
      value: [{ id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", type: "function", function: { name: "updateIssueList", arguments: "{}" } }],
    });
    assert.equal(out.metadata?.text, "I'll update the issue list for you.");
    assert.equal(run.chunks.map((c) => c.delta).join(""), "I'll update the issue list for you.");
  });

  test("tool call with JSON arguments, non-streamed and streamed (partial JSON assembled)", async () => {
    const json = readFixtureJSON("anthropic", "anthropic-json-tool.1.json") as { content: Array<{ input: unknown }> };
    server.reply({ json });
    const plain = (await resolveAndRun(onePromptConfig(greeting), "greet")).outputs[0] as ExecuteResult;
    const call = (plain.data as { value: Array<{ function: { name: string; arguments: string } }> }).value[0];
    assert.equal(call?.function.name, "json");
    assert.deepEqual(JSON.parse(call?.function.arguments ?? ""), json.content[0]?.input);

    server.reply({ sse: sse("anthropic-json-tool.1.chunks.txt") });
    const streamed = (await resolveAndRun(onePromptConfig(greeting), "greet", { streaming: true })).outputs[0] as ExecuteResult;
    const scall = (streamed.data as { value: Array<{ id: string; function: { arguments: string } }> }).value[0];
    assert.equal(scall?.id, "toolu_01KFbKqPYSuAKujiL6mTfzYA");
    assert.deepEqual(JSON.parse(scall?.function.arguments ?? ""), {
      elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }],
    });
    assert.equal(streamed.metadata?.text, undefined);
  });

  test("a refusal is recorded as it came: empty text, stop_reason refusal and its stop_details", async () => {
    const body = readFixtureJSON("anthropic", "anthropic-refusal.json") as { stop_details: unknown; usage: unknown };
    server.reply({ json: body });
    const { outputs } = await resolveAndRun(onePromptConfig(greeting), "greet");
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: "",
        metadata: {
          id: "msg_01RefusalExampleAbcdefghijk",
          model: "claude-fable-5",
          role: "assistant",
          stop_reason: "refusal",
          stop_sequence: null,
          stop_details: body.stop_details,
          usage: body.usage,
        },
      },
    ]);
  });

  test("a 429 is retried by the SDK (max_retries), and thrown as RateLimitError once retries are used up", async () => {
    const rateLimited = {
      status: 429,
      headers: { "retry-after-ms": "1" },
      json: {
        type: "error",
        error: { type: "rate_limit_error", message: "Number of request tokens has exceeded your per-minute rate limit" },
      },
    };
    // Constructed: Anthropic's rate-limit error body (see packages/testing/SOURCE.md).
    server.reply(rateLimited, { json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const ok = await resolveAndRun(onePromptConfig(greeting), "greet");
    assert.equal(ok.received.length, 2);
    assert.match((ok.outputs[0] as ExecuteResult).data as string, /^Hello!/);

    const config = onePromptConfig({ ...greeting, metadata: { model: { name: "claude-sonnet-4-5", settings: { max_retries: 0 } } } });
    server.reply(rateLimited);
    await assert.rejects(resolveAndRun(config, "greet"), (e: Error) => {
      assert.ok(e instanceof ProviderError);
      const cause = e.cause as Error & { status?: number };
      assert.equal(cause.name, "RateLimitError");
      assert.equal(cause.status, 429);
      assert.match(e.message, /per-minute rate limit/);
      return true;
    });
  });

  test("no key: one line saying where to set ANTHROPIC_API_KEY, stored as the error output, nothing sent", async () => {
    const rt = runtime(onePromptConfig(greeting), { ANTHROPIC_BASE_URL: server.url });
    const count = server.requests.length;
    await assert.rejects(
      rt.run("greet"),
      /no Anthropic API key: set ANTHROPIC_API_KEY in the environment or in a \.env file beside the aiconfig file$/,
    );
    const out = rt.config.prompts[0]?.outputs?.[0];
    assert.equal(
      out?.output_type === "error" && out.evalue,
      'prompt "greet": no Anthropic API key: set ANTHROPIC_API_KEY in the environment or in a .env file beside the aiconfig file',
    );
    assert.equal(server.requests.length, count);
  });

  for (const streaming of [false, true]) {
    test(`an aborted ${streaming ? "streamed" : "whole"} run stops and throws`, async () => {
      server.reply({ hang: true });
      const request = await resolveOnly(onePromptConfig(greeting), "greet");
      const controller = new AbortController();
      const running = anthropicProvider.run(request, runContext(greeting, { signal: controller.signal, streaming }));
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(running, (e: Error) => e.name === "APIUserAbortError");
    });
  }
});

describe("anthropic serialize", () => {
  test("a Messages request becomes prompts: user turns with outputs, system as system_prompt, images as attachments", async () => {
    const request: AnthropicRequest = {
      model: "claude-sonnet-4-5",
      max_tokens: 500,
      temperature: 0.3,
      system: "Be brief.",
      messages: [
        { role: "user", content: "Duck in French?" },
        { role: "assistant", content: [{ type: "text", text: "canard" }] },
        {
          role: "user",
          content: [
            { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
            { type: "text", text: "And this?" },
          ],
        },
      ],
    };
    const prompts = await anthropicProvider.serialize?.(request, { promptName: "ask", model: "claude-sonnet-4-5", parameters: {} });
    const model = { name: "claude-sonnet-4-5", settings: { max_tokens: 500, temperature: 0.3, system_prompt: "Be brief." } };
    assert.deepEqual(prompts, [
      {
        name: "ask_1",
        input: "Duck in French?",
        metadata: { model, parameters: {}, remember_chat_context: true },
        outputs: [{ output_type: "execute_result", execution_count: 0, data: "canard", metadata: { role: "assistant" } }],
      },
      {
        name: "ask",
        input: { data: "And this?", attachments: [{ data: { kind: "base64", value: PNG_BASE64 }, mime_type: "image/png" }] },
        metadata: { model, parameters: {}, remember_chat_context: true },
      },
    ]);
    // and back: resolving the serialized prompts gives the same messages and settings
    const config: AIConfig = { name: "s", schema_version: "latest", metadata: {}, prompts: prompts as Prompt[] };
    const again = await resolveOnly(config, "ask");
    assert.deepEqual(again, { ...request, messages: [request.messages[0], { role: "assistant", content: "canard" }, request.messages[2]] });
  });

  test("tool_result blocks are kept as raw content blocks and sent back as they are", async () => {
    const content = [{ type: "tool_result" as const, tool_use_id: "toolu_1", content: "58F and sunny" }];
    const prompts = await anthropicProvider.serialize?.(
      { model: "claude-sonnet-4-5", max_tokens: 1024, messages: [{ role: "user", content }] },
      { promptName: "result", model: "claude-sonnet-4-5", parameters: {} },
    );
    assert.deepEqual(prompts?.[0]?.input, { data: content });
    const config: AIConfig = { name: "s", schema_version: "latest", metadata: {}, prompts: prompts as Prompt[] };
    const request = await resolveOnly(config, "result");
    assert.deepEqual(request.messages, [{ role: "user", content }]);
  });
});
