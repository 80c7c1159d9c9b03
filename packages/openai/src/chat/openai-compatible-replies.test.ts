/**
 * Every recorded reply in ../shared/fixtures/providers/openai-compatible (Groq's
 * and DeepSeek's Chat Completions, recorded by vercel/ai; see ../shared/fixtures/providers/SOURCE.md),
 * replayed through the real openai SDK by the groq and deepseek presets pointed at a
 * local server: text, tool calls and reasoning, whole and streamed.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import type { ExecuteResult } from "@aiconfig-ts/core";
import { type ReplayServer, readFixtureChunks, readFixtureJSON, startReplayServer } from "@aiconfig-ts/testing";
import { runtimeFor, sseReply } from "../test-support.test.helper.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

type Service = "groq" | "deepseek";

const env = (): Record<string, string> => ({
  GROQ_API_KEY: "gsk_test_key",
  GROQ_BASE_URL: `${server.url}/openai/v1`,
  DEEPSEEK_API_KEY: "sk-deepseek-test",
  DEEPSEEK_BASE_URL: `${server.url}/v1`,
});

interface RecordedCompletion {
  id: string;
  model: string;
  usage: Record<string, unknown>;
  choices: Array<{
    finish_reason: string;
    message: { content?: string | null; reasoning?: string; reasoning_content?: string; tool_calls?: Array<Record<string, any>> };
  }>;
}
interface RecordedChunk {
  id: string;
  usage?: Record<string, unknown> | null;
  choices: Array<{
    finish_reason: string | null;
    delta: {
      content?: string | null;
      reasoning?: string | null;
      reasoning_content?: string | null;
      tool_calls?: Array<Record<string, any>>;
    };
  }>;
}

const whole = (name: string) => readFixtureJSON("openai-compatible", name) as RecordedCompletion;
const chunks = (name: string) => readFixtureChunks("openai-compatible", name);
const parsed = (name: string) => chunks(name).map((l) => JSON.parse(l) as RecordedChunk);
const joined = (name: string, field: "content" | "reasoning" | "reasoning_content") =>
  parsed(name)
    .flatMap((c) => c.choices.map((ch) => ch.delta[field] ?? ""))
    .join("");

/** A document of prompts on the service's model (the recording's), chat context remembered. */
function doc(service: Service, model: string, inputs: unknown[], settings: Record<string, unknown> = {}) {
  return {
    name: "replay",
    schema_version: "latest",
    metadata: {},
    prompts: inputs.map((input, i) => ({
      name: `p${i + 1}`,
      input,
      metadata: { model: { name: service, settings: { model, ...settings } } },
    })),
  };
}

async function run(
  service: Service,
  model: string,
  reply: unknown,
  options: { stream?: boolean; settings?: Record<string, unknown> } = {},
) {
  const rt = runtimeFor(doc(service, model, ["How many r's are in strawberry?"], options.settings), env());
  server.reply(reply as never);
  const deltas: string[] = [];
  const outputs = await rt.run("p1", {}, options.stream ? { onStream: (c) => deltas.push(c.delta) } : {});
  return { rt, outputs: outputs as ExecuteResult[], deltas, request: server.requests[0]! };
}

const weatherTool = [
  { type: "function", function: { name: "weather", parameters: { type: "object", properties: { location: { type: "string" } } } } },
];

describe("Groq", () => {
  test("groq-text.json: the recorded answer is stored with Groq's usage, and the request went to Groq's path", async () => {
    const recorded = whole("groq-text.json");
    const { outputs, request } = await run("groq", recorded.model, { json: recorded });
    assert.equal(request.path, "/openai/v1/chat/completions");
    assert.equal(request.headers.authorization, "Bearer gsk_test_key");
    assert.equal(request.body.model, recorded.model);
    assert.equal(outputs.length, 1);
    assert.equal(outputs[0]!.data, recorded.choices[0]!.message.content);
    assert.deepEqual(outputs[0]!.metadata?.usage, recorded.usage);
    assert.equal(outputs[0]!.metadata?.finish_reason, recorded.choices[0]!.finish_reason);
  });

  test("groq-text.chunks.txt: every recorded delta is streamed and the output is their concatenation", async () => {
    const last = parsed("groq-text.chunks.txt").at(-1)!;
    const { outputs, deltas } = await run("groq", "llama-3.3-70b-versatile", sseReply(chunks("groq-text.chunks.txt")), { stream: true });
    assert.equal(deltas.join(""), joined("groq-text.chunks.txt", "content"));
    assert.ok(deltas.length > 100);
    assert.equal(outputs[0]!.data, deltas.join(""));
    assert.deepEqual(outputs[0]!.metadata?.usage, last.usage);
  });

  test("groq-tool-call.json: the tool call is stored as a tool_calls output with its id, name and arguments", async () => {
    const recorded = whole("groq-tool-call.json");
    const { outputs, rt } = await run("groq", recorded.model, { json: recorded }, { settings: { tools: weatherTool } });
    assert.deepEqual(outputs[0]!.data, {
      kind: "tool_calls",
      value: [{ id: "ax9fskhev", type: "function", function: { name: "weather", arguments: "{}" } }],
    });
    assert.equal(outputs[0]!.metadata?.finish_reason, "tool_calls");
    assert.equal(rt.getOutputText("p1"), JSON.stringify((outputs[0]!.data as { value: unknown }).value));
  });

  test("groq-tool-call.chunks.txt: the streamed tool call is stored as the same tool_calls output", async () => {
    const call = parsed("groq-tool-call.chunks.txt").flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []))[0]!;
    const { outputs, deltas } = await run("groq", "llama-3.3-70b-versatile", sseReply(chunks("groq-tool-call.chunks.txt")), {
      stream: true,
      settings: { tools: weatherTool },
    });
    assert.deepEqual(deltas, []);
    assert.deepEqual(outputs[0]!.data, { kind: "tool_calls", value: [{ id: call.id, type: "function", function: call.function }] });
    assert.equal(outputs[0]!.metadata?.finish_reason, "tool_calls");
  });

  test("groq-reasoning.json: the answer is the output, Groq's reasoning is kept in metadata.reasoning", async () => {
    const recorded = whole("groq-reasoning.json");
    const { outputs, rt } = await run("groq", recorded.model, { json: recorded });
    assert.equal(outputs[0]!.data, recorded.choices[0]!.message.content);
    assert.equal(outputs[0]!.metadata?.reasoning, recorded.choices[0]!.message.reasoning);
    assert.equal(rt.getOutputText("p1"), recorded.choices[0]!.message.content);
    assert.deepEqual((outputs[0]!.metadata!.usage as any).completion_tokens_details, { reasoning_tokens: 570 });
  });

  test("groq-reasoning.chunks.txt: only the answer is streamed; the reasoning deltas are joined into metadata.reasoning", async () => {
    const { outputs, deltas } = await run("groq", "qwen/qwen3-32b", sseReply(chunks("groq-reasoning.chunks.txt")), { stream: true });
    const reasoning = joined("groq-reasoning.chunks.txt", "reasoning");
    assert.ok(reasoning.startsWith("Okay,"));
    assert.equal(deltas.join(""), joined("groq-reasoning.chunks.txt", "content"));
    assert.equal(outputs[0]!.data, deltas.join(""));
    assert.equal(outputs[0]!.metadata?.reasoning, reasoning);
    assert.ok(!deltas.join("").includes(reasoning.slice(0, 40)));
  });
});

describe("DeepSeek", () => {
  test("deepseek-reasoning.json: the answer is the output, reasoning_content is kept in metadata", async () => {
    const recorded = whole("deepseek-reasoning.json");
    const { outputs, request } = await run("deepseek", recorded.model, { json: recorded });
    assert.equal(request.path, "/v1/chat/completions");
    assert.equal(request.headers.authorization, "Bearer sk-deepseek-test");
    assert.equal(outputs[0]!.data, recorded.choices[0]!.message.content);
    assert.equal(outputs[0]!.metadata?.reasoning_content, recorded.choices[0]!.message.reasoning_content);
    assert.equal(outputs[0]!.metadata?.reasoning, undefined);
  });

  test("deepseek-reasoning.chunks.txt: only the answer is streamed; reasoning_content deltas are joined into metadata", async () => {
    const { outputs, deltas } = await run("deepseek", "deepseek-reasoner", sseReply(chunks("deepseek-reasoning.chunks.txt")), {
      stream: true,
    });
    assert.equal(deltas.join(""), joined("deepseek-reasoning.chunks.txt", "content"));
    assert.equal(outputs[0]!.data, deltas.join(""));
    assert.equal(outputs[0]!.metadata?.reasoning_content, joined("deepseek-reasoning.chunks.txt", "reasoning_content"));
    assert.deepEqual(outputs[0]!.metadata?.usage, parsed("deepseek-reasoning.chunks.txt").at(-1)!.usage);
  });

  test("deepseek-tool-call.json: the tool call is stored, with the reasoning that led to it in metadata", async () => {
    const recorded = whole("deepseek-tool-call.json");
    const call = recorded.choices[0]!.message.tool_calls![0]!;
    const { outputs } = await run("deepseek", recorded.model, { json: recorded }, { settings: { tools: weatherTool } });
    assert.deepEqual(outputs[0]!.data, { kind: "tool_calls", value: [{ id: call.id, type: "function", function: call.function }] });
    assert.equal(outputs[0]!.metadata?.reasoning_content, recorded.choices[0]!.message.reasoning_content);
  });

  test("deepseek-tool-call.chunks.txt: argument pieces join into the tool call; reasoning_content is kept", async () => {
    const { outputs, deltas } = await run("deepseek", "deepseek-reasoner", sseReply(chunks("deepseek-tool-call.chunks.txt")), {
      stream: true,
      settings: { tools: weatherTool },
    });
    assert.deepEqual(deltas, []);
    const [call] = (outputs[0]!.data as { value: Array<{ function: { name: string; arguments: string } }> }).value;
    assert.equal(call!.function.name, "weather");
    assert.deepEqual(JSON.parse(call!.function.arguments), { location: "San Francisco" });
    assert.equal(outputs[0]!.metadata?.reasoning_content, joined("deepseek-tool-call.chunks.txt", "reasoning_content"));
  });
});

describe("reasoning as chat context", () => {
  test("reasoning of a text answer is not sent back in the next prompt's chat context", async () => {
    const recorded = whole("deepseek-reasoning.json");
    const rt = runtimeFor(doc("deepseek", "deepseek-reasoner", ["How many r's are in strawberry?", "And in raspberry?"]), env());
    server.reply({ json: recorded }, { json: recorded });
    await rt.run("p1");
    await rt.run("p2");
    const messages = server.requests[1]!.body.messages as Array<Record<string, unknown>>;
    assert.deepEqual(messages.slice(0, 2), [
      { role: "user", content: "How many r's are in strawberry?" },
      { role: "assistant", content: recorded.choices[0]!.message.content },
    ]);
    assert.ok(!JSON.stringify(messages).includes("reasoning"));
  });

  test("DeepSeek's reasoning_content of a tool-call turn is sent back, as its thinking mode requires", async () => {
    const recorded = whole("deepseek-tool-call.json");
    const call = recorded.choices[0]!.message.tool_calls![0]!;
    const rt = runtimeFor(
      doc(
        "deepseek",
        "deepseek-reasoner",
        ["What is the weather in San Francisco?", { role: "tool", tool_call_id: call.id, data: "18°C, fog" }],
        {
          tools: weatherTool,
        },
      ),
      env(),
    );
    server.reply({ json: recorded }, { json: whole("deepseek-reasoning.json") });
    await rt.run("p1");
    await rt.run("p2");
    const messages = server.requests[1]!.body.messages as Array<Record<string, unknown>>;
    const assistant = messages.find((m) => m.role === "assistant")!;
    assert.equal(assistant.reasoning_content, recorded.choices[0]!.message.reasoning_content);
    assert.deepEqual(assistant.tool_calls, [{ id: call.id, type: "function", function: call.function }]);
  });

  test("Groq's reasoning of a tool-call turn is not sent back (Groq's API takes no reasoning in messages)", async () => {
    const recorded = whole("groq-tool-call.json");
    const withReasoning = {
      ...recorded,
      choices: [{ ...recorded.choices[0]!, message: { ...recorded.choices[0]!.message, reasoning: "I should call weather." } }],
    };
    const rt = runtimeFor(
      doc("groq", recorded.model, ["Weather?", { role: "tool", tool_call_id: "ax9fskhev", data: "sunny" }], { tools: weatherTool }),
      env(),
    );
    // Constructed: the recorded tool call with a `reasoning` field added (no recording has both).
    server.reply({ json: withReasoning }, { json: whole("groq-text.json") });
    await rt.run("p1");
    assert.equal((rt.getPrompt("p1")!.outputs![0] as ExecuteResult).metadata?.reasoning, "I should call weather.");
    await rt.run("p2");
    assert.ok(!JSON.stringify(server.requests[1]!.body.messages).includes("reasoning"));
  });
});

describe("tool calls as chat context", () => {
  const results: Array<[Service, string, string]> = [
    ["groq", "groq-tool-call.json", "groq-text.json"],
    ["deepseek", "deepseek-tool-call.json", "deepseek-reasoning.json"],
  ];
  for (const [service, toolCallReply, textReply] of results) {
    test(`${toolCallReply}: the next request sends the recorded call as the assistant's tool_calls (id, name, arguments unchanged), then the role "tool" result answering that id`, async () => {
      const recorded = whole(toolCallReply);
      const call = recorded.choices[0]!.message.tool_calls![0]!;
      const rt = runtimeFor(
        doc(
          service,
          recorded.model,
          ["What is the weather in San Francisco?", { role: "tool", tool_call_id: call.id, data: '{"temperature": 18}' }],
          {
            tools: weatherTool,
          },
        ),
        env(),
      );
      server.reply({ json: recorded }, { json: whole(textReply) });
      await rt.run("p1");
      await rt.run("p2");
      const sent = server.requests[1]!.body;
      const messages = (sent.messages as Array<Record<string, unknown>>).map(({ reasoning_content, ...m }) => m);
      assert.deepEqual(messages, [
        { role: "user", content: "What is the weather in San Francisco?" },
        {
          role: "assistant",
          content: recorded.choices[0]!.message.content || null,
          tool_calls: [{ id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }],
        },
        { role: "tool", content: '{"temperature": 18}', tool_call_id: call.id },
      ]);
      assert.deepEqual(sent.tools, weatherTool);
    });
  }

  test('groq-tool-call.json: a role "tool" result without tool_call_id (as written for Gemini or Claude) answers the call of its name, sent with the recorded id', async () => {
    const recorded = whole("groq-tool-call.json");
    const call = recorded.choices[0]!.message.tool_calls![0]!;
    const rt = runtimeFor(
      doc(
        "groq",
        recorded.model,
        ["What is the weather in San Francisco?", { role: "tool", name: call.function.name, data: '{"temperature": 18}' }],
        { tools: weatherTool },
      ),
      env(),
    );
    server.reply({ json: recorded }, { json: whole("groq-text.json") });
    await rt.run("p1");
    await rt.run("p2");
    const messages = server.requests[1]!.body.messages as Array<Record<string, unknown>>;
    assert.deepEqual(messages.at(-1), { role: "tool", content: '{"temperature": 18}', tool_call_id: call.id });
  });

  test('fault: a role "tool" result without tool_call_id after no tool call fails in one line, nothing sent', async () => {
    const rt = runtimeFor(doc("groq", "llama-3.3-70b-versatile", [{ role: "tool", name: "weather", data: "18C" }], {}), env());
    await assert.rejects(
      rt.run("p1"),
      (e: Error) =>
        /prompt "p1": its input \(role "tool"\) is a tool's result, but it has no tool_call_id/.test(e.message) &&
        !e.message.includes("\n"),
    );
    assert.equal(server.requests.length, 0);
  });
});
