import assert from "node:assert/strict";
import { test } from "node:test";
import { readFixtureJSON } from "@aiconfig-ts/testing";
import { responseToOutputs } from "./convert-gemini-response.js";
import { convertGeminiUsage } from "./convert-gemini-usage.js";

test("the recorded Gemini reply: thoughts count as output and as reasoning, STOP as stop", async () => {
  const [output] = await responseToOutputs(readFixtureJSON("google", "google-text.json") as never);
  assert.ok(output);
  assert.deepEqual(convertGeminiUsage(output), {
    inputTokens: 9,
    outputTokens: 272,
    totalTokens: 281,
    reasoningTokens: 244,
    finishReason: "stop",
  });
});
