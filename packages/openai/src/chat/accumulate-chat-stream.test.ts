import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fixture, readFixtureChunks } from "@aiconfig-ts/testing";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { ChatStreamAccumulator, IncompleteStreamError } from "./accumulate-chat-stream.js";

/** The recorded chunks of a stream in `fixtures/providers/openai` or `openai-compatible`. */
function recordedChunks(folder: "openai" | "openai-compatible", name: string): ChatCompletionChunk[] {
  const lines =
    folder === "openai"
      ? readFixtureChunks("openai", name)
      : readFileSync(join(dirname(fixture("openai", name)), "..", folder, name), "utf8")
          .split("\n")
          .filter((l) => l.trim() !== "");
  return lines.map((l) => JSON.parse(l) as ChatCompletionChunk);
}

function accumulate(chunks: readonly ChatCompletionChunk[]) {
  const acc = new ChatStreamAccumulator();
  for (const chunk of chunks) acc.add(chunk);
  return acc.completion();
}

function deltasOf(chunks: readonly ChatCompletionChunk[], index = 0): string {
  return chunks
    .flatMap((c) => c.choices)
    .filter((c) => c.index === index)
    .map((c) => c.delta?.content ?? "")
    .join("");
}

describe("accumulating a recorded Chat Completions stream", () => {
  test("OpenAI text stream: the content is every delta in order, usage comes from the last chunk, the finish reason from its choice", () => {
    const chunks = recordedChunks("openai", "openai-text.chunks.txt");
    const completion = accumulate(chunks);
    assert.equal(completion.object, "chat.completion");
    assert.equal(completion.id, "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0");
    assert.equal(completion.model, "gpt-4.1-nano-2025-04-14");
    assert.equal(completion.choices.length, 1);
    const [choice] = completion.choices;
    assert.equal(choice?.message.role, "assistant");
    assert.equal(choice?.message.content, deltasOf(chunks));
    assert.ok((choice?.message.content ?? "").startsWith("**"));
    assert.equal(choice?.finish_reason, "stop");
    assert.equal(completion.usage?.completion_tokens, 300);
    assert.equal(completion.usage?.total_tokens, 316);
    assert.equal(completion.system_fingerprint, "fp_de604bd877");
  });

  test("Azure stream opening with a prompt-filter chunk of empty id and model: the later chunks' id and model win", () => {
    const chunks = recordedChunks("openai", "azure-model-router.1.chunks.txt");
    assert.equal(chunks[0]?.id, "");
    const completion = accumulate(chunks);
    assert.equal(completion.id, "chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt");
    assert.match(completion.model, /^gpt-5-nano/);
    assert.equal(completion.choices[0]?.message.content, deltasOf(chunks));
  });

  test("Groq tool call sent whole in one delta: one call with its id, name and arguments, finish reason tool_calls", () => {
    const completion = accumulate(recordedChunks("openai-compatible", "groq-tool-call.chunks.txt"));
    const choice = completion.choices[0];
    assert.equal(choice?.finish_reason, "tool_calls");
    assert.deepEqual(choice?.message.tool_calls, [{ id: "tk85n1k4m", type: "function", function: { name: "weather", arguments: "{}" } }]);
    assert.equal(completion.usage?.total_tokens, 225);
  });

  test("DeepSeek tool call whose arguments arrive in pieces: the pieces are joined into JSON that parses", () => {
    const chunks = recordedChunks("openai-compatible", "deepseek-tool-call.chunks.txt");
    const pieces = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta?.tool_calls ?? [])).filter((t) => t.function?.arguments);
    assert.ok(pieces.length > 1, "the recording streams the arguments in several chunks");
    const calls = accumulate(chunks).choices[0]?.message.tool_calls ?? [];
    assert.equal(calls.length, 1);
    const call = calls[0] as { id: string; function: { name: string; arguments: string } };
    assert.ok(call.id !== "");
    assert.equal(call.function.arguments, pieces.map((p) => p.function?.arguments).join(""));
    assert.equal(typeof JSON.parse(call.function.arguments), "object");
  });

  test("a recorded stream cut before its finish reason is an incomplete stream, not a completion", () => {
    const chunks = recordedChunks("openai", "openai-text.chunks.txt");
    const cut = chunks.slice(0, 10);
    assert.throws(
      () => accumulate(cut),
      (e: unknown) => e instanceof IncompleteStreamError && /without a finish_reason for choice 0/.test(e.message),
    );
  });

  test("a stream that ended before any chunk is an incomplete stream", () => {
    assert.throws(() => new ChatStreamAccumulator().completion(), IncompleteStreamError);
  });
});

describe("accumulating constructed chunks (hand-built, for cases no recording has)", () => {
  const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "m" } as const;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    ({ ...base, choices, ...extra }) as unknown as ChatCompletionChunk;

  test("two choices interleaved are kept apart and returned in index order", () => {
    const completion = accumulate([
      chunk([{ index: 1, delta: { role: "assistant", content: "B" }, finish_reason: null }]),
      chunk([{ index: 0, delta: { role: "assistant", content: "A" }, finish_reason: null }]),
      chunk([{ index: 1, delta: { content: "b" }, finish_reason: "stop" }]),
      chunk([{ index: 0, delta: { content: "a" }, finish_reason: "length" }]),
    ]);
    assert.deepEqual(
      completion.choices.map((c) => [c.index, c.message.content, c.finish_reason]),
      [
        [0, "Aa", "length"],
        [1, "Bb", "stop"],
      ],
    );
  });

  test("a tool call that never got an id is given one (call_ and a UUID), as the SDK's stream helper does", () => {
    const completion = accumulate([
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: "f", arguments: '{"a"' } }] }, finish_reason: null }]),
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ":1}" } }] }, finish_reason: "tool_calls" }]),
    ]);
    const call = completion.choices[0]?.message.tool_calls?.[0] as {
      id: string;
      type: string;
      function: { name: string; arguments: string };
    };
    assert.match(call.id, /^call_[0-9a-f-]{36}$/);
    assert.equal(call.type, "function");
    assert.deepEqual(call.function, { name: "f", arguments: '{"a":1}' });
  });

  test("a stream that ends inside a tool call with no name or type is incomplete", () => {
    assert.throws(
      () => accumulate([chunk([{ index: 0, delta: { tool_calls: [{ index: 0 }] }, finish_reason: "tool_calls" }])]),
      /inside tool call 0 of choice 0/,
    );
  });

  test("the legacy function_call is merged: name set once, arguments appended", () => {
    const completion = accumulate([
      chunk([{ index: 0, delta: { role: "assistant", function_call: { name: "search", arguments: '{"q":' } }, finish_reason: null }]),
      chunk([{ index: 0, delta: { function_call: { arguments: '"x"}' } }, finish_reason: "function_call" }]),
    ]);
    assert.deepEqual(completion.choices[0]?.message.function_call, { name: "search", arguments: '{"q":"x"}' });
  });

  test("log probabilities are appended once per chunk (the SDK's helper doubles the first chunk's)", () => {
    const lp = (token: string) => ({ content: [{ token, logprob: -1, bytes: null, top_logprobs: [] }], refusal: null });
    const completion = accumulate([
      chunk([{ index: 0, delta: { content: "a" }, logprobs: lp("a"), finish_reason: null }]),
      chunk([{ index: 0, delta: { content: "b" }, logprobs: lp("b"), finish_reason: "stop" }]),
    ]);
    assert.deepEqual(
      completion.choices[0]?.logprobs?.content?.map((t) => t.token),
      ["a", "b"],
    );
  });

  test("an audio reply that ends with its expires_at and no finish reason is finished (stop)", () => {
    const completion = accumulate([
      chunk([{ index: 0, delta: { role: "assistant", audio: { id: "au1", data: "AAAA", transcript: "hi" } }, finish_reason: null }]),
      chunk([{ index: 0, delta: { audio: { expires_at: 99 } }, finish_reason: null }]),
    ]);
    assert.equal(completion.choices[0]?.finish_reason, "stop");
  });
});
