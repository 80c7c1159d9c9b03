/**
 * Constructed replies: summaries, transcripts, and the WAV/PNG bytes the corpus notebook stored, served in
 * the services' wire shapes; the streamed chat replays OpenAI's recorded chunks. Hugging Face's own recorded
 * replies are replayed in recorded-replies.test.ts.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { AIConfigRuntime, ProviderError, ProviderRegistry, validateSettings } from "@aiconfig-ts/core";
import { type ReplayServer, corpusFile, readFixtureChunks, startReplayServer } from "@aiconfig-ts/testing";
import { MissingAccessTokenError } from "./errors.js";
import { register } from "./register.js";
import { outputBytes, readConfig } from "./test-support.js";

const GRADIO_FILES = ["cookbooks__Gradio__huggingface.aiconfig.json", "gradio-notebook__example.aiconfig.json"];
const corpusConfig = readConfig(corpusFile("gradio-notebook__example.aiconfig.json"));
const wav = outputBytes(corpusConfig, "text_to_speech");
const png = outputBytes(corpusConfig, "gen_image", 0);

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

/** A runtime on a corpus file with only this package's providers. */
function load(name: string, env: Record<string, string | undefined> = {}) {
  return AIConfigRuntime.load(corpusFile(name), { registry: register(new ProviderRegistry()), env });
}

for (const file of GRADIO_FILES) {
  test(`${file}: every prompt resolves to its task with the model and parameters the notebook set`, async () => {
    const rt = load(file);
    const resolved: Record<string, { provider: string; request: any }> = {};
    for (const prompt of rt.config.prompts) {
      resolved[prompt.name] = {
        provider: rt.registry.forModel(rt.getModelName(prompt), rt.config.metadata.model_parsers).id,
        request: await rt.resolve(prompt.name),
      };
    }
    const view = Object.fromEntries(
      Object.entries(resolved).map(([name, { provider, request }]) => [
        name,
        {
          provider,
          model: request.model,
          provider_route: request.provider,
          ...(request.attachments ? { attachments: request.attachments.map((a: any) => a.mimeType) } : {}),
        },
      ]),
    );
    assert.deepEqual(view, {
      image_caption: {
        provider: "Image-to-Text",
        model: "Salesforce/blip-image-captioning-base",
        provider_route: "auto",
        attachments: ["image/png", "image/png"],
      },
      translation: { provider: "Translation", model: "Helsinki-NLP/opus-mt-en-fr", provider_route: "auto" },
      translation_with_parameters: { provider: "Translation", model: "Helsinki-NLP/opus-mt-en-fr", provider_route: "auto" },
      summarization: { provider: "Summarization", model: "facebook/bart-large-cnn", provider_route: "auto" },
      text_to_speech: { provider: "Text-to-Speech", model: "facebook/mms-tts-eng", provider_route: "auto" },
      gen_image: { provider: "Text-to-Image", model: "runwayml/stable-diffusion-v1-5", provider_route: "auto" },
      asr: { provider: "Automatic Speech Recognition", model: "openai/whisper-small", provider_route: "auto", attachments: ["audio/mpeg"] },
    });
    const summary = rt.getOutputText("summarization");
    assert.deepEqual(resolved["translation_with_parameters"]!.request.args, {
      inputs: "Tell the tale of the quick brown fox",
      parameters: { generate_parameters: { max_length: 100, min_length: 50, num_beams: 1 } },
    });
    assert.equal(resolved["text_to_speech"]!.request.args.inputs, summary);
    assert.deepEqual(resolved["gen_image"]!.request.args, { inputs: summary });
    assert.equal(resolved["gen_image"]!.request.images, 2);
    assert.equal(
      resolved["asr"]!.request.attachments[0].uri,
      "https://s3.amazonaws.com/lastmileai.aiconfig.public/uploads/2024_1_16_20_21_10/1673/hi (1).mp3",
    );
  });

  test(`${file}: every prompt's settings pass its provider's settings schema`, () => {
    const config = readConfig(corpusFile(file));
    assert.deepEqual(validateSettings({ data: config }, file, register(new ProviderRegistry())), []);
  });
}

test("a setting of the wrong type is caught by the settings schema", () => {
  const config = readConfig(corpusFile("gradio-notebook__example.aiconfig.json"));
  const gen = config.prompts.find((p) => p.name === "gen_image")!;
  (gen.metadata!.model as { settings: Record<string, unknown> }).settings["num_images_per_prompt"] = "two";
  const problems = validateSettings({ data: config }, "f.json", register(new ProviderRegistry()));
  assert.equal(problems.length, 1);
  assert.match(
    problems[0]!.message,
    /setting "num_images_per_prompt" must be of type integer for provider "Text-to-Image" \(prompt "gen_image"\)/,
  );
});

test("the Mistral corpus files resolve to Text Generation, by model_parsers and by the Hub id", async () => {
  for (const file of ["cookbooks__HuggingFace__Mistral-aiconfig.json", "typescript__demo__mistral-config.json"]) {
    const rt = load(file);
    const [prompt] = rt.config.prompts;
    assert.equal(rt.registry.forModel(rt.getModelName(prompt!), rt.config.metadata.model_parsers).id, "Text Generation", file);
    const request = (await rt.resolve(prompt!.name)) as any;
    assert.equal(request.model, "mistralai/Mistral-7B-v0.1");
    assert.deepEqual(request.args.messages, [{ role: "user", content: typeof prompt!.input === "string" ? prompt!.input : "" }]);
  }
});

test("end to end on the Gradio notebook file: summarize, speak the summary, transcribe the speech, draw it", async () => {
  const rt = load("gradio-notebook__example.aiconfig.json", { HF_TOKEN: "hf_notebook_token", HF_INFERENCE_ENDPOINT: server.url });
  // A prompt that transcribes the speech the notebook made: the runtime hands the audio output on as an attachment.
  rt.config.prompts.push({ name: "transcribe", input: "{{text_to_speech.output}}", metadata: { model: "Automatic Speech Recognition" } });
  const at = server.requests.length;
  const summary = "A fox was quick. It grew old.";
  server.reply(
    { json: [{ summary_text: summary }] },
    { body: wav, headers: { "content-type": "audio/wav" } },
    { json: { text: " A fox was quick. It grew old." } },
  );
  await rt.runWithDependencies("transcribe");
  const [sum, speak, listen] = server.requests.slice(at);
  assert.equal(server.requests.length, at + 3);
  assert.equal(sum?.path, "/models/facebook/bart-large-cnn");
  assert.equal(speak?.path, "/models/facebook/mms-tts-eng");
  assert.equal(speak?.body.inputs, summary);
  assert.equal(listen?.path, "/models/openai/whisper-large-v3");
  assert.equal(listen?.headers["content-type"], "audio/wav");
  assert.deepEqual(listen?.raw, Buffer.from(wav));
  for (const r of [sum, speak, listen]) assert.equal(r?.headers.authorization, "Bearer hf_notebook_token");

  assert.equal(rt.getOutputText("summarization"), summary);
  const audio = rt.getPrompt("text_to_speech")!.outputs![0]!;
  assert.equal(audio.mime_type, "audio/wav");
  assert.deepEqual(Buffer.from((audio as any).data.value, "base64"), Buffer.from(wav));
  assert.equal(rt.getOutputText("transcribe"), " A fox was quick. It grew old.");

  server.reply({ body: png, headers: { "content-type": "image/png" } }, { body: png, headers: { "content-type": "image/png" } });
  const images = await rt.run("gen_image");
  assert.deepEqual(
    images.map((o) => o.mime_type),
    ["image/png", "image/png"],
  );
  assert.deepEqual(server.requests.at(-1)?.body, { inputs: summary });
});

test("streams Text Generation through the runtime's onStream", async () => {
  const rt = load("cookbooks__HuggingFace__Mistral-aiconfig.json", { HF_TOKEN: "hf_x", HF_INFERENCE_ENDPOINT: server.url });
  server.reply({ sse: readFixtureChunks("openai", "openai-text.chunks.txt"), done: true });
  const deltas: string[] = [];
  const [output] = await rt.run("prompt1", {}, { onStream: (c) => deltas.push(c.delta) });
  assert.ok(deltas.length > 100);
  assert.equal(output?.output_type === "execute_result" && output.data, deltas.join(""));
  assert.equal(rt.getOutputText("prompt1"), deltas.join(""));
});

test("reads the token and endpoint from the .env beside the file, and writes audio beside it with outputFiles", async (t) => {
  if (process.env["HF_TOKEN"] || process.env["HF_INFERENCE_ENDPOINT"])
    return t.skip("HF_TOKEN or HF_INFERENCE_ENDPOINT is set in this process's environment, which wins over .env");
  const dir = mkdtempSync(join(tmpdir(), "hf-notebook-"));
  const path = join(dir, "notebook.aiconfig.json");
  copyFileSync(corpusFile("gradio-notebook__example.aiconfig.json"), path);
  writeFileSync(join(dir, ".env"), `HF_TOKEN=hf_dotenv_token\nHF_INFERENCE_ENDPOINT=${server.url}\n`);
  const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()), outputFiles: true });
  server.reply({ body: wav, headers: { "content-type": "audio/wav" } });
  const at = server.requests.length;
  const [output] = await rt.run("text_to_speech");
  assert.equal(server.requests[at]?.headers.authorization, "Bearer hf_dotenv_token");
  assert.equal(output?.mime_type, "audio/wav");
  const data = (output as any).data as { kind: string; value: string };
  assert.equal(data.kind, "file_uri");
  assert.match(data.value, /\.wav$/);
  assert.deepEqual(readFileSync(join(dir, data.value)), Buffer.from(wav));
});

test("a run without a token stores an error output naming the fix", async (t) => {
  if (process.env["HF_TOKEN"] || process.env["HUGGING_FACE_HUB_TOKEN"] || process.env["HUGGING_FACE_API_TOKEN"])
    return t.skip("a token is set in this process's environment");
  const rt = load("gradio-notebook__example.aiconfig.json", {});
  await assert.rejects(
    rt.run("summarization"),
    (error: unknown) => error instanceof ProviderError && error.cause instanceof MissingAccessTokenError,
  );
  const [output] = rt.getPrompt("summarization")!.outputs!;
  assert.equal(output?.output_type, "error");
  assert.match(String((output as any).evalue), /needs an access token: set HF_TOKEN/);
});
