/**
 * A chat model's request after function calling that another provider made
 * earlier in the chat: local models are given no tools, so the calls and the
 * tools' results go as readable text, the same in Node and in the page
 * (`llamaChatMessages`, shared with `@aiconfig-ts/wllama`). The model is the
 * real stories260K weights with a ChatML template added; the stored calls are
 * constructed, as files hold them (an output of Gemini's with text beside the
 * calls, one of OpenAI's), and labelled so where they are used.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, type ExecuteResult, type ToolCall } from "@aiconfig-ts/core";
import { modelsDir, WEATHER_QUESTION, WEATHER_RESULT, weatherToolChat } from "@aiconfig-ts/testing";
import type { LlamaRequest } from "./build-request.js";
import { testEnv } from "./contexts.test.helper.js";
import { disposeLlama } from "./llama-engine.js";
import { CHATML_TEMPLATE, writeGgufWithString } from "./make-chat-gguf.test.helper.js";
import { register } from "./provider.js";

const MODEL = "stories-chat.gguf";
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "llama-tool-turns-"));
  await writeGgufWithString(join(modelsDir, "stories260K.gguf"), join(dir, MODEL), "tokenizer.chat_template", CHATML_TEMPLATE);
});
after(async () => {
  await disposeLlama();
  rmSync(dir, { recursive: true, force: true });
});

/** The file saved beside the model and loaded, so that the model name resolves to the file in its folder. */
function load(config: AIConfig) {
  const path = join(dir, `${config.name}.aiconfig.json`);
  writeFileSync(path, JSON.stringify(config));
  const rt = AIConfigRuntime.load(path, { env: testEnv() });
  register(rt.registry);
  return rt;
}

/** The weather chat with the calls stored on "ask" (constructed), its settings for a short, repeatable answer. */
function afterCalls(calls: ToolCall[], metadata?: ExecuteResult["metadata"]): AIConfig {
  const config: AIConfig = weatherToolChat(MODEL, { temperature: 0, max_tokens: 4 });
  config.prompts[0]!.outputs = [
    { output_type: "execute_result", execution_count: 0, data: { kind: "tool_calls", value: calls }, ...(metadata ? { metadata } : {}) },
  ];
  return config;
}

const sfCall: ToolCall = { type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } };

describe("llama chat models after tool calls (constructed calls)", () => {
  test("an earlier call is an assistant message 'Tool call: NAME(ARGUMENTS)' after the text beside it, and the result a user message 'Tool result (NAME): DATA' named after the call it answers", async () => {
    const request = (await load(afterCalls([sfCall], { text: "Let me look that up." })).resolve("answer")) as LlamaRequest;
    assert.equal(request.mode, "chat");
    assert.deepEqual(request.messages, [
      { role: "user", content: WEATHER_QUESTION },
      { role: "assistant", content: 'Let me look that up.\nTool call: weather({"location":"San Francisco"})' },
      { role: "user", content: `Tool result (weather): ${WEATHER_RESULT}` },
    ]);
  });

  test("parallel calls are one line each; results by tool_call_id, by input.name, and one answering no call (no name to give)", async () => {
    const calls: ToolCall[] = [
      { id: "call_sf", ...sfCall },
      { id: "call_time", type: "function", function: { name: "time", arguments: "" } },
    ];
    const config = afterCalls(calls, { content: "" });
    config.prompts[1] = { name: "time", input: { role: "tool", tool_call_id: "call_time", data: "09:30" }, metadata: { model: MODEL } };
    config.prompts.push(
      { name: "sf", input: { role: "function", name: "weather", data: "18" }, metadata: { model: MODEL } },
      { name: "extra", input: { role: "tool", data: "nothing left to answer" }, metadata: { model: MODEL } },
    );
    const request = (await load(config).resolve("extra")) as LlamaRequest;
    assert.deepEqual(request.messages, [
      { role: "user", content: WEATHER_QUESTION },
      { role: "assistant", content: 'Tool call: weather({"location":"San Francisco"})\nTool call: time()' },
      { role: "user", content: "Tool result (time): 09:30" },
      { role: "user", content: "Tool result (weather): 18" },
      { role: "user", content: "Tool result: nothing left to answer" },
    ]);
  });

  test("the real model runs the conversation with its template: the tool turns count as prompt tokens", async () => {
    const rt = load(afterCalls([sfCall]));
    const [withTools] = (await rt.run("answer")) as ExecuteResult[];
    const alone = load({ ...weatherToolChat(MODEL, { temperature: 0, max_tokens: 4 }), name: "alone" });
    alone.config.prompts.shift();
    const [withoutTools] = (await alone.run("answer")) as ExecuteResult[];
    const promptTokens = (o: ExecuteResult | undefined) => (o!.metadata as { usage: { prompt_tokens: number } }).usage.prompt_tokens;
    assert.equal(typeof withTools!.data, "string");
    // "What is the weather in San Francisco?" and "Tool call: weather({...})" in ChatML turns, in a 512-token vocabulary
    assert.ok(promptTokens(withTools) > promptTokens(withoutTools) + 30, `${promptTokens(withTools)} vs ${promptTokens(withoutTools)}`);
  });
});
