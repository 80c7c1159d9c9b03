import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ProviderRegistry } from "@aiconfig-ts/core";
import { corpusFile, modelsDir as sharedModelsDir } from "@aiconfig-ts/testing";
import type { LlamaRequest } from "./build-request.js";
import { resolveContext, runContext } from "./contexts.test.helper.js";
import { LlamaSettingsError, ModelNotFoundError } from "./errors.js";
import { disposeLlama, getEngine } from "./llama-engine.js";
import { CHATML_TEMPLATE, writeGgufWithString } from "./make-chat-gguf.test.helper.js";
import { llamaProvider, register } from "./provider.js";

const MODEL = join(sharedModelsDir, "stories260K.gguf");
/** What stories260K writes after "Once upon a time" at temperature 0, 20 tokens. */
const ONCE_20 = ", there was a little girl named Lily. She loved to play outsid";

async function resolve(options: Parameters<typeof resolveContext>[0]): Promise<LlamaRequest> {
  return llamaProvider.resolve(resolveContext(options));
}

after(() => disposeLlama());

describe("llama provider: identity and registration", () => {
  test("serves .gguf names and stories260K, under its id and the old ids", () => {
    assert.equal(llamaProvider.id, "llama");
    assert.deepEqual(llamaProvider.aliases, ["LLaMA", "llama.cpp", "gguf"]);
    assert.equal(llamaProvider.servesModel?.("stories260K"), true);
    assert.equal(llamaProvider.servesModel?.("models/tiny.GGUF"), true);
    assert.equal(llamaProvider.servesModel?.("gpt-4o"), false);
    const registry = register(new ProviderRegistry());
    assert.equal(registry.find("stories260K"), llamaProvider);
    assert.equal(registry.find("my-model.gguf"), llamaProvider);
    // the old cookbook maps its models to the parser id "LLaMA"
    assert.equal(registry.find("llama-2-7b-chat", { "llama-2-7b-chat": "LLaMA" }), llamaProvider);
    assert.equal(registry.find("llama-2-7b-chat"), undefined);
  });
});

describe("llama provider: resolve", () => {
  test("builds a plain completion request for the base model, with the defaults", async () => {
    const request = await resolve({ text: "Once upon a time" });
    assert.deepEqual(request, {
      model_path: MODEL,
      mode: "completion",
      prompt: "Once upon a time",
      max_tokens: 256,
      temperature: 0.8,
      top_k: 40,
      top_p: 0.95,
    });
    assert.deepEqual(JSON.parse(JSON.stringify(request)), request);
  });

  test("passes the settings on, a single stop text as a list", async () => {
    const request = await resolve({
      text: "Hi",
      settings: {
        temperature: 0,
        top_k: 5,
        top_p: 0.5,
        max_tokens: 7,
        seed: 3,
        stop: ".",
        threads: 1,
        context_size: 128,
        stream: true,
        model: "x",
      },
    });
    assert.deepEqual(request, {
      model_path: MODEL,
      mode: "completion",
      prompt: "Hi",
      max_tokens: 7,
      temperature: 0,
      top_k: 5,
      top_p: 0.5,
      seed: 3,
      stop: ["."],
      threads: 1,
      context_size: 128,
    });
  });

  test("finds model_path beside the aiconfig file first, then in the models folder", async () => {
    const dir = mkdtempSync(join(tmpdir(), "llama-config-"));
    try {
      mkdirSync(join(dir, "weights"));
      copyFileSync(MODEL, join(dir, "weights", "tiny.gguf"));
      const near = await resolve({ text: "x", model: "tiny", settings: { model_path: "weights/tiny.gguf" }, configDir: dir });
      assert.equal(near.model_path, join(dir, "weights", "tiny.gguf"));
      const inModels = await resolve({ text: "x", model: "tiny", settings: { model_path: "stories260K.gguf" }, configDir: dir });
      assert.equal(inModels.model_path, MODEL);
      const byName = await resolve({ text: "x", model: "tiny.gguf", configDir: join(dir, "weights") });
      assert.equal(byName.model_path, join(dir, "weights", "tiny.gguf"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a model of the old llama cookbook without a file says which setting to add", async () => {
    await assert.rejects(
      resolve({ text: "List 10 interesting things to do in NYC?", model: "llama-2-7b-chat", configDir: join(corpusFile("x"), "..") }),
      (error: unknown) => {
        assert.ok(error instanceof ModelNotFoundError);
        assert.match(
          error.message,
          /^no GGUF file llama-2-7b-chat\.gguf for model "llama-2-7b-chat" \(looked at .*\): set model_path in metadata\.models\["llama-2-7b-chat"\]/,
        );
        assert.equal(error.tried.length, 2);
        assert.ok(!error.message.includes("\n"));
        return true;
      },
    );
  });

  test("rejects a bad setting with one line naming the prompt, model and setting", async () => {
    await assert.rejects(resolve({ text: "x", settings: { temperature: "hot" } }), {
      name: "LlamaSettingsError",
      message: 'prompt "p" (model "stories260K"): setting "temperature" must be a number from 0 to 2, got "hot"',
    });
    await assert.rejects(resolve({ text: "x", settings: { max_tokens: 1.5 } }), LlamaSettingsError);
    await assert.rejects(
      resolve({ text: "x", settings: { stop: ["a", 3] } }),
      /setting "stop" must be a non-empty string or an array of them/,
    );
  });
});

describe("llama provider: run on stories260K", () => {
  test("continues the prompt at temperature 0 with the known text, usage and finish reason", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 20 } });
    const { ctx, chunks } = runContext();
    const outputs = await llamaProvider.run(request, ctx);
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        data: ONCE_20,
        execution_count: 0,
        metadata: { model: "stories260K", usage: { prompt_tokens: 5, completion_tokens: 20 }, finish_reason: "length" },
      },
    ]);
    assert.equal(chunks.length, 0, "nothing is streamed unless asked");
  });

  test("warmUp starts the engine without waiting: it returns nothing, twice, and the run after it gives the known text", async () => {
    await disposeLlama();
    assert.equal(llamaProvider.warmUp?.(), undefined);
    assert.equal(llamaProvider.warmUp?.(), undefined);
    const engine = await getEngine();
    assert.equal(await getEngine(), engine, "the run uses the engine the warm-up loaded");
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 20 } });
    const [output] = await llamaProvider.run(request, runContext().ctx);
    assert.equal(output?.output_type === "execute_result" && output.data, ONCE_20);
  });

  test("gives the same text on a second run (the pooled context is cleared)", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 20 } });
    const [first] = await llamaProvider.run(request, runContext().ctx);
    const [second] = await llamaProvider.run(request, runContext().ctx);
    assert.equal(first?.output_type === "execute_result" && first.data, ONCE_20);
    assert.deepEqual(second, first);
  });

  test("concurrent runs each get their own context and the same text", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 20 } });
    const outputs = await Promise.all([1, 2, 3].map(() => llamaProvider.run(request, runContext().ctx)));
    assert.deepEqual(
      outputs.map(([o]) => o?.output_type === "execute_result" && o.data),
      [ONCE_20, ONCE_20, ONCE_20],
    );
  });

  test("an empty prompt starts a story from the beginning-of-text token", async () => {
    const request = await resolve({ text: "", settings: { temperature: 0, max_tokens: 10 } });
    const [output] = await llamaProvider.run(request, runContext().ctx);
    assert.equal(output?.output_type === "execute_result" && output.data, "Once upon a time, there was a little g");
  });

  test("streams tokens whose concatenation is the output", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 20 } });
    const { ctx, chunks } = runContext({ streaming: true });
    const [output] = await llamaProvider.run(request, ctx);
    assert.ok(chunks.length > 5, `expected many chunks, got ${chunks.length}`);
    assert.ok(chunks.every((c) => c.index === 0));
    assert.equal(chunks.map((c) => c.delta).join(""), ONCE_20);
    assert.equal(output?.output_type === "execute_result" && output.data, ONCE_20);
  });

  test("stops at a stop text, which is left out, with finish reason stop", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 50, stop: ["Lily", "never"] } });
    const [output] = await llamaProvider.run(request, runContext().ctx);
    assert.equal(output?.output_type, "execute_result");
    assert.equal(output.data, ", there was a little girl named");
    assert.equal((output.metadata as { finish_reason: string }).finish_reason, "stop");
  });

  test("a seed makes sampling at temperature 1 repeatable", async () => {
    const run = async (seed: number) => {
      const request = await resolve({ text: "Once upon a time", settings: { temperature: 1, top_k: 0, top_p: 1, seed, max_tokens: 30 } });
      const [output] = await llamaProvider.run(request, runContext().ctx);
      return output?.output_type === "execute_result" ? output.data : undefined;
    };
    const a = await run(42);
    assert.equal(await run(42), a);
    assert.notEqual(await run(43), a);
  });

  test("stops promptly when aborted mid-generation and throws the abort reason", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 2000 } });
    const controller = new AbortController();
    const { ctx, chunks } = runContext({ streaming: true, signal: controller.signal });
    const reason = new Error("stopped by the test");
    const original = ctx.stream;
    const counting = {
      ...ctx,
      stream: (chunk: { delta: string; index: number }) => {
        original(chunk);
        if (chunks.length === 5) controller.abort(reason);
      },
    };
    await assert.rejects(llamaProvider.run(request, counting), (error) => error === reason);
    assert.ok(chunks.length < 20, `generation went on after the abort: ${chunks.length} chunks`);
    // the context is usable again afterwards
    const [output] = await llamaProvider.run(
      await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 20 } }),
      runContext().ctx,
    );
    assert.equal(output?.output_type === "execute_result" && output.data, ONCE_20);
  });

  test("an already aborted signal throws before loading anything", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { max_tokens: 5 } });
    const controller = new AbortController();
    controller.abort(new Error("early"));
    await assert.rejects(llamaProvider.run(request, runContext({ signal: controller.signal }).ctx), /early/);
  });

  test("more threads than cores are clamped and still give the same text", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 3, threads: 512 } });
    const [output] = await llamaProvider.run(request, runContext().ctx);
    assert.equal(output?.output_type === "execute_result" && output.data, ", there was");
  });
});

describe("llama provider: chat models (the real weights with a chat template added)", () => {
  let dir: string;
  let chatModel: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "llama-chat-"));
    chatModel = join(dir, "stories-chat.gguf");
    await writeGgufWithString(MODEL, chatModel, "tokenizer.chat_template", CHATML_TEMPLATE);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("resolve sends the system prompt, the earlier turns and the input as messages", async () => {
    const request = await resolve({
      model: "stories-chat.gguf",
      text: "Tell me more.",
      settings: { system_prompt: "You tell stories.", temperature: 0, max_tokens: 8 },
      history: [{ input: "Hi", output: "Once upon a time" }, { input: "Not run yet" }],
      configDir: dir,
    });
    assert.equal(request.mode, "chat");
    assert.equal(request.prompt, undefined);
    assert.deepEqual(request.messages, [
      { role: "system", content: "You tell stories." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Once upon a time" },
      { role: "user", content: "Not run yet" },
      { role: "user", content: "Tell me more." },
    ]);
  });

  test("run formats the conversation with the model's template: earlier turns count as prompt tokens", async () => {
    const settings = { temperature: 0, max_tokens: 8 };
    const alone = await resolve({ model: "stories-chat.gguf", text: "Tell me more.", settings, configDir: dir });
    const withHistory = await resolve({
      model: "stories-chat.gguf",
      text: "Tell me more.",
      settings: { ...settings, system_prompt: "You tell stories." },
      history: [{ input: "Hi", output: "Once upon a time" }],
      configDir: dir,
    });
    const [a] = await llamaProvider.run(alone, runContext({ model: "stories-chat.gguf" }).ctx);
    const [b] = await llamaProvider.run(withHistory, runContext({ model: "stories-chat.gguf" }).ctx);
    const usage = (o: typeof a) => (o!.metadata as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    // "<s><|im_start|>user\nTell me more.<|im_end|>\n<|im_start|>assistant\n" spelled in this 512-token vocabulary
    assert.ok(usage(a).prompt_tokens > 20, `prompt tokens ${usage(a).prompt_tokens}`);
    assert.ok(
      usage(b).prompt_tokens > usage(a).prompt_tokens + 30,
      `history not sent: ${usage(b).prompt_tokens} vs ${usage(a).prompt_tokens}`,
    );
    assert.equal(usage(a).completion_tokens, 8);
    assert.equal(typeof (a?.output_type === "execute_result" && a.data), "string");
    // the same request gives the same answer at temperature 0
    const [again] = await llamaProvider.run(withHistory, runContext({ model: "stories-chat.gguf" }).ctx);
    assert.deepEqual(again, b);
  });
});

describe("llama provider: serialize", () => {
  test("turns a completion request back into one prompt", async () => {
    const request = await resolve({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 20 } });
    const prompts = await llamaProvider.serialize!(request, { promptName: "story", model: "stories260K", parameters: {} });
    assert.deepEqual(prompts, [
      {
        name: "story",
        input: "Once upon a time",
        metadata: {
          model: { name: "stories260K", settings: { model_path: MODEL, max_tokens: 20, temperature: 0, top_k: 40, top_p: 0.95 } },
          parameters: {},
        },
      },
    ]);
  });

  test("turns a chat request into one prompt per user message, replies as outputs", async () => {
    const request: LlamaRequest = {
      model_path: "/m/chat.gguf",
      mode: "chat",
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "U1" },
        { role: "assistant", content: "A1" },
        { role: "user", content: "U2" },
      ],
      max_tokens: 5,
      temperature: 0,
      top_k: 40,
      top_p: 0.95,
    };
    const prompts = await llamaProvider.serialize!(request, { promptName: "q", model: "chat.gguf", parameters: { a: 1 } });
    assert.deepEqual(
      prompts.map((p) => [p.name, p.input, p.outputs?.map((o) => o.output_type === "execute_result" && o.data)]),
      [
        ["q_1", "U1", ["A1"]],
        ["q", "U2", undefined],
      ],
    );
    assert.equal((prompts[1]!.metadata!.model as { settings: Record<string, unknown> }).settings["system_prompt"], "S");
    assert.deepEqual(prompts[0]?.metadata?.parameters, { a: 1 });
  });
});
