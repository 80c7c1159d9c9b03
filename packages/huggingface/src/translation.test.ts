/**
 * Constructed replies: `[{translation_text}]` holding the translation the corpus notebook stored. The
 * recorded translation is replayed in recorded-replies.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ReplayServer, corpusFile, startReplayServer } from "@aiconfig-ts/testing";
import { modelNameOf, promptOf, readConfig, resolveContext, runContext, settingsOf } from "./test-support.js";
import { translationProvider } from "./translation.js";

const config = readConfig(corpusFile("cookbooks__Gradio__huggingface.aiconfig.json"));
const prompt = promptOf(config, "translation");
const french = prompt.outputs?.[0]?.output_type === "execute_result" ? String(prompt.outputs[0].data) : "";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

test("sends the corpus translation prompt and stores the translation", async () => {
  const env = { HF_TOKEN: "hf_translate_token", HF_INFERENCE_ENDPOINT: server.url };
  const opts = { model: modelNameOf(config, prompt), settings: settingsOf(config, prompt), text: String(prompt.input), env };
  assert.equal(opts.model, "HuggingFaceTextTranslationTransformer");
  const request = await translationProvider.resolve(resolveContext(opts));
  server.reply({ json: [{ translation_text: french }] });
  const at = server.requests.length;
  const outputs = await translationProvider.run(request, runContext(opts));
  const received = server.requests[at]!;
  assert.equal(received.path, "/models/Helsinki-NLP/opus-mt-en-fr");
  assert.equal(received.headers.authorization, "Bearer hf_translate_token");
  assert.deepEqual(received.body, {
    inputs: prompt.input,
    parameters: { generate_parameters: { max_length: 100, min_length: 50, num_beams: 1 } },
  });
  assert.deepEqual(outputs, [
    { output_type: "execute_result", execution_count: 0, data: french, metadata: { model: "Helsinki-NLP/opus-mt-en-fr" } },
  ]);
});

test("src_lang and tgt_lang go to parameters; a token in settings wins over the environment", async () => {
  const env = { HF_TOKEN: "hf_from_env", HF_INFERENCE_ENDPOINT: server.url };
  const settings = {
    model: "facebook/mbart-large-50-many-to-many-mmt",
    src_lang: "en_XX",
    tgt_lang: "fr_XX",
    api_token: "hf_from_settings",
  };
  const opts = { model: "Translation", settings, text: "Hello", env };
  const request = await translationProvider.resolve(resolveContext(opts));
  server.reply({ json: [{ translation_text: "Bonjour" }] });
  const at = server.requests.length;
  await translationProvider.run(request, runContext(opts));
  assert.equal(server.requests[at]!.path, "/models/facebook/mbart-large-50-many-to-many-mmt");
  assert.equal(server.requests[at]!.headers.authorization, "Bearer hf_from_settings");
  assert.deepEqual(server.requests[at]!.body, { inputs: "Hello", parameters: { src_lang: "en_XX", tgt_lang: "fr_XX" } });
});

test("the endpoint_url setting sends to that URL as it is, without a token", async () => {
  const opts = { model: "Translation", settings: { endpoint_url: `${server.url}/my-endpoint` }, text: "Hello", env: {} };
  const request = await translationProvider.resolve(resolveContext(opts));
  assert.equal(request.provider, undefined);
  server.reply({ json: [{ translation_text: "Bonjour" }] });
  const at = server.requests.length;
  const [output] = await translationProvider.run(request, runContext(opts));
  assert.equal(server.requests[at]!.path, "/my-endpoint");
  assert.equal(server.requests[at]!.headers.authorization, undefined);
  assert.equal(output?.output_type === "execute_result" && output.data, "Bonjour");
});
