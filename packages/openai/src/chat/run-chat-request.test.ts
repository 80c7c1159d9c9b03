import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { ProviderError, type RunContext, RunAbortedError } from "@aiconfig-ts/core";
import { readFixtureChunks, readFixtureJSON, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { openaiChat } from "./chat-provider.js";
import {
  envFor,
  onePrompt,
  requestsReceived,
  runtimeFor,
  sseReply,
  streamedText,
  TEST_KEY,
  textChunks,
  textCompletion,
} from "../test-support.test.helper.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.fallback(undefined);
});

const prompt = "Invent a new holiday and describe its traditions.";

describe("non-streamed chat", () => {
  test("sends model, messages and the settings, and stores the recorded reply with its metadata", async () => {
    server.reply({ json: textCompletion });
    const rt = runtimeFor(
      onePrompt(prompt, {
        name: "gpt-4",
        settings: {
          model: "gpt-4.1-nano",
          temperature: 0.5,
          top_p: 0.9,
          max_tokens: 400,
          seed: 7,
          stop: ["\n\n\n"],
          presence_penalty: 0.1,
          frequency_penalty: 0.2,
          logit_bias: { "50256": -100 },
          user: "u1",
          response_format: { type: "text" },
          system_prompt: "You are festive.",
          remember_chat_context: true,
          api_key: TEST_KEY,
          max_retries: 1,
          timeout: 30000,
          preset: "openai",
        },
      }),
      envFor(server),
    );
    const outputs = await rt.run("p");
    assert.equal(server.requests.length, 1);
    const req = server.requests[0]!;
    assert.equal(req.path, "/v1/chat/completions");
    assert.equal(req.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.deepEqual(req.body, {
      model: "gpt-4.1-nano",
      messages: [
        { role: "system", content: "You are festive." },
        { role: "user", content: prompt },
      ],
      temperature: 0.5,
      top_p: 0.9,
      max_tokens: 400,
      seed: 7,
      stop: ["\n\n\n"],
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      logit_bias: { "50256": -100 },
      user: "u1",
      response_format: { type: "text" },
    });
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: textCompletion.choices[0]!.message.content,
        metadata: {
          id: textCompletion.id,
          model: textCompletion.model,
          created: textCompletion.created,
          usage: textCompletion.usage,
          finish_reason: "stop",
          role: "assistant",
          system_fingerprint: textCompletion.system_fingerprint,
          service_tier: "default",
        },
      },
    ]);
    assert.equal(rt.getOutputText("p"), textCompletion.choices[0]!.message.content);
    assert.ok(!JSON.stringify(outputs).includes(TEST_KEY), "the key is never in outputs");
  });

  test("unknown settings that are not ours are passed through", async () => {
    server.reply({ json: textCompletion });
    const rt = runtimeFor(
      onePrompt("hi", { name: "gpt-4o", settings: { reasoning_effort: "low", metadata: { a: "b" }, store: false } }),
      envFor(server),
    );
    await rt.run("p");
    assert.deepEqual(server.requests[0]!.body, {
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      reasoning_effort: "low",
      metadata: { a: "b" },
      store: false,
    });
  });

  test("n > 1: every choice is an output with its execution_count", async () => {
    // Constructed: two choices in place of the recorded one (see packages/testing/SOURCE.md).
    const two = {
      ...textCompletion,
      choices: [
        { index: 1, message: { role: "assistant", content: "second", refusal: null }, finish_reason: "length", logprobs: null },
        { index: 0, message: { role: "assistant", content: "first", refusal: null }, finish_reason: "stop", logprobs: null },
      ],
    };
    server.reply({ json: two });
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { n: 2 } }), envFor(server));
    const outputs = await rt.run("p");
    assert.equal(server.requests[0]!.body.n, 2);
    assert.deepEqual(
      outputs.map((o) => o.output_type === "execute_result" && [o.execution_count, o.data, o.metadata?.finish_reason]),
      [
        [0, "first", "stop"],
        [1, "second", "length"],
      ],
    );
  });

  test("tool calls are stored as a tool_calls output; tools and tool_choice are sent", async () => {
    const tools = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } },
    ];
    // Constructed: two parallel tool calls, no recording has them (see packages/testing/SOURCE.md).
    const calls = [
      { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
      { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
    ];
    server.reply({
      json: {
        ...textCompletion,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: null, tool_calls: calls, refusal: null },
            finish_reason: "tool_calls",
            logprobs: null,
          },
        ],
      },
    });
    const rt = runtimeFor(
      onePrompt("Weather in Oslo and Rome?", { name: "gpt-4o", settings: { tools, tool_choice: "auto", parallel_tool_calls: true } }),
      envFor(server),
    );
    const outputs = await rt.run("p");
    const body = server.requests[0]!.body;
    assert.deepEqual(body.tools, tools);
    assert.equal(body.tool_choice, "auto");
    assert.equal(body.parallel_tool_calls, true);
    const out = outputs[0]!;
    assert.equal(out.output_type, "execute_result");
    assert.deepEqual(out.output_type === "execute_result" && out.data, { kind: "tool_calls", value: calls });
    assert.equal(out.output_type === "execute_result" && out.metadata?.finish_reason, "tool_calls");
    assert.equal(rt.getOutputText("p"), JSON.stringify(calls));
  });

  test("a legacy function_call reply becomes one tool call", async () => {
    // Constructed: a 0613 model's function_call message (see packages/testing/SOURCE.md).
    server.reply({
      json: {
        ...textCompletion,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: null, function_call: { name: "search", arguments: '{"name":"Dune"}' } },
            finish_reason: "function_call",
          },
        ],
      },
    });
    const functions = [{ name: "search", parameters: { type: "object", properties: { name: { type: "string" } } } }];
    const rt = runtimeFor(
      onePrompt("find Dune", { name: "gpt-3.5-turbo", settings: { functions, function_call: "auto" } }),
      envFor(server),
    );
    const outputs = await rt.run("p");
    assert.deepEqual(server.requests[0]!.body.functions, functions);
    assert.equal(server.requests[0]!.body.function_call, "auto");
    assert.deepEqual(outputs[0]!.output_type === "execute_result" && outputs[0]!.data, {
      kind: "tool_calls",
      value: [{ type: "function", function: { name: "search", arguments: '{"name":"Dune"}' } }],
    });
  });
});

describe("streamed chat", () => {
  test("the recorded stream is delivered chunk by chunk and stored with usage", async () => {
    server.reply(sseReply(textChunks));
    const rt = runtimeFor(onePrompt(prompt, "gpt-4.1-nano"), envFor(server));
    const deltas: string[] = [];
    const outputs = await rt.run("p", {}, { onStream: (c) => deltas.push(c.delta) });
    const body = server.requests[0]!.body;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.deepEqual(body.messages, [{ role: "user", content: prompt }]);
    const expected = streamedText(textChunks);
    assert.ok(expected.length > 100);
    assert.ok(deltas.length > 10, "several chunks were delivered");
    assert.equal(deltas.join(""), expected);
    const last = JSON.parse(textChunks[textChunks.length - 1]!);
    const first = JSON.parse(textChunks[0]!);
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: expected,
        metadata: {
          id: first.id,
          model: first.model,
          created: first.created,
          usage: last.usage,
          finish_reason: "stop",
          role: "assistant",
          system_fingerprint: first.system_fingerprint,
          service_tier: "default",
        },
      },
    ]);
  });

  test("a streamed reply is stored exactly as the same reply not streamed", async () => {
    const first = JSON.parse(textChunks[0]!);
    const last = JSON.parse(textChunks[textChunks.length - 1]!);
    const whole = {
      id: first.id,
      object: "chat.completion",
      created: first.created,
      model: first.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: streamedText(textChunks), refusal: null },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: last.usage,
      service_tier: "default",
      system_fingerprint: first.system_fingerprint,
    };
    server.reply(sseReply(textChunks), { json: whole });
    const streamed = await runtimeFor(onePrompt(prompt), envFor(server)).run("p", {}, { stream: true });
    const plain = await runtimeFor(onePrompt(prompt), envFor(server)).run("p", {}, { stream: false });
    assert.equal(server.requests[1]!.body.stream, undefined);
    assert.deepEqual(streamed, plain);
  });

  test("Azure's model-router stream (an empty first chunk, content filter results) accumulates", async () => {
    const chunks = readFixtureChunks("openai", "azure-model-router.1.chunks.txt");
    server.reply(sseReply(chunks));
    const deltas: string[] = [];
    const outputs = await runtimeFor(onePrompt("Capital of Denmark?"), envFor(server)).run(
      "p",
      {},
      { onStream: (c) => deltas.push(c.delta) },
    );
    assert.equal(deltas.join(""), "Capital of Denmark.");
    const out = outputs[0]!;
    assert.equal(out.output_type === "execute_result" && out.data, "Capital of Denmark.");
    assert.equal(out.output_type === "execute_result" && out.metadata?.model, "gpt-5-nano-2025-08-07");
    const usage = out.output_type === "execute_result" ? (out.metadata?.usage as { total_tokens: number } | undefined) : undefined;
    assert.equal(usage?.total_tokens, 93);
  });

  test("tool call deltas accumulate into the same tool_calls output", async () => {
    // Constructed: chunks of two interleaved tool calls (see packages/testing/SOURCE.md).
    const base = { id: "chatcmpl-t", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o-2024-08-06" };
    const chunk = (delta: object, finish: string | null = null) => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    });
    const chunks = [
      chunk({
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Oslo"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: "{}" } }] }),
      chunk({}, "tool_calls"),
    ];
    server.reply(sseReply(chunks));
    const outputs = await runtimeFor(onePrompt("weather and time in Oslo", "gpt-4o"), envFor(server)).run("p", {}, { stream: true });
    assert.deepEqual(outputs[0]!.output_type === "execute_result" && outputs[0]!.data, {
      kind: "tool_calls",
      value: [
        { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
        { id: "call_b", type: "function", function: { name: "get_time", arguments: "{}" } },
      ],
    });
    assert.equal(outputs[0]!.output_type === "execute_result" && outputs[0]!.metadata?.finish_reason, "tool_calls");
  });

  test("n = 2 streamed: deltas carry their choice index, and two outputs are stored", async () => {
    // Constructed: chunks of two interleaved choices (see packages/testing/SOURCE.md).
    const base = { id: "chatcmpl-n", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o-mini" };
    const c = (index: number, delta: object, finish: string | null = null) => ({
      ...base,
      choices: [{ index, delta, finish_reason: finish }],
    });
    server.reply(
      sseReply([
        c(0, { role: "assistant", content: "Red" }),
        c(1, { role: "assistant", content: "Blue" }),
        c(0, { content: " apple" }),
        c(1, { content: " sky" }),
        c(0, {}, "stop"),
        c(1, {}, "stop"),
      ]),
    );
    const got: Array<[number, string]> = [];
    const outputs = await runtimeFor(onePrompt("a colour and a thing", { name: "gpt-4o-mini", settings: { n: 2 } }), envFor(server)).run(
      "p",
      {},
      { onStream: (ch) => got.push([ch.index, ch.delta]) },
    );
    assert.deepEqual(got, [
      [0, "Red"],
      [1, "Blue"],
      [0, " apple"],
      [1, " sky"],
    ]);
    assert.deepEqual(
      outputs.map((o) => o.output_type === "execute_result" && [o.execution_count, o.data]),
      [
        [0, "Red apple"],
        [1, "Blue sky"],
      ],
    );
  });

  test("a streamed refusal with log probabilities is stored exactly as the same reply not streamed", async () => {
    // Constructed: refusal deltas with log probabilities (see packages/testing/SOURCE.md).
    const base = { id: "chatcmpl-r", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o-2024-08-06" };
    const token = (text: string, logprob: number) => ({ token: text, logprob, bytes: [...Buffer.from(text)], top_logprobs: [] });
    const pieces = ["I'm sorry", ", I can't", " help with that."];
    const chunks = [
      ...pieces.map((refusal, i) => ({
        ...base,
        choices: [
          {
            index: 0,
            delta: i === 0 ? { role: "assistant", content: null, refusal } : { refusal },
            finish_reason: null,
            logprobs: { content: null, refusal: [token(refusal, -0.1 * (i + 1))] },
          },
        ],
      })),
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop", logprobs: null }] },
      { ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } },
    ];
    const whole = {
      id: base.id,
      object: "chat.completion",
      created: base.created,
      model: base.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, refusal: pieces.join("") },
          finish_reason: "stop",
          logprobs: { content: null, refusal: pieces.map((p, i) => token(p, -0.1 * (i + 1))) },
        },
      ],
      usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
    };
    server.reply(sseReply(chunks), { json: whole });
    const deltas: string[] = [];
    const settings = { name: "gpt-4o", settings: { logprobs: true } };
    const streamed = await runtimeFor(onePrompt("how to pick a lock", settings), envFor(server)).run(
      "p",
      {},
      { onStream: (c) => deltas.push(c.delta) },
    );
    const plain = await runtimeFor(onePrompt("how to pick a lock", settings), envFor(server)).run("p", {}, { stream: false });
    assert.deepEqual(deltas, pieces, "refusal deltas are streamed like text");
    assert.deepEqual(streamed, plain);
    const out = streamed[0]!;
    assert.equal(out.output_type === "execute_result" && out.data, pieces.join(""));
    assert.equal(out.output_type === "execute_result" && out.metadata?.refusal, pieces.join(""));
    const logprobs = out.output_type === "execute_result" ? (out.metadata?.logprobs as { refusal: Array<{ token: string }> }) : undefined;
    assert.deepEqual(
      logprobs?.refusal.map((t) => t.token),
      pieces,
      "each token's log probability once",
    );
  });

  test("a legacy function_call stream accumulates its name and arguments; a tool call without an id gets one", async () => {
    // Constructed: function_call deltas of a 0613 model (see packages/testing/SOURCE.md).
    const base = { id: "chatcmpl-f", object: "chat.completion.chunk", created: 1700000000, model: "gpt-3.5-turbo-0613" };
    const chunk = (delta: object, finish: string | null = null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
    server.reply(
      sseReply([
        chunk({ role: "assistant", content: null, function_call: { name: "search", arguments: "" } }),
        chunk({ function_call: { arguments: '{"name":' } }),
        chunk({ function_call: { arguments: '"Dune"}' } }),
        chunk({}, "function_call"),
      ]),
      sseReply([
        chunk({ role: "assistant", tool_calls: [{ index: 0, type: "function", function: { name: "now", arguments: "{}" } }] }),
        chunk({}, "tool_calls"),
      ]),
    );
    const functions = [{ name: "search", parameters: { type: "object", properties: { name: { type: "string" } } } }];
    const rt = runtimeFor(onePrompt("find Dune", { name: "gpt-3.5-turbo", settings: { functions } }), envFor(server));
    const outputs = await rt.run("p", {}, { stream: true });
    assert.deepEqual(outputs[0]!.output_type === "execute_result" && outputs[0]!.data, {
      kind: "tool_calls",
      value: [{ type: "function", function: { name: "search", arguments: '{"name":"Dune"}' } }],
    });
    assert.equal(outputs[0]!.output_type === "execute_result" && outputs[0]!.metadata?.finish_reason, "function_call");
    const [timeOutput] = await runtimeFor(onePrompt("what time is it"), envFor(server)).run("p", {}, { stream: true });
    const data =
      timeOutput!.output_type === "execute_result" ? (timeOutput!.data as { kind: string; value: Array<{ id?: string }> }) : undefined;
    assert.equal(data?.kind, "tool_calls");
    const call = data!.value[0]!;
    assert.match(String(call.id), /^call_[0-9a-f-]{36}$/);
    assert.deepEqual({ ...call, id: "" }, { id: "", type: "function", function: { name: "now", arguments: "{}" } });
  });

  test("settings.stream: true streams even when the caller did not ask; stream_options from the settings win", async () => {
    server.reply(sseReply(textChunks));
    await runtimeFor(
      onePrompt("hi", { name: "gpt-4", settings: { stream: true, stream_options: { include_usage: false } } }),
      envFor(server),
    ).run("p");
    assert.equal(server.requests[0]!.body.stream, true);
    assert.deepEqual(server.requests[0]!.body.stream_options, { include_usage: false });
  });
});

describe("faults", () => {
  test("a 400 from the API (legacy max_tokens on a reasoning model) is stored as an error output", async () => {
    const body = readFixtureJSON("openai", "reasoning-model-legacy-parameter-error.json");
    server.reply({ json: body, status: 400 });
    const rt = runtimeFor(onePrompt("think", { name: "o3-mini", settings: { max_tokens: 100 } }), envFor(server));
    await assert.rejects(rt.run("p"), (e: unknown) => {
      assert.ok(e instanceof ProviderError);
      assert.match(e.message, /max_completion_tokens/);
      return true;
    });
    assert.equal(server.requests.length, 1, "a 400 is not retried");
    const out = rt.config.prompts[0]!.outputs![0]!;
    assert.equal(out.output_type, "error");
    assert.equal(out.output_type === "error" && out.ename, "BadRequestError");
    assert.match(out.output_type === "error" ? out.evalue : "", /Unsupported parameter: 'max_tokens'/);
  });

  test("429 with retry-after is retried, then succeeds", async () => {
    // Constructed: OpenAI's rate-limit error body and retry-after header (see packages/testing/SOURCE.md).
    server.reply(
      {
        json: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        status: 429,
        headers: { "retry-after": "1" },
      },
      { json: textCompletion },
    );
    const outputs = await runtimeFor(onePrompt("hi"), envFor(server)).run("p");
    assert.equal(server.requests.length, 2);
    assert.deepEqual(server.requests[1]!.body, server.requests[0]!.body);
    assert.equal(outputs[0]!.output_type, "execute_result");
  });

  test("500 is retried", async () => {
    // Constructed: OpenAI's server error body (see packages/testing/SOURCE.md).
    server.reply(
      { json: { error: { message: "boom", type: "server_error" } }, status: 500, headers: { "retry-after-ms": "10" } },
      { json: textCompletion },
    );
    const outputs = await runtimeFor(onePrompt("hi"), envFor(server)).run("p");
    assert.equal(server.requests.length, 2);
    assert.equal(outputs[0]!.output_type === "execute_result" && outputs[0]!.data, textCompletion.choices[0]!.message.content);
  });

  test("max_retries: 0 turns a 429 into an error at once", async () => {
    // Constructed: OpenAI's rate-limit error body (see packages/testing/SOURCE.md).
    server.reply({
      json: { error: { message: "Rate limit reached", type: "requests" } },
      status: 429,
      headers: { "retry-after-ms": "10" },
    });
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { max_retries: 0 } }), envFor(server));
    await assert.rejects(rt.run("p"), ProviderError);
    assert.equal(server.requests.length, 1);
    const out = rt.config.prompts[0]!.outputs![0]!;
    assert.equal(out.output_type === "error" && out.ename, "RateLimitError");
  });

  test("the timeout setting (ms) ends a request that gets no answer", async () => {
    server.reply({ hang: true });
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { timeout: 50, max_retries: 0 } }), envFor(server));
    await assert.rejects(rt.run("p"), ProviderError);
    const out = rt.config.prompts[0]!.outputs![0]!;
    assert.equal(out.output_type === "error" && out.ename, "APIConnectionTimeoutError");
  });

  test("a stream that breaks mid-way ends the run with an error output", async () => {
    server.reply(sseReply(textChunks, { breakAfter: 5, delayMs: 10 }));
    const rt = runtimeFor(onePrompt("hi"), envFor(server));
    const deltas: string[] = [];
    await assert.rejects(rt.run("p", {}, { onStream: (c) => deltas.push(c.delta) }), (e: unknown) => e instanceof ProviderError);
    const full = streamedText(textChunks);
    assert.ok(full.startsWith(deltas.join("")) && deltas.join("").length < full.length, "only the text before the break was delivered");
    const out = rt.config.prompts[0]!.outputs![0]!;
    assert.equal(out.output_type, "error");
    assert.equal(out.output_type === "error" && out.ename, "StreamInterruptedError");
    assert.match(
      out.output_type === "error" ? out.evalue : "",
      /^prompt "p": the streamed reply broke off after \d+ chunks \(terminated\)/,
    );
  });

  test("a stream that ends before its finish_reason is an interrupted stream, not a short answer", async () => {
    const cut = textChunks.slice(0, 6);
    server.reply(sseReply(cut));
    const rt = runtimeFor(onePrompt("hi"), envFor(server));
    await assert.rejects(rt.run("p", {}, { stream: true }), ProviderError);
    const out = rt.config.prompts[0]!.outputs![0]!;
    assert.equal(out.output_type === "error" && out.ename, "StreamInterruptedError");
    assert.equal(
      out.output_type === "error" && out.evalue,
      'prompt "p": the streamed reply broke off after 6 chunks (the stream ended without a finish_reason for choice 0); run the prompt again',
    );
  });

  test("aborting mid-stream ends the provider's run with the SDK's abort error", async () => {
    const [first, second] = textChunks;
    server.reply((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(`data: ${first}\n\ndata: ${second}\n\n`); // and then nothing more, until the client goes
    });
    const controller = new AbortController();
    const deltas: string[] = [];
    const ctx: RunContext = {
      prompt: { name: "p", input: "hi" },
      model: "gpt-4",
      settings: {},
      signal: controller.signal,
      streaming: true,
      stream: (c) => {
        deltas.push(c.delta);
        controller.abort();
      },
      configDir: undefined,
      env: envFor(server),
      storeBinary: () => Promise.reject(new Error("unused")),
    };
    await assert.rejects(openaiChat.run({ model: "gpt-4", messages: [{ role: "user", content: "hi" }] }, ctx), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "APIUserAbortError");
      return true;
    });
    assert.deepEqual(deltas, [streamedText([second!])], "the text before the abort was delivered");
  });

  test("an aborted run ends promptly and keeps the previous outputs", async () => {
    server.reply({ hang: true });
    const doc = onePrompt("hi") as { prompts: Array<{ outputs?: unknown[] }> };
    const previous = { output_type: "execute_result", execution_count: 0, data: "old answer" };
    doc.prompts[0]!.outputs = [previous];
    const rt = runtimeFor(doc, envFor(server));
    const controller = new AbortController();
    const running = rt.run("p", {}, { signal: controller.signal, stream: true });
    await requestsReceived(server, 1);
    controller.abort();
    await assert.rejects(running, RunAbortedError);
    assert.deepEqual(rt.config.prompts[0]!.outputs, [previous]);
  });

  test("the provider passes the signal to the SDK: aborting cancels the request itself", async () => {
    server.reply({ hang: true });
    const controller = new AbortController();
    const ctx: RunContext = {
      prompt: { name: "p", input: "hi" },
      model: "gpt-4",
      settings: {},
      signal: controller.signal,
      streaming: false,
      stream: () => {},
      configDir: undefined,
      env: envFor(server),
      storeBinary: () => Promise.reject(new Error("unused")),
    };
    const running = openaiChat.run({ model: "gpt-4", messages: [{ role: "user", content: "hi" }] }, ctx);
    await requestsReceived(server, 1);
    controller.abort();
    await assert.rejects(running, (e: unknown) => e instanceof Error && e.name === "APIUserAbortError");
  });

  test("a missing key is one line naming OPENAI_API_KEY, and nothing is sent", async () => {
    const rt = runtimeFor(onePrompt("hi"), { OPENAI_BASE_URL: `${server.url}/v1` });
    await assert.rejects(rt.run("p"), (e: unknown) => {
      assert.ok(e instanceof Error);
      const cause = (e as { cause?: Error }).cause ?? e;
      assert.equal(cause.name, "MissingAPIKeyError");
      assert.match(cause.message, /OPENAI_API_KEY is not set/);
      assert.ok(!cause.message.includes("\n"));
      return true;
    });
    assert.equal(server.requests.length, 0);
  });
});
