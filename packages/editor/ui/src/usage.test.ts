import assert from "node:assert/strict";
import { test } from "node:test";
import { cellUsage, formatDuration, formatUsage, tokenUsage } from "./usage";

test("token usage is read from OpenAI, Anthropic and Gemini shaped metadata", () => {
  assert.deepEqual(
    tokenUsage([
      { output_type: "execute_result", data: "", metadata: { usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } } },
    ]),
    {
      input: 3,
      output: 5,
      total: 8,
    },
  );
  assert.deepEqual(tokenUsage([{ output_type: "execute_result", data: "", metadata: { usage: { input_tokens: 2, output_tokens: 4 } } }]), {
    input: 2,
    output: 4,
    total: 6,
  });
  assert.deepEqual(
    tokenUsage([
      {
        output_type: "execute_result",
        data: "",
        metadata: { usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 9, totalTokenCount: 10 } },
      },
    ]),
    {
      input: 1,
      output: 9,
      total: 10,
    },
  );
  assert.equal(tokenUsage([{ output_type: "execute_result", data: "", metadata: { finish_reason: "stop" } }]), undefined);
  assert.equal(formatUsage({ input: 3, output: 5, total: 8 }), "3 in · 5 out tokens");
  assert.equal(formatUsage({ total: 8 }), "8 tokens");
  assert.equal(formatDuration(850), "850 ms");
  assert.equal(formatDuration(2400), "2.40 s");
});

test("a cell shows the provider's normalised usage of its last run, else what the stored outputs say", () => {
  const stored = [{ output_type: "execute_result" as const, data: "x", metadata: { usage: { prompt_tokens: 3, completion_tokens: 4 } } }];
  assert.deepEqual(cellUsage({ inputTokens: 10, outputTokens: 5, finishReason: "stop" }, stored), { input: 10, output: 5, total: 15 });
  assert.deepEqual(cellUsage(undefined, stored), { input: 3, output: 4, total: 7 });
  assert.deepEqual(cellUsage({ finishReason: "stop" }, stored), { input: 3, output: 4, total: 7 }, "a usage without counts falls back");
});
