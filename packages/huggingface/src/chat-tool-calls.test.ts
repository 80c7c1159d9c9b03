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

  /** Runs `name` expecting the one-line error `message`; asserts that nothing was sent. */
  async function refused(config: AIConfig, name: string, message: string) {
    const rt = replay.runtime(config);
    const count = replay.server.requests.length;
    await assert.rejects(rt.run(name), (error: Error) => {
      assert.ok(InvalidInputError.isInstance(error), `${error.name}: ${error.message}`);
      assert.equal(error.message, message);
      return true;
    });
    assert.equal(replay.server.requests.length, count, "nothing sent");
  }

  /** The chat of twoStepFile whose ask output (constructed) made `calls`. */
  function calledFile(calls: ToolCall[]): AIConfig {
    const config = twoStepFile();
    config.prompts[0]!.outputs = [{ output_type: "execute_result", execution_count: 0, data: { kind: "tool_calls", value: calls } }];
    return config;
  }
  const weatherCall: ToolCall = { id: "call_w", type: "function", function: { name: "weather", arguments: '{"location":"Oakland"}' } };
  const timeCall: ToolCall = { id: "call_t", type: "function", function: { name: "time", arguments: "{}" } };
  /** The error's words after `prompt "NAME": ` for the call `call` of prompt "ask" left without a result. */
  const leftWithoutResult = (call: ToolCall) =>
    `the output of prompt "ask" calls the tool "${call.function.name}" (id ${call.id}), and the chat completion API needs its result right after the call: put a prompt with the input {"role": "tool", "tool_call_id": "${call.id}", "data": "..."} right after "ask", or set remember_chat_context to false`;

  test("fault: of two parallel calls (constructed), the prompt answers one: one line naming the call left and the prompt to add, instead of the server's error; nothing is sent", async () => {
    const config = calledFile([weatherCall, timeCall]);
    config.prompts[1]!.input = { role: "tool", tool_call_id: "call_w", data: RESULT };
    await refused(config, "answer", `prompt "answer": ${leftWithoutResult(timeCall)}`);
  });

  test("fault: a call left without a result before a later user message (even one its result follows), or before a later answer, fails the same way; a call stored without an id is named by its function", async () => {
    const followed = calledFile([weatherCall, timeCall]);
    followed.prompts[1] = { name: "follow", input: "And tomorrow?", metadata: { model: MODEL } };
    await refused(followed, "follow", `prompt "follow": ${leftWithoutResult(weatherCall)}`);

    const between = calledFile([weatherCall]);
    between.prompts.splice(1, 0, { name: "follow", input: "And tomorrow?", metadata: { model: MODEL } });
    await refused(between, "answer", `prompt "answer": ${leftWithoutResult(weatherCall)}`);

    const answered = calledFile([weatherCall, timeCall]);
    answered.prompts[1]!.input = { role: "tool", tool_call_id: "call_w", data: RESULT };
    answered.prompts[1]!.outputs = [{ output_type: "execute_result", execution_count: 0, data: "It is 18 degrees." }];
    answered.prompts.push({ name: "follow", input: "And tomorrow?", metadata: { model: MODEL } });
    await refused(answered, "follow", `prompt "follow": ${leftWithoutResult(timeCall)}`);

    const idless = calledFile([{ type: "function", function: { name: "weather", arguments: "{}" } }]);
    idless.prompts[1] = { name: "follow", input: "And tomorrow?", metadata: { model: MODEL } };
    await refused(
      idless,
      "follow",
      'prompt "follow": the output of prompt "ask" calls the tool "weather" (stored without an id), and the chat completion API needs its result right after the call: put a prompt with the input {"role": "tool", "name": "weather", "data": "..."} right after "ask", or set remember_chat_context to false',
    );
  });

  test("the fix the message names works: with every call answered, or remember_chat_context false, the request is sent (the recorded chat-completion-mistral.json answers)", async () => {
    const config = calledFile([weatherCall, timeCall]);
    config.prompts[1]!.input = { role: "tool", tool_call_id: "call_w", data: RESULT };
    config.prompts.push({ name: "time", input: { role: "tool", tool_call_id: "call_t", data: "09:30" }, metadata: { model: MODEL } });
    config.prompts.push({
      name: "fresh",
      input: "And tomorrow?",
      metadata: { model: { name: MODEL, settings: { remember_chat_context: false } } },
    });
    const rt = replay.runtime(config);
    const recorded = recordedReply(readRecorded("chat-completion-mistral.json"));
    replay.server.reply(recorded, recorded);
    const at = replay.server.requests.length;
    await rt.run("time");
    assert.deepEqual(replay.server.requests[at]!.body.messages, [
      { role: "user", content: ASK },
      { role: "assistant", tool_calls: [weatherCall, timeCall] },
      { role: "tool", content: RESULT, tool_call_id: "call_w" },
      { role: "tool", content: "09:30", tool_call_id: "call_t" },
    ]);
    config.prompts.splice(1, 2);
    await replay.runtime(config).run("fresh");
    assert.deepEqual(replay.server.requests[at + 1]!.body.messages, [{ role: "user", content: "And tomorrow?" }]);
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
