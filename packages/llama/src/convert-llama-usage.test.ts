import assert from "node:assert/strict";
import { test } from "node:test";
import { convertLlamaUsage } from "./convert-llama-usage.js";

// Constructed: the metadata run-request.ts stores (its runs on the real model are in provider.test.ts).
test("token counts and finish reasons as run-request.ts stores them, normalised", () => {
  const output = {
    output_type: "execute_result" as const,
    data: "Once",
    metadata: { usage: { prompt_tokens: 5, completion_tokens: 20 }, finish_reason: "length" },
  };
  assert.deepEqual(convertLlamaUsage(output), { inputTokens: 5, outputTokens: 20, totalTokens: 25, finishReason: "length" });
  assert.equal(convertLlamaUsage({ ...output, metadata: { finish_reason: "abort" } })?.finishReason, "other");
});
