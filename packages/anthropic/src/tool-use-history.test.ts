/**
 * Tool use across turns: a prompt whose output is Claude's tool call, then a
 * prompt holding the tool's result. The second request must carry the
 * assistant turn as `tool_use` blocks with the exact ids and inputs the
 * reply gave (and its thinking blocks unchanged, first), then the result as a
 * `tool_result` block answering that id: the Messages API rejects a
 * `tool_result` that answers no `tool_use` of the turn before.
 *
 * The tool-call replies are the recorded anthropic-json-tool.1.json,
 * anthropic-tool-no-args.json and their .chunks.txt streams. No recorded
 * reply has a thinking block: those, parallel calls, files written as older
 * versions wrote them and broken arguments are constructed, and labelled so
 * where they are used.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, type ExecuteResult, InvalidInputError, type Prompt, type ToolCall } from "@aiconfig-ts/core";
import { readFixtureChunks, readFixtureJSON, setUpReplayRuntimes } from "@aiconfig-ts/testing";
import { anthropicProvider } from "./anthropic-provider.js";
import type { AnthropicRequest } from "./build-anthropic-request.js";
import { register } from "./register.js";

const MODEL = "claude-haiku-4-5";
/** The replay server, a temporary folder and runtimes with the anthropic provider pointed at the replay.server. */
const replay = setUpReplayRuntimes({
  tempPrefix: "anthropic-history-",
  env: (url) => ({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: url }),
  runtimeClass: AIConfigRuntime,
  register: (rt) => register(rt.registry),
});
const { runtime, load } = replay;

type Reply = { id: string; content: Array<{ type: string; id?: string; name?: string; input?: unknown; text?: string }> };

/** The recorded reply whose one tool_use block calls `json` with four elements. */
const recorded = readFixtureJSON("anthropic", "anthropic-json-tool.1.json") as Reply;
const RECORDED_CALL = recorded.content[0]!;
/** The recorded stream of a `json` call (its input streamed as partial JSON). */
const streamedLines = readFixtureChunks("anthropic", "anthropic-json-tool.1.chunks.txt");
const STREAMED_ID = "toolu_01KFbKqPYSuAKujiL6mTfzYA";
const STREAMED_INPUT = { elements: [{ location: "San Francisco", temperature: 58, condition: "sunny" }] };

/** Stream lines as SSE events with their `event:` type, as the API sends them. */
function sse(lines: readonly string[]) {
  return lines.map((line) => ({ event: JSON.parse(line).type as string, data: line }));
}

/** The `json` tool of the recorded replies, in Anthropic's shape. */
const jsonTool = {
  name: "json",
  description: "Records weather reports as structured elements",
  input_schema: {
    type: "object",
    properties: { elements: { type: "array", items: { type: "object" } } },
    required: ["elements"],
  },
};

const ASK = "Give me the weather in San Francisco, London, Paris and Berlin as JSON.";
const RESULT = "Stored 4 elements.";

/** The usual two-step tool use: ask, then send the tool's result (OpenAI's `role: "tool"` input, as the other providers take it). */
function twoStepFile(): AIConfig {
  return {
    name: "weather",
    schema_version: "latest",
    metadata: { models: { [MODEL]: { tools: [jsonTool], max_tokens: 1024 } } },
    prompts: [
      { name: "ask", input: ASK, metadata: { model: MODEL } },
      { name: "answer", input: { role: "tool", data: RESULT }, metadata: { model: MODEL } },
    ],
  };
}

/** The two-step file with a stored call on "ask" (constructed, as a file would hold it). */
function withStoredCall(call: ToolCall, metadata?: { [key: string]: unknown }): AIConfig {
  const config = twoStepFile();
  config.prompts[0]!.outputs = [
    { output_type: "execute_result", data: { kind: "tool_calls", value: [call] }, ...(metadata ? { metadata } : {}) },
  ];
  return config;
}

const userTurn = { role: "user", content: ASK };
const callTurn = (id: string, input: unknown, before: object[] = []) => ({
  role: "assistant",
  content: [...before, { type: "tool_use", id, name: "json", input }],
});
const resultTurn = (id: string) => ({ role: "user", content: [{ type: "tool_result", tool_use_id: id, content: RESULT }] });

/** A thinking block and a redacted one, as extended thinking gives them (constructed: no recorded reply has one). */
const THINKING = {
  type: "thinking",
  thinking: "The user wants four cities; I will record them with the json tool.",
  signature: "EqQBCkgIARABGAIiQP1Xg0Jv0K5mC5c0YxvWmX2cR1yV3aA8iT4n3Yw7bJ0tq2b0Qm4aH1w9yFjvAZ3QgYrEIaK8xS6w0q3x2w1pM0SDAkK3bJt7w==",
};
const REDACTED = { type: "redacted_thinking", data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP" };

describe("two-step tool use on Claude (recorded replies)", () => {
  test("the second request sends the tool_use block with the recorded id and input, then the tool_result answering that id", async () => {
    const rt = runtime(twoStepFile());
    replay.server.reply({ json: recorded });
    const first = replay.server.requests.length;
    const [call] = (await rt.run("ask")) as ExecuteResult[];
    // the stored output keeps the shape every provider shares; the call id is Claude's tool_use id
    assert.deepEqual(call!.data, {
      kind: "tool_calls",
      value: [{ id: RECORDED_CALL.id, type: "function", function: { name: "json", arguments: JSON.stringify(RECORDED_CALL.input) } }],
    });

    replay.server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    await rt.run("answer");
    const sent = replay.server.requests[first + 1]!;
    assert.equal(sent.path, "/v1/messages");
    assert.deepEqual(sent.body.messages, [userTurn, callTurn(RECORDED_CALL.id!, RECORDED_CALL.input), resultTurn(RECORDED_CALL.id!)]);
    assert.deepEqual(sent.body.tools, [jsonTool]);
  });

  test("text beside the call (anthropic-tool-no-args.json) goes before the tool_use; a role function result by name answers it", async () => {
    const reply = readFixtureJSON("anthropic", "anthropic-tool-no-args.json") as Reply;
    const config = twoStepFile();
    config.prompts[1]!.input = { role: "function", name: "updateIssueList", data: "[]" };
    const rt = runtime(config);
    replay.server.reply({ json: reply });
    await rt.run("ask");
    const request = (await rt.resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages, [
      userTurn,
      {
        role: "assistant",
        content: [reply.content[0], { type: "tool_use", id: reply.content[1]!.id, name: "updateIssueList", input: {} }],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: reply.content[1]!.id, content: "[]" }] },
    ]);
  });

  test("streamed (anthropic-json-tool.1.chunks.txt): the call assembled from partial JSON keeps its id into the next request", async () => {
    const rt = runtime(twoStepFile());
    replay.server.reply({ sse: sse(streamedLines) });
    await rt.run("ask", {}, { onStream: () => {} });
    const request = (await rt.resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages, [userTurn, callTurn(STREAMED_ID, STREAMED_INPUT), resultTurn(STREAMED_ID)]);
  });

  test("streamed text then a call (anthropic-tool-no-args.chunks.txt): the streamed text and the call's id and empty input go back", async () => {
    const rt = runtime(twoStepFile());
    replay.server.reply({ sse: sse(readFixtureChunks("anthropic", "anthropic-tool-no-args.chunks.txt")) });
    await rt.run("ask", {}, { onStream: () => {} });
    const request = (await rt.resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages[1], {
      role: "assistant",
      content: [
        { type: "text", text: "I'll update the issue list for you." },
        { type: "tool_use", id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", name: "updateIssueList", input: {} },
      ],
    });
    assert.deepEqual(request.messages[2], {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", content: RESULT }],
    });
  });

  test("a result with is_error: true (the tool failed) sends is_error: true in its tool_result; any other is_error value sends none", async () => {
    const rt = runtime(twoStepFile());
    replay.server.reply({ json: recorded });
    await rt.run("ask");
    const failure = "Error: the store is read-only.";
    rt.config.prompts[1]!.input = { role: "tool", tool_call_id: RECORDED_CALL.id, data: failure, is_error: true };
    replay.server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const first = replay.server.requests.length;
    await rt.run("answer");
    assert.deepEqual(replay.server.requests[first]!.body.messages[2], {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: RECORDED_CALL.id, content: failure, is_error: true }],
    });
    // the file is untrusted: only the JSON value true says the tool failed
    rt.config.prompts[1]!.input = { role: "tool", tool_call_id: RECORDED_CALL.id, data: RESULT, is_error: "true" };
    const request = (await rt.resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages[2], resultTurn(RECORDED_CALL.id!));
  });

  test("is_error survives the file: saved as YAML and loaded again, the tool_result still says the tool failed", async () => {
    const config = twoStepFile();
    config.prompts[1]!.input = { role: "tool", data: "Error: timed out", is_error: true };
    const rt = runtime(config);
    replay.server.reply({ json: recorded });
    await rt.run("ask");
    const path = join(replay.dir, "failed-tool.aiconfig.yaml");
    rt.save(path);
    const request = (await load(path).resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages[2], {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: RECORDED_CALL.id, content: "Error: timed out", is_error: true }],
    });
  });

  for (const extension of ["json", "yaml"] as const) {
    test(`the call survives the file: saved with its outputs as ${extension}, loaded again, the second request is the same`, async () => {
      const rt = runtime(twoStepFile());
      replay.server.reply({ json: recorded });
      await rt.run("ask");
      const before = (await rt.resolve("answer")) as AnthropicRequest;
      const path = join(replay.dir, `weather.aiconfig.${extension}`);
      rt.save(path);
      assert.ok(readFileSync(path, "utf8").includes(RECORDED_CALL.id!));
      const again = (await load(path).resolve("answer")) as AnthropicRequest;
      assert.deepEqual(again, before);
      assert.deepEqual(again.messages[1], callTurn(RECORDED_CALL.id!, RECORDED_CALL.input));
    });
  }
});

describe("thinking blocks (constructed replies: no recorded one has thinking)", () => {
  /** The recorded json-tool reply with a thinking and a redacted thinking block before its call (constructed). */
  const thinkingReply = { ...recorded, content: [THINKING, REDACTED, ...recorded.content] };

  /** The recorded json-tool stream with a thinking block streamed first, its signature in a signature_delta (constructed). */
  function thinkingStream(): string[] {
    const [start, ...rest] = streamedLines;
    const shifted = rest.map((line) => {
      const event = JSON.parse(line);
      if (typeof event.index === "number") event.index += 1;
      return JSON.stringify(event);
    });
    const thinking = [
      { type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: THINKING.thinking.slice(0, 20) } },
      { type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: THINKING.thinking.slice(20) } },
      { type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: THINKING.signature } },
      { type: "content_block_stop", index: 0 },
    ].map((e) => JSON.stringify(e));
    return [start!, ...thinking, ...shifted];
  }

  test("the thinking blocks are stored in metadata.thinking_blocks and sent back first, unchanged, in the tool_use turn; saved and loaded too", async () => {
    const config = twoStepFile();
    config.metadata.models = { [MODEL]: { tools: [jsonTool], max_tokens: 2048, thinking: { type: "enabled", budget_tokens: 1024 } } };
    const rt = runtime(config);
    replay.server.reply({ json: thinkingReply });
    const [call] = (await rt.run("ask")) as ExecuteResult[];
    assert.deepEqual(call!.metadata?.thinking_blocks, [THINKING, REDACTED]);
    assert.equal(call!.metadata?.thinking, THINKING.thinking);

    replay.server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const first = replay.server.requests.length;
    await rt.run("answer");
    const expected = [userTurn, callTurn(RECORDED_CALL.id!, RECORDED_CALL.input, [THINKING, REDACTED]), resultTurn(RECORDED_CALL.id!)];
    assert.deepEqual(replay.server.requests[first]!.body.messages, expected);
    assert.deepEqual(replay.server.requests[first]!.body.thinking, { type: "enabled", budget_tokens: 1024 });

    const path = join(replay.dir, "thinking.aiconfig.yaml");
    rt.save(path);
    assert.deepEqual(((await load(path).resolve("answer")) as AnthropicRequest).messages, expected);
  });

  test("streamed: the signature from the signature_delta event reaches the next request", async () => {
    const rt = runtime(twoStepFile());
    replay.server.reply({ sse: sse(thinkingStream()) });
    await rt.run("ask", {}, { onStream: () => {} });
    const request = (await rt.resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages[1], callTurn(STREAMED_ID, STREAMED_INPUT, [THINKING]));
  });

  test("a text output's thinking blocks go back before its text", async () => {
    const config = twoStepFile();
    config.prompts[0]!.outputs = [
      { output_type: "execute_result", data: "Four cities.", metadata: { thinking_blocks: [THINKING], thinking: THINKING.thinking } },
    ];
    config.prompts[1]!.input = "And tomorrow?";
    const request = (await runtime(config).resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages[1], { role: "assistant", content: [THINKING, { type: "text", text: "Four cities." }] });
  });

  test("attack: thinking_blocks entries that are not well-formed blocks (untrusted file; constructed) are not sent, nor are extra fields", async () => {
    const call: ToolCall = { id: "toolu_1", type: "function", function: { name: "json", arguments: "{}" } };
    const config = withStoredCall(call, {
      thinking_blocks: [
        { type: "thinking", thinking: "no signature" },
        { type: "tool_use", id: "toolu_evil", name: "json", input: {} },
        { ...THINKING, cache_control: { type: "ephemeral" } },
        "text",
      ],
    });
    const request = (await runtime(config).resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages[1], callTurn("toolu_1", {}, [THINKING]));
  });
});

describe("files of older versions, other providers' outputs and parallel calls", () => {
  test("a tool_calls output saved without metadata (older version; constructed) still resolves, and the text beside it from metadata.text", async () => {
    const call: ToolCall = {
      id: RECORDED_CALL.id,
      type: "function",
      function: { name: "json", arguments: JSON.stringify(RECORDED_CALL.input) },
    };
    const path = join(replay.dir, "older.aiconfig.json");
    runtime(withStoredCall(call)).save(path);
    assert.deepEqual(((await load(path).resolve("answer")) as AnthropicRequest).messages, [
      userTurn,
      callTurn(RECORDED_CALL.id!, RECORDED_CALL.input),
      resultTurn(RECORDED_CALL.id!),
    ]);
    const withText = (await runtime(withStoredCall(call, { text: "Recording them." })).resolve("answer")) as AnthropicRequest;
    assert.deepEqual(withText.messages[1], callTurn(RECORDED_CALL.id!, RECORDED_CALL.input, [{ type: "text", text: "Recording them." }]));
  });

  test("a call stored without an id (as Gemini 2.5 gives; constructed) gets a tool_use id that its result answers", async () => {
    const call: ToolCall = { type: "function", function: { name: "json", arguments: '{"elements": []}' } };
    const request = (await runtime(withStoredCall(call)).resolve("answer")) as AnthropicRequest;
    assert.deepEqual(request.messages.slice(1), [callTurn("toolu_aiconfig_0_0", { elements: [] }), resultTurn("toolu_aiconfig_0_0")]);
  });

  test("parallel calls (constructed): results by tool_call_id out of order and by name are one user turn, tool_results first, each answering its call", async () => {
    const calls: ToolCall[] = [
      { id: "toolu_sf", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } },
      { id: "toolu_oak", type: "function", function: { name: "weather", arguments: '{"location":"Oakland"}' } },
      { id: "toolu_time", type: "function", function: { name: "time", arguments: "" } },
    ];
    const config: AIConfig = {
      name: "parallel",
      schema_version: "latest",
      metadata: { models: { [MODEL]: { max_tokens: 1024 } } },
      prompts: [
        {
          name: "ask",
          input: "Weather in San Francisco and Oakland, and the time?",
          metadata: { model: MODEL },
          outputs: [{ output_type: "execute_result", execution_count: 0, data: { kind: "tool_calls", value: calls } }],
        },
        { name: "oakland", input: { role: "tool", tool_call_id: "toolu_oak", data: "14" }, metadata: { model: MODEL } },
        { name: "sf", input: { role: "tool", tool_call_id: "toolu_sf", data: '{"temperature": 18}' }, metadata: { model: MODEL } },
        { name: "time", input: { role: "function", name: "time", data: "09:30" }, metadata: { model: MODEL } },
      ],
    };
    const rt = runtime(config);
    const request = (await rt.resolve("time")) as AnthropicRequest;
    assert.deepEqual(request.messages, [
      { role: "user", content: "Weather in San Francisco and Oakland, and the time?" },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "toolu_sf", name: "weather", input: { location: "San Francisco" } },
          { type: "tool_use", id: "toolu_oak", name: "weather", input: { location: "Oakland" } },
          { type: "tool_use", id: "toolu_time", name: "time", input: {} },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_oak", content: "14" },
          { type: "tool_result", tool_use_id: "toolu_sf", content: '{"temperature": 18}' },
          { type: "tool_result", tool_use_id: "toolu_time", content: "09:30" },
        ],
      },
    ]);
    // the SDK sends these messages as they are
    replay.server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const first = replay.server.requests.length;
    await rt.run("time");
    assert.deepEqual(replay.server.requests[first]!.body.messages, request.messages);
  });
});

describe("faults, each one line", () => {
  function assertOneLine(error: unknown, expected: string | RegExp): true {
    assert.ok(InvalidInputError.isInstance(error));
    const message = (error as Error).message;
    if (typeof expected === "string") assert.equal(message, expected);
    else assert.match(message, expected);
    assert.doesNotMatch(message, /\n/);
    return true;
  }

  test("a tool's result that follows no call fails naming the prompt and where to put it, and nothing is sent", async () => {
    const config = twoStepFile();
    config.prompts.shift();
    const rt = runtime(config);
    const count = replay.server.requests.length;
    // were a request sent, it would get a 400 (constructed) instead of waiting for a reply
    replay.server.fallback({ status: 400, json: { type: "error", error: { type: "invalid_request_error", message: "sent" } } });
    try {
      await assert.rejects(rt.run("answer"), (e: Error) =>
        assertOneLine(
          e,
          `prompt "answer": its input (role "tool") is a tool's result, but no earlier prompt of the chat called a tool it could answer: put the prompt after the one whose output called the tool (Claude needs the tool_use block a tool_result answers)`,
        ),
      );
    } finally {
      replay.server.fallback(undefined);
    }
    assert.equal(replay.server.requests.length, count);
  });

  test("stored call arguments that are not a JSON object (hand-edited; constructed) fail naming the prompt and the field to correct", async () => {
    const call: ToolCall = { id: "toolu_1", type: "function", function: { name: "json", arguments: "{elements: [" } };
    await assert.rejects(runtime(withStoredCall(call)).resolve("answer"), (e: Error) =>
      assertOneLine(
        e,
        'prompt "ask": tool call 1 of its output has arguments that are not a JSON object: correct outputs[].data.value[0].function.arguments, or run the prompt again',
      ),
    );
  });

  test("a call left without its result before a text prompt fails naming the call and the input that answers it", async () => {
    const config = twoStepFile();
    config.prompts[1]!.input = "Thanks. And tomorrow?";
    const rt = runtime(config);
    replay.server.reply({ json: recorded });
    await rt.run("ask");
    await assert.rejects(rt.resolve("answer"), (e: Error) =>
      assertOneLine(
        e,
        `prompt "answer": the output of prompt "ask" calls the tool "json" (id ${RECORDED_CALL.id}), and Claude needs its result in the next user turn: put a prompt with the input {"role": "tool", "tool_call_id": "${RECORDED_CALL.id}", "data": "..."} right after "ask", or set remember_chat_context to false`,
      ),
    );
  });
});

describe("serialize and resolve", () => {
  test("a request with thinking, text and tool_use, then its tool_result: serialize keeps the calls, ids and thinking blocks; resolving gives the same request", async () => {
    const request: AnthropicRequest = {
      model: MODEL,
      max_tokens: 1024,
      messages: [
        { role: "user", content: ASK },
        {
          role: "assistant",
          content: [
            THINKING as { type: "thinking"; thinking: string; signature: string },
            { type: "text", text: "Recording them." },
            { type: "tool_use", id: RECORDED_CALL.id!, name: "json", input: RECORDED_CALL.input },
          ],
        },
        { role: "user", content: [{ type: "tool_result", tool_use_id: RECORDED_CALL.id!, content: RESULT }] },
      ],
    };
    const prompts = (await anthropicProvider.serialize?.(request, { promptName: "w", model: MODEL, parameters: {} })) as Prompt[];
    assert.deepEqual(prompts[0]!.outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: {
          kind: "tool_calls",
          value: [{ id: RECORDED_CALL.id, type: "function", function: { name: "json", arguments: JSON.stringify(RECORDED_CALL.input) } }],
        },
        metadata: { role: "assistant", text: "Recording them.", thinking_blocks: [THINKING] },
      },
    ]);
    const rt = runtime({ name: "s", schema_version: "latest", metadata: {}, prompts });
    assert.deepEqual(await rt.resolve("w"), request);
  });
});
