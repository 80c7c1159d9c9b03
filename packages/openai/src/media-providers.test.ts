import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { ProviderError } from "@aiconfig-ts/core";
import { corpusFile, type RecordedRequest, type ReplayServer, readFixtureJSON, startReplayServer } from "@aiconfig-ts/testing";
import { readFileSync } from "node:fs";
import { envFor, onePrompt, runtimeFor, TEST_KEY } from "./test-support.test.helper.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

/** The WAV that the Gradio cookbook's text_to_speech prompt stored (real audio bytes from the corpus). */
function corpusWav(): Buffer {
  const doc = JSON.parse(readFileSync(corpusFile("cookbooks__Gradio__huggingface.aiconfig.json"), "utf8"));
  const prompt = doc.prompts.find((p: { name: string }) => p.name === "text_to_speech");
  return Buffer.from(prompt.outputs[0].data.value, "base64");
}

/** The multipart form of a recorded request. */
async function formOf(req: RecordedRequest): Promise<FormData> {
  return new Response(new Uint8Array(req.raw), { headers: { "content-type": String(req.headers["content-type"]) } }).formData();
}

describe("image generation", () => {
  const recorded = readFixtureJSON("openai", "openai-image.json") as {
    created: number;
    data: Array<{ b64_json: string; revised_prompt?: string }>;
  };

  test("dall-e-3: the prompt and settings are sent, each image is stored as a png output", async () => {
    server.reply({ json: recorded });
    const rt = runtimeFor(
      onePrompt("A baby sea otter", { name: "dall-e-3", settings: { n: 2, size: "1024x1024", quality: "hd", style: "vivid" } }),
      envFor(server),
    );
    const outputs = await rt.run("p");
    const req = server.requests[0]!;
    assert.equal(req.path, "/v1/images/generations");
    assert.equal(req.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.deepEqual(req.body, {
      model: "dall-e-3",
      prompt: "A baby sea otter",
      n: 2,
      size: "1024x1024",
      quality: "hd",
      style: "vivid",
      response_format: "b64_json",
    });
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: { kind: "base64", value: recorded.data[0]!.b64_json },
        mime_type: "image/png",
        metadata: { created: recorded.created, model: "dall-e-3", revised_prompt: recorded.data[0]!.revised_prompt },
      },
      {
        output_type: "execute_result",
        execution_count: 1,
        data: { kind: "base64", value: recorded.data[1]!.b64_json },
        mime_type: "image/png",
        metadata: { created: recorded.created, model: "dall-e-3" },
      },
    ]);
    assert.equal(rt.getOutputText("p"), "", "an image has no text");
  });

  test("dall-e-2 with response_format url stores the link; gpt-image-1 sends no response_format and stores its output_format", async () => {
    // Constructed: image replies with a url, and with output_format (see packages/testing/SOURCE.md).
    server.reply(
      { json: { created: 1, data: [{ url: "https://images.example/otter.png" }] } },
      { json: { created: 2, data: [{ b64_json: recorded.data[0]!.b64_json }], output_format: "jpeg", usage: { total_tokens: 10 } } },
    );
    const url = await runtimeFor(onePrompt("otter", { name: "dall-e-2", settings: { response_format: "url" } }), envFor(server)).run("p");
    assert.deepEqual(server.requests[0]!.body, { model: "dall-e-2", prompt: "otter", response_format: "url" });
    assert.deepEqual(url[0]!.output_type === "execute_result" && url[0]!.data, {
      kind: "file_uri",
      value: "https://images.example/otter.png",
    });
    const jpeg = await runtimeFor(
      onePrompt("otter", { name: "gpt-image-1", settings: { output_format: "jpeg", quality: "low" } }),
      envFor(server),
    ).run("p");
    assert.deepEqual(server.requests[1]!.body, { model: "gpt-image-1", prompt: "otter", output_format: "jpeg", quality: "low" });
    assert.equal(jpeg[0]!.output_type === "execute_result" && jpeg[0]!.mime_type, "image/jpeg");
    assert.deepEqual(jpeg[0]!.output_type === "execute_result" && jpeg[0]!.metadata?.usage, { total_tokens: 10 });
  });

  test("an empty prompt is refused before anything is sent", async () => {
    await assert.rejects(
      runtimeFor(onePrompt("", "dall-e-3"), envFor(server)).resolve("p"),
      /prompt "p": image generation needs a text description/,
    );
    assert.equal(server.requests.length, 0);
  });
});

describe("text-to-speech", () => {
  test("tts-1: the text, voice and format are sent, and the audio bytes are stored with their MIME type", async () => {
    const wav = corpusWav();
    // Constructed: the corpus notebook's WAV served as speech (see packages/testing/SOURCE.md).
    server.reply({ body: wav, headers: { "content-type": "audio/wav" } });
    const rt = runtimeFor(
      onePrompt("Hello there.", { name: "tts-1", settings: { voice: "nova", response_format: "wav", speed: 1.25 } }),
      envFor(server),
    );
    const outputs = await rt.run("p");
    assert.equal(server.requests[0]!.path, "/v1/audio/speech");
    assert.deepEqual(server.requests[0]!.body, {
      model: "tts-1",
      input: "Hello there.",
      voice: "nova",
      response_format: "wav",
      speed: 1.25,
    });
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: { kind: "base64", value: wav.toString("base64") },
        mime_type: "audio/wav",
        metadata: { model: "tts-1", voice: "nova", format: "wav" },
      },
    ]);
  });

  test("gpt-4o-mini-tts: voice defaults to alloy, mp3 is audio/mpeg", async () => {
    // Constructed: an MP3 frame header served as speech (see packages/testing/SOURCE.md).
    server.reply({ body: Buffer.from([0xff, 0xfb, 0x90, 0x64]), headers: { "content-type": "audio/mpeg" } });
    const outputs = await runtimeFor(
      onePrompt("Hi", { name: "gpt-4o-mini-tts", settings: { instructions: "Speak softly." } }),
      envFor(server),
    ).run("p");
    assert.deepEqual(server.requests[0]!.body, { model: "gpt-4o-mini-tts", input: "Hi", voice: "alloy", instructions: "Speak softly." });
    assert.equal(outputs[0]!.output_type === "execute_result" && outputs[0]!.mime_type, "audio/mpeg");
    assert.deepEqual(outputs[0]!.output_type === "execute_result" && outputs[0]!.data, { kind: "base64", value: "//uQZA==" });
  });
});

describe("transcription", () => {
  const recorded = readFixtureJSON("openai", "openai-transcription.json") as {
    text: string;
    language: string;
    duration: number;
    words: unknown[];
    usage: unknown;
  };

  test("whisper-1: the audio attachment is uploaded with the settings, and the transcript is stored", async () => {
    const wav = corpusWav();
    server.reply({ json: recorded });
    const doc = onePrompt(
      { attachments: [{ data: { kind: "base64", value: wav.toString("base64") }, mime_type: "audio/wav" }] },
      {
        name: "whisper-1",
        settings: { language: "en", response_format: "verbose_json", timestamp_granularities: ["word"], temperature: 0 },
      },
    );
    const rt = runtimeFor(doc, envFor(server));
    const outputs = await rt.run("p");
    const req = server.requests[0]!;
    assert.equal(req.path, "/v1/audio/transcriptions");
    const form = await formOf(req);
    assert.equal(form.get("model"), "whisper-1");
    assert.equal(form.get("language"), "en");
    assert.equal(form.get("response_format"), "verbose_json");
    assert.equal(form.get("temperature"), "0");
    assert.deepEqual(form.getAll("timestamp_granularities[]"), ["word"]);
    assert.equal(form.get("prompt"), null, "no text input, no prompt hint");
    const file = form.get("file") as File;
    assert.equal(file.name, "audio.wav");
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), wav);
    assert.deepEqual(outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: recorded.text,
        metadata: {
          model: "whisper-1",
          language: recorded.language,
          duration: recorded.duration,
          words: recorded.words,
          usage: recorded.usage,
        },
      },
    ]);
    assert.equal(rt.getOutputText("p"), recorded.text);
  });

  test("speech then transcription: the audio output of one prompt is handed on to the next through {{speak.output}}", async () => {
    const wav = corpusWav();
    // Constructed: the corpus WAV as speech, then a transcript (see packages/testing/SOURCE.md).
    server.reply({ body: wav, headers: { "content-type": "audio/wav" } }, { json: { text: "Hello there." } });
    const doc = {
      name: "t",
      schema_version: "latest",
      metadata: {},
      prompts: [
        { name: "speak", input: "Hello there.", metadata: { model: { name: "tts-1", settings: { response_format: "wav" } } } },
        { name: "hear", input: "{{speak.output}}", metadata: { model: "gpt-4o-transcribe" } },
      ],
    };
    const rt = runtimeFor(doc, envFor(server));
    await rt.runWithDependencies("hear");
    const form = await formOf(server.requests[1]!);
    assert.equal(form.get("model"), "gpt-4o-transcribe");
    assert.deepEqual(Buffer.from(await (form.get("file") as File).arrayBuffer()), wav);
    assert.equal(rt.getOutputText("hear"), "Hello there.");
  });

  test("task translate uses the translations endpoint; the text input is the prompt hint", async () => {
    // Constructed: a translation transcript (see packages/testing/SOURCE.md).
    server.reply({ json: { text: "Hello." } });
    const doc = onePrompt(
      { data: "A greeting.", attachments: [{ data: { kind: "base64", value: corpusWav().toString("base64") }, mime_type: "audio/wav" }] },
      { name: "whisper-1", settings: { task: "translate" } },
    );
    await runtimeFor(doc, envFor(server)).run("p");
    assert.equal(server.requests[0]!.path, "/v1/audio/translations");
    const form = await formOf(server.requests[0]!);
    assert.equal(form.get("prompt"), "A greeting.");
    assert.equal(form.get("task"), null, "task is ours, not sent");
  });

  test("no audio attachment is one clear error; a server error is stored as an error output", async () => {
    await assert.rejects(
      runtimeFor(onePrompt("x", "whisper-1"), envFor(server)).resolve("p"),
      /prompt "p": speech recognition needs an audio attachment/,
    );
    // Constructed: OpenAI's 400 error body (see packages/testing/SOURCE.md).
    server.reply({ json: { error: { message: "Invalid file format.", type: "invalid_request_error" } }, status: 400 });
    const doc = onePrompt({ attachments: [{ data: { kind: "base64", value: "AAAA" }, mime_type: "audio/wav" }] }, "whisper-1");
    const rt = runtimeFor(doc, envFor(server));
    await assert.rejects(rt.run("p"), ProviderError);
    const out = rt.config.prompts[0]!.outputs![0]!;
    assert.equal(out.output_type === "error" && out.ename, "BadRequestError");
  });
});
