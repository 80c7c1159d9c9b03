/**
 * Constructed replies: `{text, chunks}` objects written for these tests. The recorded speech recognition
 * reply is replayed in recorded-replies.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ReplayServer, corpusFile, startReplayServer } from "@aiconfig-ts/testing";
import { MissingAttachmentError } from "./errors.js";
import { speechRecognitionProvider } from "./speech-recognition.js";
import { bytesAttachment, outputBytes, readConfig, resolveContext, runContext } from "./test-support.js";

// Real speech: the WAV facebook/mms-tts-eng made in the corpus notebook.
const wav = outputBytes(readConfig(corpusFile("gradio-notebook__example.aiconfig.json")), "text_to_speech");

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

test("sends each audio attachment as the request body and stores one transcript per attachment", async () => {
  const env = { HF_TOKEN: "hf_asr_token", HF_INFERENCE_ENDPOINT: server.url };
  const opts = {
    model: "Automatic Speech Recognition",
    settings: { model: "openai/whisper-small" },
    attachments: [bytesAttachment(wav, "audio/wav"), bytesAttachment(wav.subarray(0, 4096), "audio/x-wav")],
    env,
  };
  const request = await speechRecognitionProvider.resolve(resolveContext(opts));
  const chunks = [{ text: " The Quick Brown Fox", timestamp: [0, 1.2] }];
  server.reply({ json: { text: " The Quick Brown Fox was a magnificent creature.", chunks } }, { json: { text: " The" } });
  const at = server.requests.length;
  const outputs = await speechRecognitionProvider.run(request, runContext(opts));

  const [first, second] = server.requests.slice(at);
  assert.equal(first?.path, "/models/openai/whisper-small");
  assert.equal(first?.headers.authorization, "Bearer hf_asr_token");
  assert.equal(first?.headers["content-type"], "audio/wav");
  assert.deepEqual(first?.raw, Buffer.from(wav));
  assert.equal(second?.headers["content-type"], "audio/x-wav");
  assert.deepEqual(second?.raw, Buffer.from(wav.subarray(0, 4096)));
  assert.deepEqual(outputs, [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: " The Quick Brown Fox was a magnificent creature.",
      metadata: { model: "openai/whisper-small", chunks },
    },
    { output_type: "execute_result", execution_count: 1, data: " The", metadata: { model: "openai/whisper-small" } },
  ]);
});

test("the default model is openai/whisper-large-v3; attachments that are not audio are not sent", async () => {
  const env = { HF_TOKEN: "hf_x", HF_INFERENCE_ENDPOINT: server.url };
  const png = Buffer.from("89504e470d0a1a0a", "hex");
  const opts = {
    model: "HuggingFaceAutomaticSpeechRecognitionTransformer",
    attachments: [bytesAttachment(png, "image/png"), bytesAttachment(wav, "audio/wav")],
    env,
  };
  const request = await speechRecognitionProvider.resolve(resolveContext(opts));
  assert.equal(request.model, "openai/whisper-large-v3");
  assert.equal(request.attachments.length, 1);
  server.reply({ json: { text: "hi" } });
  const at = server.requests.length;
  await speechRecognitionProvider.run(request, runContext(opts));
  assert.equal(server.requests.length, at + 1);
  assert.equal(server.requests[at]!.path, "/models/openai/whisper-large-v3");
});

test("a prompt without audio fails at resolve with the fix in one line", () => {
  assert.throws(
    () => speechRecognitionProvider.resolve(resolveContext({ model: "Automatic Speech Recognition", promptName: "asr", text: "hello" })),
    (error: unknown) => {
      assert.ok(error instanceof MissingAttachmentError);
      assert.match(
        error.message,
        /^prompt "asr" \(Hugging Face Automatic Speech Recognition\) needs an audio attachment with an audio\/\* mime_type/,
      );
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
});
