/**
 * Constructed replies: no recording of Hugging Face's text-to-image bytes exists (the SDK's tape kept
 * none), so the server answers with the PNGs the corpus notebook stored.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ReplayServer, corpusFile, startReplayServer } from "@aiconfig-ts/testing";
import { modelNameOf, outputBytes, promptOf, readConfig, resolveContext, runContext, settingsOf } from "./test-support.js";
import { MAX_IMAGES_PER_PROMPT, imagesPerPrompt, textToImageProvider } from "./text-to-image.js";

const config = readConfig(corpusFile("cookbooks__Gradio__huggingface.aiconfig.json"));
const prompt = promptOf(config, "gen_image");
// The two PNGs runwayml/stable-diffusion-v1-5 drew for this prompt, as the corpus file stores them.
const png0 = outputBytes(config, "gen_image", 0);
const png1 = outputBytes(config, "gen_image", 1);
const text = "The Quick Brown Fox was a magnificent creature.";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

test("num_images_per_prompt: 2 sends two requests and stores both PNGs in order", async () => {
  const env = { HF_TOKEN: "hf_image_token", HF_INFERENCE_ENDPOINT: server.url };
  const opts = { model: modelNameOf(config, prompt), settings: settingsOf(config, prompt), text, env };
  assert.equal(opts.model, "HuggingFaceText2ImageDiffusor");
  const request = await textToImageProvider.resolve(resolveContext(opts));
  assert.equal(request.images, 2);
  server.reply({ body: png0, headers: { "content-type": "image/png" } }, { body: png1, headers: { "content-type": "image/png" } });
  const at = server.requests.length;
  const outputs = await textToImageProvider.run(request, runContext(opts));

  const sent = server.requests.slice(at);
  assert.equal(sent.length, 2);
  for (const r of sent) {
    assert.equal(r.path, "/models/runwayml/stable-diffusion-v1-5");
    assert.equal(r.headers.authorization, "Bearer hf_image_token");
    assert.deepEqual(r.body, { inputs: text });
  }
  assert.deepEqual(
    outputs.map((o) => [o.output_type === "execute_result" && o.execution_count, o.mime_type]),
    [
      [0, "image/png"],
      [1, "image/png"],
    ],
  );
  assert.deepEqual(Buffer.from((outputs[0] as { data: { value: string } }).data.value, "base64"), Buffer.from(png0));
  assert.deepEqual(Buffer.from((outputs[1] as { data: { value: string } }).data.value, "base64"), Buffer.from(png1));
});

test("maps the diffusion settings to parameters; with a seed, image i uses seed + i", async () => {
  const env = { HF_TOKEN: "hf_x", HF_INFERENCE_ENDPOINT: server.url };
  const settings = {
    negative_prompt: "blurry",
    width: 512,
    height: 768,
    num_inference_steps: 25,
    guidance_scale: 7.5,
    seed: 42,
    num_images_per_prompt: 2,
    max_length: 100,
  };
  const opts = { model: "Text-to-Image", settings, text: "a fox", env };
  const request = await textToImageProvider.resolve(resolveContext(opts));
  assert.equal(request.model, "stabilityai/stable-diffusion-xl-base-1.0");
  server.reply({ body: png0, headers: { "content-type": "image/png" } }, { body: png1, headers: { "content-type": "image/png" } });
  const at = server.requests.length;
  await textToImageProvider.run(request, runContext(opts));
  const parameters = { negative_prompt: "blurry", width: 512, height: 768, num_inference_steps: 25, guidance_scale: 7.5 };
  assert.deepEqual(server.requests[at]!.body, { inputs: "a fox", parameters: { ...parameters, seed: 42 } });
  assert.deepEqual(server.requests[at + 1]!.body, { inputs: "a fox", parameters: { ...parameters, seed: 43 } });
  assert.equal(server.requests[at]!.path, "/models/stabilityai/stable-diffusion-xl-base-1.0");
});

test("an image answered as base64 JSON is stored with the type its bytes show", async () => {
  const env = { HF_TOKEN: "hf_x", HF_INFERENCE_ENDPOINT: server.url };
  const opts = { model: "Text-to-Image", text: "a bear", env };
  const request = await textToImageProvider.resolve(resolveContext(opts));
  server.reply({ json: { data: [{ b64_json: Buffer.from(png1).toString("base64") }] } });
  const [output] = await textToImageProvider.run(request, runContext(opts));
  // The SDK labels base64 images image/jpeg; the bytes are a PNG.
  assert.equal(output?.mime_type, "image/png");
  assert.deepEqual(Buffer.from((output as { data: { value: string } }).data.value, "base64"), Buffer.from(png1));
});

test("num_images_per_prompt outside 1..MAX counts as 1 or MAX", () => {
  assert.equal(imagesPerPrompt(undefined), 1);
  assert.equal(imagesPerPrompt(0), 1);
  assert.equal(imagesPerPrompt(2.5), 1);
  assert.equal(imagesPerPrompt("3"), 1);
  assert.equal(imagesPerPrompt(3), 3);
  assert.equal(imagesPerPrompt(100), MAX_IMAGES_PER_PROMPT);
});
