/**
 * Replies: the chat tests replay OpenAI's recorded Chat Completions replies (../shared/fixtures/providers/openai,
 * the same wire format as Hugging Face's chat route); the completion replies (`{choices: [{text}]}`) and
 * text-generation-inference tokens are constructed. Hugging Face's own recorded replies are replayed in
 * recorded-replies.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ChatTurn, InvalidSettingError } from "@aiconfig-ts/core";
import { type ReplayServer, corpusFile, readFixtureChunks, readFixtureJSON, startReplayServer } from "@aiconfig-ts/testing";
import { modelNameOf, promptOf, readConfig, resolveContext, runContext, settingsOf } from "./test-support.js";
import { type ChatRequest, chatParameters, completionChunkText, completionParameters, textGenerationProvider } from "./text-generation.js";

// Hugging Face's chat completion API is OpenAI's wire format: replay OpenAI's recorded responses.
const chatJSON = readFixtureJSON("openai", "openai-text.json") as {
  choices: Array<{ message: { content: string }; finish_reason: string }>;
  usage: Record<string, unknown>;
  id: string;
};
const chatChunks = readFixtureChunks("openai", "openai-text.chunks.txt");
const streamedText = chatChunks
  .map((line) => JSON.parse(line) as { choices: Array<{ delta: { content?: string } }> })
  .map((c) => c.choices[0]?.delta.content ?? "")
  .join("");

const mistral = readConfig(corpusFile("cookbooks__HuggingFace__Mistral-aiconfig.json"));
const mistralPrompt = promptOf(mistral, "prompt1");

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

const env = () => ({ HF_TOKEN: "hf_llm_token", HF_INFERENCE_ENDPOINT: server.url });

test("chat: sends the corpus Mistral prompt to /v1/chat/completions and stores the answer with usage", async () => {
  const opts = {
    model: modelNameOf(mistral, mistralPrompt),
    settings: settingsOf(mistral, mistralPrompt),
    text: String(mistralPrompt.input),
    env: env(),
  };
  const request = await textGenerationProvider.resolve(resolveContext(opts));
  server.reply({ json: chatJSON });
  const at = server.requests.length;
  const outputs = await textGenerationProvider.run(request, runContext(opts));

  const received = server.requests[at]!;
  assert.equal(received.path, "/models/mistralai/Mistral-7B-v0.1/v1/chat/completions");
  assert.equal(received.headers.authorization, "Bearer hf_llm_token");
  assert.deepEqual(received.body, {
    model: "mistralai/Mistral-7B-v0.1",
    messages: [{ role: "user", content: "What is your favorite condiment?" }],
    temperature: 0.9,
    top_p: 0.9,
  });
  assert.deepEqual(outputs, [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: chatJSON.choices[0]!.message.content,
      metadata: { model: "mistralai/Mistral-7B-v0.1", id: chatJSON.id, finish_reason: "stop", usage: chatJSON.usage },
    },
  ]);
});

test("chat, streamed: every recorded delta reaches ctx.stream and the output is their concatenation", async () => {
  const opts = { model: "Text Generation", settings: { max_new_tokens: 300 }, text: "Invent a holiday.", env: env(), streaming: true };
  const request = await textGenerationProvider.resolve(resolveContext(opts));
  server.reply({ sse: chatChunks, done: true });
  const at = server.requests.length;
  const ctx = runContext(opts);
  const outputs = await textGenerationProvider.run(request, ctx);

  const received = server.requests[at]!;
  assert.equal(received.path, "/models/Qwen/Qwen2.5-7B-Instruct/v1/chat/completions");
  assert.deepEqual(received.body, {
    model: "Qwen/Qwen2.5-7B-Instruct",
    messages: [{ role: "user", content: "Invent a holiday." }],
    max_tokens: 300,
    stream: true,
  });
  assert.ok(ctx.chunks.length > 100);
  assert.equal(ctx.chunks.map((c) => c.delta).join(""), streamedText);
  assert.ok(ctx.chunks.every((c) => c.index === 0 && c.delta !== ""));
  const last = JSON.parse(chatChunks.at(-1)!) as { usage: unknown };
  assert.deepEqual(outputs, [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: streamedText,
      metadata: {
        model: "Qwen/Qwen2.5-7B-Instruct",
        id: "chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0",
        finish_reason: "stop",
        usage: last.usage,
      },
    },
  ]);
});

test("chat: the system prompt and earlier prompts of the model are sent as turns", async () => {
  const history = [
    { prompt: { name: "a", input: "Hi" }, input: { text: "Hi", attachments: [] }, output: undefined, outputText: "Hello! How can I help?" },
    { prompt: { name: "b", input: "" }, input: { text: "", attachments: [] }, output: undefined, outputText: undefined },
  ] as ChatTurn[];
  const settings = { system_prompt: "You are terse.", stop_sequences: ["\n\n"], max_tokens: 20, seed: 7 };
  const request = (await textGenerationProvider.resolve(
    resolveContext({ model: "HuggingFaceH4/zephyr-7b-beta", settings, text: "Name a fox.", history }),
  )) as ChatRequest;
  assert.equal(request.api, "chat");
  assert.equal(request.model, "HuggingFaceH4/zephyr-7b-beta");
  assert.deepEqual(request.args, {
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello! How can I help?" },
      { role: "user", content: "Name a fox." },
    ],
    seed: 7,
    max_tokens: 20,
    stop: ["\n\n"],
  });
});

test("completion: sends the text to /v1/completions with the settings mapped and stores the text", async () => {
  const settings = {
    api: "completion",
    max_new_tokens: 12,
    temperature: 0.5,
    top_k: 40,
    repetition_penalty: 1.1,
    stop_sequences: ["."],
    model: "gpt2-org/gpt2",
  };
  const opts = { model: "HuggingFaceTextGenerationParser", settings, text: "Once upon a time", env: env() };
  const request = await textGenerationProvider.resolve(resolveContext(opts));
  server.reply({
    json: { id: "cmpl-1", object: "text_completion", choices: [{ index: 0, text: " there was a fox", finish_reason: "length" }] },
  });
  const at = server.requests.length;
  const outputs = await textGenerationProvider.run(request, runContext(opts));
  const received = server.requests[at]!;
  assert.equal(received.path, "/models/gpt2-org/gpt2/v1/completions");
  assert.deepEqual(received.body, {
    model: "gpt2-org/gpt2",
    max_tokens: 12,
    temperature: 0.5,
    top_k: 40,
    repetition_penalty: 1.1,
    stop: ["."],
    prompt: "Once upon a time",
  });
  assert.deepEqual(outputs, [
    { output_type: "execute_result", execution_count: 0, data: " there was a fox", metadata: { model: "gpt2-org/gpt2" } },
  ]);
});

test("completion, streamed: reads the completion chunks the SDK passes on", async () => {
  const settings = { api: "completion" };
  const opts = { model: "Text Generation", settings, text: "Once", env: env(), streaming: true };
  const request = await textGenerationProvider.resolve(resolveContext(opts));
  const pieces = [" upon", " a", " time"];
  const events = [
    ...pieces.map((text, i) =>
      JSON.stringify({ id: "c", object: "text_completion", choices: [{ index: 0, text, finish_reason: i === 2 ? "length" : null }] }),
    ),
  ];
  server.reply({ sse: events, done: true });
  const at = server.requests.length;
  const ctx = runContext(opts);
  const outputs = await textGenerationProvider.run(request, ctx);
  assert.deepEqual(server.requests[at]!.body, { model: "Qwen/Qwen2.5-7B-Instruct", stream: true, prompt: "Once" });
  assert.deepEqual(
    ctx.chunks.map((c) => c.delta),
    pieces,
  );
  assert.deepEqual(outputs, [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: " upon a time",
      metadata: { model: "Qwen/Qwen2.5-7B-Instruct", finish_reason: "length" },
    },
  ]);
});

test("completion chunks of text-generation-inference's own format give their token text, special tokens none", () => {
  assert.deepEqual(completionChunkText({ token: { id: 1, text: " fox", special: false, logprob: -1 } }), { text: " fox" });
  assert.deepEqual(completionChunkText({ token: { id: 2, text: "</s>", special: true }, details: { finish_reason: "eos_token" } }), {
    text: "",
    finishReason: "eos_token",
  });
});

test("parameter names: max_new_tokens and max_tokens, stop and stop_sequences are the same settings", () => {
  assert.deepEqual(chatParameters({ max_new_tokens: 5, stop: "END" }), { max_tokens: 5, stop: ["END"] });
  assert.deepEqual(completionParameters({ max_tokens: 5, stop_sequences: ["a"], do_sample: true }), {
    do_sample: true,
    max_new_tokens: 5,
    stop: ["a"],
  });
  assert.equal(completionParameters({ stream: true, model: "x/y" }), undefined);
});

test("serves Hub ids, not the names of other services", () => {
  const serves = textGenerationProvider.servesModel!;
  assert.equal(serves("mistralai/Mistral-7B-v0.1"), true);
  assert.equal(serves("meta-llama/Llama-3.1-8B-Instruct"), true);
  assert.equal(serves("gpt-4"), false);
  assert.equal(serves("models/gemini-pro"), false);
  assert.equal(serves("TheBloke/stories260K.gguf"), false);
  assert.equal(serves("Text-to-Speech"), false);
});

test("reads the text of outputs the original SDK stored as whole responses", () => {
  const text = textGenerationProvider.outputText!;
  assert.equal(text({ output_type: "execute_result", data: { generated_text: "Mustard." } }), "Mustard.");
  assert.equal(text({ output_type: "execute_result", data: "plain" }), undefined);
});

test("aborting a streamed run ends it with the abort, while the server still holds the stream open", async () => {
  const controller = new AbortController();
  const opts = { model: "Text Generation", text: "Go on.", env: env(), streaming: true, signal: controller.signal };
  const request = await textGenerationProvider.resolve(resolveContext(opts));
  server.reply((_req, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(`data: ${chatChunks[1]}\n\n`);
    controller.abort();
    // The stream is left open: only the abort can end the run.
  });
  await assert.rejects(textGenerationProvider.run(request, runContext(opts)), (error: unknown) => (error as Error).name === "AbortError");
});

test("settings are read by the schema: a wrong type fails at resolve in one line; settings it does not list are not sent", async () => {
  assert.throws(
    () => textGenerationProvider.resolve(resolveContext({ model: "Text Generation", promptName: "ask", settings: { temperature: "hot" } })),
    (error: unknown) => {
      assert.ok(InvalidSettingError.isInstance(error));
      assert.equal(
        error.message,
        'prompt "ask" (Hugging Face Text Generation): setting "temperature" must be a number from 0 to 2, got "hot"',
      );
      return true;
    },
  );
  const request = (await textGenerationProvider.resolve(
    resolveContext({
      model: "Text Generation",
      text: "Hi",
      settings: { stream: true, max_new_tokens: 7, stop: "END", remember_chat_context: true },
    }),
  )) as ChatRequest;
  assert.deepEqual(request.args, { messages: [{ role: "user", content: "Hi" }], max_tokens: 7, stop: ["END"] });
});
