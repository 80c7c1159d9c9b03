import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fixture, readFixtureJSON } from "@aiconfig-ts/testing";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { completionToOutputs } from "./chat-completion-to-outputs.js";
import { convertOpenAIChatUsage } from "./convert-openai-chat-usage.js";

const compatible = (name: string) =>
  JSON.parse(readFileSync(join(dirname(fixture("openai", name)), "..", "openai-compatible", name), "utf8")) as ChatCompletion;

test("the recorded OpenAI reply: its token counts and finish reason, normalised; the raw usage stays in the output", () => {
  const [output] = completionToOutputs(readFixtureJSON("openai", "openai-text.json") as ChatCompletion);
  assert.ok(output);
  assert.deepEqual(convertOpenAIChatUsage(output), {
    inputTokens: 16,
    outputTokens: 363,
    totalTokens: 379,
    reasoningTokens: 0,
    finishReason: "stop",
  });
  assert.equal((output.metadata?.usage as { prompt_tokens: number } | undefined)?.prompt_tokens, 16);
});

test("DeepSeek's recorded reasoning reply counts its reasoning tokens; Groq's tool call finishes with tool-calls", () => {
  const [reasoning] = completionToOutputs(compatible("deepseek-reasoning.json"));
  assert.ok(reasoning);
  assert.equal(convertOpenAIChatUsage(reasoning)?.reasoningTokens, 315);
  const [call] = completionToOutputs(compatible("groq-tool-call.json"));
  assert.ok(call);
  assert.equal(convertOpenAIChatUsage(call)?.finishReason, "tool-calls");
});

test("an error output or one without usage has none", () => {
  assert.equal(convertOpenAIChatUsage({ output_type: "error", ename: "E", evalue: "x", traceback: [] }), undefined);
  assert.equal(convertOpenAIChatUsage({ output_type: "execute_result", data: "hi", metadata: {} }), undefined);
});
