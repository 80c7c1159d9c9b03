/**
 * Tool calls on Text Generation's chat route (OpenAI-compatible): `tools` and
 * `tool_choice` go in the request, a reply's `tool_calls` is stored as a
 * `{kind: "tool_calls"}` output, and a later prompt sends it back as the
 * assistant's `tool_calls` followed by the `role: "tool"` result answering
 * its id.
 *
 * No recorded Hugging Face reply holds a tool call: the tool-call replies
 * (whole and streamed) are constructed in the chat completion wire shape
 * (text-generation-inference's, whose whole reply gives `arguments` as a JSON
 * object, and OpenAI's, which the router's providers send) and labelled so
 * where they are used; the text answer after the tool's result is the
 * recorded chat-completion-mistral.json.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, type ExecuteResult, InvalidInputError, type Prompt, type ToolCall } from "@aiconfig-ts/core";
import { setUpReplayRuntimes, WEATHER_QUESTION, WEATHER_RESULT, WEATHER_TOOL, weatherToolChat } from "@aiconfig-ts/testing";
import { register } from "./register.js";
import { readRecorded, recordedReply } from "./test-support.js";
import type { ChatRequest } from "./text-generation.js";

/** The replay server, a temporary folder and runtimes with this package's providers, the server as the inference endpoint. */
const replay = setUpReplayRuntimes({
  tempPrefix: "huggingface-tools-",
  env: (url) => ({ HF_TOKEN: "hf_test_token", HF_INFERENCE_ENDPOINT: url }),
  runtimeClass: AIConfigRuntime,
  register: (rt) => register(rt.registry),
});

const MODEL = "mistralai/Mistral-7B-Instruct-v0.2";
const ASK = WEATHER_QUESTION;
const RESULT = WEATHER_RESULT;
const weatherTool = WEATHER_TOOL;

/** Ask, then send the tool's result (OpenAI's `role: "tool"` input); tools and tool_choice for every prompt of the model. */
function twoStepFile(): AIConfig {
  return weatherToolChat(MODEL, { tool_choice: "auto" });
}

/** Constructed: a whole chat completion calling weather, as text-generation-inference answers (`arguments` a JSON object, id "0"). */
const toolCallReply = {
  id: "",
  object: "chat.completion",
  created: 1714681500,
  model: MODEL,
  system_fingerprint: "2.0.1-sha-2d0a717",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        tool_calls: [{ id: "0", type: "function", function: { name: "weather", arguments: { location: "San Francisco" } } }],
      },
      logprobs: null,
      finish_reason: "tool_calls",
    },
  ],
  usage: { prompt_tokens: 120, completion_tokens: 18, total_tokens: 138 },
};

const storedCall: ToolCall = { id: "0", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } };

/** The call as the assistant message of the next request carries it. */
const assistantTurn = (call: ToolCall) => ({
  role: "assistant",
  tool_calls: [{ id: call.id, type: "function", function: call.function }],
});

describe("tool calls on Text Generation's chat route", () => {
  test('the tool call (constructed reply, arguments as an object) is stored as a tool_calls output; the next request sends it as the assistant\'s tool_calls, then the role "tool" result answering its id; the recorded chat-completion-mistral.json answer is stored as text', async () => {
    const rt = replay.runtime(twoStepFile());
    const recorded = readRecorded("chat-completion-mistral.json");
    replay.server.reply({ json: toolCallReply }, recordedReply(recorded));
    const first = replay.server.requests.length;
    const [call] = (await rt.run("ask")) as ExecuteResult[];
    assert.deepEqual(call!.data, { kind: "tool_calls", value: [storedCall] });
    assert.equal(call!.metadata?.finish_reason, "tool_calls");
    const asked = replay.server.requests[first]!;
    assert.equal(asked.path, `/models/${MODEL}/v1/chat/completions`);
    assert.deepEqual(asked.body, {
      model: MODEL,
      messages: [{ role: "user", content: ASK }],
      tools: [weatherTool],
      tool_choice: "auto",
    });

    const [answer] = (await rt.run("answer")) as ExecuteResult[];
    assert.deepEqual(replay.server.requests[first + 1]!.body.messages, [
      { role: "user", content: ASK },
      assistantTurn(storedCall),
      { role: "tool", content: RESULT, tool_call_id: "0" },
    ]);
    assert.equal(answer!.data, JSON.parse(recorded.body).choices[0].message.content);
  });

  const pieces = [
    { index: 0, id: "call_weather_1", type: "function", function: { name: "weather", arguments: "" } },
    { index: 0, type: "function", function: { arguments: '{"location":' } },
    { index: 0, type: "function", function: { arguments: '"San Francisco"}' } },
  ];
  const shapes = {
    "OpenAI's (a list per delta)": (piece: object) => [piece],
    "text-generation-inference's (one call per delta)": (piece: object) => piece,
  };
  for (const [shape, wrap] of Object.entries(shapes)) {
    test(`a streamed tool call in ${shape} shape (constructed chunks) is stored as one call with its arguments joined, and sent back the same way`, async () => {
      const rt = replay.runtime(twoStepFile());
      const chunk = (delta: object, finish_reason: string | null = null) =>
        JSON.stringify({ id: "", model: MODEL, created: 1714681500, choices: [{ index: 0, delta, finish_reason }] });
      const sse = [
        ...pieces.map((piece) => chunk({ role: "assistant", tool_calls: wrap(piece) })),
        chunk({ role: "assistant" }, "tool_calls"),
      ];
      replay.server.reply({ sse, done: true });
      const deltas: string[] = [];
      const [call] = (await rt.run("ask", {}, { onStream: (c) => deltas.push(c.delta) })) as ExecuteResult[];
      assert.deepEqual(deltas, []);
      const streamedCall: ToolCall = {
        id: "call_weather_1",
        type: "function",
        function: { name: "weather", arguments: '{"location":"San Francisco"}' },
      };
      assert.deepEqual(call!.data, { kind: "tool_calls", value: [streamedCall] });
      assert.equal(call!.metadata?.finish_reason, "tool_calls");
      const request = (await rt.resolve("answer")) as ChatRequest;
      assert.deepEqual(request.args.messages.slice(1), [
        assistantTurn(streamedCall),
        { role: "tool", content: RESULT, tool_call_id: "call_weather_1" },
      ]);
    });
  }

  test("calls stored without ids (as Gemini 2.5 gives; constructed) get ids that the results answer: by input.name, and a stale tool_call_id gives way to the call it matched", async () => {
    const calls: ToolCall[] = [
      { type: "function", function: { name: "weather", arguments: '{"location":"Oakland"}' } },
      { type: "function", function: { name: "time", arguments: "" } },
    ];
    const config = twoStepFile();
    config.prompts[0]!.outputs = [{ output_type: "execute_result", execution_count: 0, data: { kind: "tool_calls", value: calls } }];
    config.prompts[1] = { name: "time", input: { role: "function", name: "time", data: "09:30" }, metadata: { model: MODEL } };
    config.prompts.push({
      name: "weather",
      input: { role: "tool", tool_call_id: "call-of-an-older-run", data: "14" },
      metadata: { model: MODEL },
    });
    const request = (await replay.runtime(config).resolve("weather")) as ChatRequest;
    assert.deepEqual(request.args.messages, [
      { role: "user", content: ASK },
      {
        role: "assistant",
        tool_calls: [
          { id: "call_aiconfig_0_0", type: "function", function: calls[0]!.function },
          { id: "call_aiconfig_0_1", type: "function", function: calls[1]!.function },
        ],
      },
      { role: "tool", content: "09:30", tool_call_id: "call_aiconfig_0_1" },
      { role: "tool", content: "14", tool_call_id: "call_aiconfig_0_0" },
    ]);
  });

  test("text beside the calls (constructed) is stored in metadata.content and sent back as the assistant's content", async () => {
    const rt = replay.runtime(twoStepFile());
    const choice = { ...toolCallReply.choices[0]!, message: { ...toolCallReply.choices[0]!.message, content: "Let me look that up." } };
    replay.server.reply({ json: { ...toolCallReply, choices: [choice] } });
    const [call] = (await rt.run("ask")) as ExecuteResult[];
    assert.equal(call!.metadata?.content, "Let me look that up.");
    const request = (await rt.resolve("answer")) as ChatRequest;
    assert.deepEqual(request.args.messages[1], { ...assistantTurn(storedCall), content: "Let me look that up." });
  });

  test("fault: a tool's result that follows no call and has no tool_call_id fails with one line naming the prompt, and nothing is sent", async () => {
    const config = twoStepFile();
    config.prompts.shift();
    const rt = replay.runtime(config);
    const count = replay.server.requests.length;
    await assert.rejects(rt.run("answer"), (error: Error) => {
      assert.ok(InvalidInputError.isInstance(error));
      assert.match(error.message, /^prompt "answer": .*no earlier prompt of the chat called a tool.*set input\.tool_call_id$/);
      return true;
    });
    assert.equal(replay.server.requests.length, count);
  });

  test('serialize: a request with an assistant\'s tool_calls and a tool message gives a tool_calls output and a role "tool" prompt; resolving gives the same messages', async () => {
    const rt = replay.runtime({ name: "s", schema_version: "latest", metadata: {}, prompts: [] });
    const messages = [{ role: "user", content: ASK }, assistantTurn(storedCall), { role: "tool", content: RESULT, tool_call_id: "0" }];
    const prompts = (await rt.serialize(MODEL, { model: MODEL, messages, tools: [weatherTool] }, "answer")) as Prompt[];
    assert.deepEqual(prompts[0]!.outputs, [
      { output_type: "execute_result", execution_count: 0, data: { kind: "tool_calls", value: [storedCall] } },
    ]);
    assert.deepEqual(prompts[1]!.input, { role: "tool", tool_call_id: "0", data: RESULT });
    const again = replay.runtime({ name: "s", schema_version: "latest", metadata: {}, prompts });
    const request = (await again.resolve("answer")) as ChatRequest;
    assert.deepEqual(request.args.messages, messages);
    assert.deepEqual(request.args.tools, [weatherTool]);
  });
});
