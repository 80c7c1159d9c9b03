import assert from "node:assert/strict";
import { test } from "node:test";
import { readFixtureJSON } from "@aiconfig-ts/testing";
import { messageToOutputs } from "./convert-anthropic-message.js";
import { convertAnthropicUsage } from "./convert-anthropic-usage.js";

test("the recorded Claude reply: input (cache counts added), output, total and end_turn as stop", () => {
  const [output] = messageToOutputs(readFixtureJSON("anthropic", "anthropic-text.json") as never);
  assert.ok(output);
  assert.deepEqual(convertAnthropicUsage(output), { inputTokens: 12, outputTokens: 29, totalTokens: 41, finishReason: "stop" });
});

test("the recorded refusal is a content-filter finish", () => {
  const [output] = messageToOutputs(readFixtureJSON("anthropic", "anthropic-refusal.json") as never);
  assert.ok(output);
  assert.equal(convertAnthropicUsage(output)?.finishReason, "content-filter");
});
