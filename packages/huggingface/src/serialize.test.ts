import assert from "node:assert/strict";
import { test } from "node:test";
import { AIConfigRuntime, ProviderRegistry } from "@aiconfig-ts/core";
import { corpusFile } from "@aiconfig-ts/testing";
import { register } from "./register.js";

function runtime(file = "gradio-notebook__example.aiconfig.json") {
  return AIConfigRuntime.load(corpusFile(file), { registry: register(new ProviderRegistry()), env: {} });
}

test("every text prompt of the Gradio notebook file turns into prompts that resolve to the same request", async () => {
  const rt = runtime();
  for (const name of ["translation", "translation_with_parameters", "summarization", "text_to_speech", "gen_image"]) {
    const request = (await rt.resolve(name)) as { task: string };
    const model = rt.getModelName(name);
    const prompts = await rt.serialize(model, request, `${name}_again`);
    assert.equal(prompts.length, 1, name);
    const copy = AIConfigRuntime.create("copy", "", "latest", {}, prompts, { registry: register(new ProviderRegistry()), env: {} });
    assert.deepEqual(await copy.resolve(`${name}_again`), request, name);
  }
});

test("the SDK's own arguments serialize too, with the nested generation parameters as settings", async () => {
  const rt = runtime();
  const prompts = await rt.serialize(
    "Summarization",
    {
      model: "facebook/bart-large-cnn",
      inputs: "Long text.",
      parameters: { truncation: "only_first", generate_parameters: { max_length: 60 } },
    },
    "sum",
  );
  assert.deepEqual(prompts, [
    {
      name: "sum",
      input: "Long text.",
      metadata: {
        model: { name: "Summarization", settings: { model: "facebook/bart-large-cnn", truncation: "only_first", max_length: 60 } },
      },
    },
  ]);
});

test("a chat request turns into one prompt per user message, replies as outputs, the system message a setting", async () => {
  const rt = runtime("cookbooks__HuggingFace__Mistral-aiconfig.json");
  const data = {
    model: "mistralai/Mistral-7B-v0.1",
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello." },
      { role: "user", content: "Best condiment?" },
    ],
    max_tokens: 30,
  };
  const prompts = await rt.serialize("mistralai/Mistral-7B-v0.1", data, "ask");
  assert.deepEqual(prompts, [
    {
      name: "ask_1",
      input: "Hi",
      metadata: { model: "mistralai/Mistral-7B-v0.1" },
      outputs: [{ output_type: "execute_result", execution_count: 0, data: "Hello." }],
    },
    {
      name: "ask",
      input: "Best condiment?",
      metadata: { model: { name: "mistralai/Mistral-7B-v0.1", settings: { system_prompt: "Be brief.", max_tokens: 30 } } },
    },
  ]);
  rt.config.prompts = prompts;
  const request = (await rt.resolve("ask")) as { args: unknown };
  // The earlier prompt comes back as a chat turn; the file's root settings for the model join in.
  assert.deepEqual(request.args, { messages: data.messages, max_tokens: 30, temperature: 0.9, top_p: 0.9 });
});

test("a completion request keeps api: completion", async () => {
  const rt = runtime();
  const prompts = await rt.serialize("Text Generation", { inputs: "Once", parameters: { max_new_tokens: 5 } }, "story");
  assert.deepEqual(prompts[0]?.metadata?.model, { name: "Text Generation", settings: { max_new_tokens: 5, api: "completion" } });
});

test("a text-generation request (what resolve gives with api: text-generation) keeps its api through serialize and resolve", async () => {
  const rt = runtime();
  const request = {
    task: "Text Generation",
    model: "gpt2",
    api: "text-generation",
    args: { inputs: "Once", parameters: { max_new_tokens: 5 } },
  };
  const prompts = await rt.serialize("Text Generation", request, "story");
  assert.deepEqual(prompts[0]?.metadata?.model, {
    name: "Text Generation",
    settings: { model: "gpt2", max_new_tokens: 5, api: "text-generation" },
  });
  rt.config.prompts = prompts;
  const again = (await rt.resolve("story")) as { api: string; args: unknown };
  assert.equal(again.api, "text-generation");
  assert.deepEqual(again.args, request.args);
});

test("a request that is not an object is refused with the shape to pass", async () => {
  await assert.rejects(
    runtime().serialize("Translation", "hello", "t"),
    /Hugging Face Translation cannot turn "hello" into prompts: pass its request/,
  );
});
