/**
 * Constructed replies: no recording of Hugging Face's text-to-speech bytes exists (the SDK's tape kept
 * none), so the server answers with the WAV bytes the corpus notebook stored, as `audio/wav`.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ReplayServer, corpusFile, startReplayServer } from "@aiconfig-ts/testing";
import { modelNameOf, outputBytes, promptOf, readConfig, resolveContext, runContext, settingsOf } from "./test-support.js";
import { textToSpeechProvider } from "./text-to-speech.js";

const config = readConfig(corpusFile("gradio-notebook__example.aiconfig.json"));
const prompt = promptOf(config, "text_to_speech");
// The WAV facebook/mms-tts-eng made for this prompt, as the corpus file stores it.
const wav = outputBytes(config, "text_to_speech");
const text = "The Quick Brown Fox was a magnificent creature.";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

test("speaks the text with the corpus settings and stores the served WAV bytes as audio/wav", async () => {
  const env = { HUGGING_FACE_HUB_TOKEN: "hf_tts_token", HF_INFERENCE_ENDPOINT: server.url };
  const opts = { model: modelNameOf(config, prompt), settings: settingsOf(config, prompt), text, env };
  assert.equal(opts.model, "Text-to-Speech");
  const request = await textToSpeechProvider.resolve(resolveContext(opts));
  server.reply({ body: wav, headers: { "content-type": "audio/wav" } });
  const at = server.requests.length;
  const outputs = await textToSpeechProvider.run(request, runContext(opts));

  const received = server.requests[at]!;
  assert.equal(received.path, "/models/facebook/mms-tts-eng");
  assert.equal(received.headers.authorization, "Bearer hf_tts_token");
  assert.deepEqual(received.body, {
    inputs: text,
    parameters: { generation_parameters: { max_length: 100, min_length: 50, num_beams: 1 } },
  });
  assert.equal(outputs.length, 1);
  const output = outputs[0]!;
  assert.equal(output.output_type, "execute_result");
  assert.equal(output.mime_type, "audio/wav");
  assert.deepEqual(output.data, { kind: "base64", value: Buffer.from(wav).toString("base64") });
  assert.deepEqual(Buffer.from((output.data as { value: string }).value, "base64"), Buffer.from(wav));
});

test("audio served without a content type is stored with the type its bytes show", async () => {
  const env = { HF_TOKEN: "hf_x", HF_INFERENCE_ENDPOINT: server.url };
  const opts = { model: "Text-to-Speech", text: "Hi.", env };
  const request = await textToSpeechProvider.resolve(resolveContext(opts));
  assert.deepEqual(request.args, { inputs: "Hi." });
  server.reply({ body: wav, headers: { "content-type": "application/octet-stream" } });
  const [output] = await textToSpeechProvider.run(request, runContext(opts));
  assert.equal(output?.mime_type, "audio/wav");
});
