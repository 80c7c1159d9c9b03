/**
 * Constructed replies: `{generated_text}` objects (the shape the SDK expects) holding the captions the
 * corpus notebook stored. The recorded Image-to-Text reply (a list) is replayed in recorded-replies.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ReplayServer, corpusFile, startReplayServer } from "@aiconfig-ts/testing";
import { MissingAttachmentError } from "./errors.js";
import { imageToTextProvider } from "./image-to-text.js";
import { bytesAttachment, modelNameOf, outputBytes, promptOf, readConfig, resolveContext, runContext, settingsOf } from "./test-support.js";

const gradio = readConfig(corpusFile("cookbooks__Gradio__huggingface.aiconfig.json"));
const prompt = promptOf(gradio, "image_caption");
// Real images: the PNGs stable diffusion drew in the corpus notebook.
const png0 = outputBytes(gradio, "gen_image", 0);
const png1 = outputBytes(gradio, "gen_image", 1);
const captions = (prompt.outputs ?? []).map((o) => (o.output_type === "execute_result" ? String(o.data) : ""));

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

test("captions each image attachment, one request and one output per image, as the Gradio notebook stores them", async () => {
  const env = { HF_TOKEN: "hf_caption_token", HF_INFERENCE_ENDPOINT: server.url };
  const opts = {
    model: modelNameOf(gradio, prompt),
    settings: settingsOf(gradio, prompt),
    attachments: [bytesAttachment(png0, "image/png"), bytesAttachment(png1, "image/png")],
    env,
  };
  assert.equal(opts.model, "HuggingFaceImage2TextTransformer");
  const request = await imageToTextProvider.resolve(resolveContext(opts));
  server.reply({ json: { generated_text: captions[0] } }, { json: { generated_text: captions[1] } });
  const at = server.requests.length;
  const outputs = await imageToTextProvider.run(request, runContext(opts));

  const sent = server.requests.slice(at);
  assert.equal(sent.length, 2);
  assert.deepEqual(sent[0]?.raw, Buffer.from(png0));
  assert.deepEqual(sent[1]?.raw, Buffer.from(png1));
  for (const r of sent) {
    assert.equal(r.path, "/models/Salesforce/blip-image-captioning-base");
    assert.equal(r.headers.authorization, "Bearer hf_caption_token");
    assert.equal(r.headers["content-type"], "image/png");
  }
  assert.deepEqual(
    outputs.map((o) => (o.output_type === "execute_result" ? [o.execution_count, o.data] : [])),
    [
      [0, "a red fox in the woods"],
      [1, "a bear sitting on a rock eating honey"],
    ],
  );
});

test("a prompt without an image fails at resolve with the fix in one line", () => {
  assert.throws(
    () =>
      imageToTextProvider.resolve(
        resolveContext({ model: "Image-to-Text", promptName: "caption", attachments: [bytesAttachment(png0, "text/plain")] }),
      ),
    (error: unknown) =>
      error instanceof MissingAttachmentError &&
      /^prompt "caption" \(Hugging Face Image-to-Text\) needs an image attachment/.test(error.message),
  );
});
