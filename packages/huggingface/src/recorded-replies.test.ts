/**
 * Every recorded Hugging Face exchange in ../shared/fixtures/providers/huggingface
 * (recorded by the @huggingface/inference test suite; see its SOURCE.md), replayed
 * through the real SDK pointed at a local server by the endpoint_url setting:
 * the request each provider sends is compared with the recorded request, and the
 * outputs with the recorded reply.
 *
 * Differences from the recorded requests are those of the SDK versions: the
 * recordings were made by @huggingface/inference 2.x/3.x, which also sent
 * `"options": {}` and, to endpoints, `"model": "tgi"`; 4.x sends neither. This
 * package sends the generation settings of summarization under
 * `parameters.generate_parameters`, as the task specification says (the
 * recordings put `max_length` directly in `parameters`).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AIConfigRuntime, type Output, ProviderError, ProviderRegistry } from "@aiconfig-ts/core";
import { type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { imageToTextProvider } from "./image-to-text.js";
import { register } from "./register.js";
import { HuggingFaceServiceError, NoChatTemplateError } from "./service-errors.js";
import { speechRecognitionProvider } from "./speech-recognition.js";
import { summarizationProvider } from "./summarization.js";
import {
  type ContextOptions,
  bytesAttachment,
  readRecorded,
  recordedInput,
  recordedPath,
  recordedReply,
  recordedRequestBody,
  resolveContext,
  runContext,
} from "./test-support.js";
import { textGenerationProvider } from "./text-generation.js";
import { translationProvider } from "./translation.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

/** The request body as the recording has it, without what only older SDKs sent (`options: {}`, `model: "tgi"`). */
function withoutOldSdkFields(body: Record<string, unknown> | undefined, ...more: string[]): Record<string, unknown> {
  const copy = { ...body };
  for (const key of ["options", ...more]) delete copy[key];
  if (copy["model"] === "tgi") delete copy["model"];
  return copy;
}

/** Runs a provider on a prompt whose endpoint_url is the replay server at the recorded path; returns outputs and the request received. */
async function replay<R>(
  provider: { resolve(ctx: any): R | Promise<R>; run(request: R, ctx: any): Promise<any[]> },
  file: string,
  opts: Omit<ContextOptions, "env"> & { env?: Record<string, string> },
) {
  const recorded = readRecorded(file);
  const endpoint = `${server.url}${recordedPath(recorded).replace(/\/v1\/chat\/completions$/, "")}`;
  const full = { ...opts, settings: { ...opts.settings, endpoint_url: endpoint }, env: opts.env ?? {} };
  const request = await provider.resolve(resolveContext(full));
  server.reply(recordedReply(recorded));
  const at = server.requests.length;
  const ctx = runContext(full);
  const outcome = await provider.run(request, ctx).then(
    (outputs) => ({ outputs, error: undefined }),
    (error: unknown) => ({ outputs: undefined, error }),
  );
  assert.equal(server.requests.length, at + 1, "one request");
  return { ...outcome, received: server.requests[at]!, recorded, chunks: ctx.chunks };
}

function texts(outputs: any[] | undefined): unknown[] {
  return (outputs ?? []).map((o) => o.data);
}

test("summarization-bart-large-cnn.json: the recorded summary is stored; the request carries the recorded text and max_length", async () => {
  const recorded = readRecorded("summarization-bart-large-cnn.json");
  const body = recordedRequestBody(recorded)!;
  const r = await replay(summarizationProvider, "summarization-bart-large-cnn.json", {
    model: "facebook/bart-large-cnn",
    text: String(body["inputs"]),
    settings: { max_length: 100 },
  });
  assert.equal(r.error, undefined);
  assert.equal(r.received.path, recordedPath(recorded));
  assert.deepEqual(r.received.body, { inputs: body["inputs"], parameters: { generate_parameters: body["parameters"] } });
  assert.deepEqual(texts(r.outputs), [JSON.parse(recorded.body)[0].summary_text]);
  assert.deepEqual(r.outputs![0].metadata, { model: "facebook/bart-large-cnn" });
});

test("summarization-pegasus-xsum.json: the recorded one-sentence summary is stored", async () => {
  const recorded = readRecorded("summarization-pegasus-xsum.json");
  const body = recordedRequestBody(recorded)!;
  const r = await replay(summarizationProvider, "summarization-pegasus-xsum.json", {
    model: "Summarization",
    settings: { model: "google/pegasus-xsum", max_length: 100 },
    text: String(body["inputs"]),
  });
  assert.equal(r.received.path, recordedPath(recorded));
  assert.deepEqual(r.received.body, { inputs: body["inputs"], parameters: { generate_parameters: body["parameters"] } });
  assert.deepEqual(texts(r.outputs), ["The Eiffel Tower is one of the most famous buildings in the world."]);
});

test("translation-t5-base.json: the request is the recorded one and the German translation is stored", async () => {
  const recorded = readRecorded("translation-t5-base.json");
  const r = await replay(translationProvider, "translation-t5-base.json", {
    model: "t5-base-translation",
    settings: { model: "t5-base" },
    text: "My name is Wolfgang and I live in Berlin",
  });
  assert.equal(r.received.path, recordedPath(recorded));
  assert.deepEqual(r.received.body, withoutOldSdkFields(recordedRequestBody(recorded)));
  assert.deepEqual(texts(r.outputs), ["Mein Name ist Wolfgang und ich lebe in Berlin"]);
});

test("speech-recognition-wav2vec2.json: the recorded FLAC is sent as the body and the recorded transcript stored", async () => {
  const flac = recordedInput("sample1.flac");
  const r = await replay(speechRecognitionProvider, "speech-recognition-wav2vec2.json", {
    model: "Automatic Speech Recognition",
    settings: { model: "facebook/wav2vec2-large-960h-lv60-self" },
    attachments: [bytesAttachment(flac, "audio/flac")],
  });
  assert.equal(r.error, undefined);
  assert.equal(r.received.path, recordedPath(r.recorded));
  assert.equal(r.received.headers["content-type"], "audio/flac");
  assert.deepEqual(r.received.raw, Buffer.from(flac));
  assert.deepEqual(texts(r.outputs), [JSON.parse(r.recorded.body).text]);
  assert.match(String(r.outputs![0].data), /^GOING ALONG SLUSHY COUNTRY ROADS/);
});

test("image-to-text-vit-gpt2.json: the list the service answers (which the SDK refuses) is read, and the caption stored", async () => {
  const png = recordedInput("cheetah.png");
  const r = await replay(imageToTextProvider, "image-to-text-vit-gpt2.json", {
    model: "nlpconnect/vit-gpt2-image-captioning",
    attachments: [bytesAttachment(png, "image/png")],
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.received.path, recordedPath(r.recorded));
  assert.equal(r.received.headers["content-type"], "image/png");
  assert.deepEqual(r.received.raw, Buffer.from(png));
  assert.deepEqual(r.outputs, [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: "a large brown and white giraffe standing in a field ",
      metadata: { model: "nlpconnect/vit-gpt2-image-captioning" },
    },
  ]);
});

test('text-generation-gpt2.json: with "api": "text-generation" the recorded request goes to the model\'s URL and the text is stored', async () => {
  const recorded = readRecorded("text-generation-gpt2.json");
  const r = await replay(textGenerationProvider, "text-generation-gpt2.json", {
    model: "Text Generation",
    settings: { model: "gpt2", api: "text-generation" },
    text: "The answer to the universe is",
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.received.path, recordedPath(recorded));
  assert.deepEqual(r.received.body, withoutOldSdkFields(recordedRequestBody(recorded)));
  assert.deepEqual(texts(r.outputs), [JSON.parse(recorded.body)[0].generated_text]);
  assert.equal(textGenerationProvider.outputUsage!(r.outputs![0] as Output), undefined, "the text-generation API reports no usage");
});

test("text-generation-gpt2.json: a chat request answered in text-generation's shape is read as text, not a TypeError", async () => {
  const recorded = readRecorded("text-generation-gpt2.json");
  const r = await replay(textGenerationProvider, "text-generation-gpt2.json", {
    model: "Text Generation",
    settings: { model: "gpt2" },
    text: "The answer to the universe is",
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.received.path, `${recordedPath(recorded)}/v1/chat/completions`);
  assert.deepEqual(texts(r.outputs), [JSON.parse(recorded.body)[0].generated_text]);
});

test("text-generation-stream-llama-3.2-3b.json: the error event in a 200 stream fails the run with the service's message and the max_new_tokens fix", async () => {
  const recorded = readRecorded("text-generation-stream-llama-3.2-3b.json");
  const r = await replay(textGenerationProvider, "text-generation-stream-llama-3.2-3b.json", {
    model: "meta-llama/Llama-3.2-3B",
    settings: { api: "text-generation", max_new_tokens: 10000 },
    text: "Write a short story about a robot that becomes sentient and takes over the world.",
    streaming: true,
  });
  assert.equal(r.received.path, recordedPath(recorded));
  assert.deepEqual(r.received.body, recordedRequestBody(recorded));
  assert.ok(r.error instanceof HuggingFaceServiceError, String(r.error));
  assert.equal(r.error.status, 200);
  assert.match(
    r.error.message,
    /^Hugging Face Text Generation \(meta-llama\/Llama-3\.2-3B\): the endpoint at http:\/\/127\.0\.0\.1:\d+\/hf-inference\/models\/meta-llama\/Llama-3\.2-3B sent an error in its stream: Input validation error: `inputs` tokens \+ `max_new_tokens` must be <= 4096\. Given: 17 `inputs` tokens and 10000 `max_new_tokens`: set the max_new_tokens setting \(or max_tokens\) to at most 4079/,
  );
  assert.doesNotMatch(r.error.message, /\n/);
  assert.deepEqual(r.chunks, []);
});

test("text-generation-stream-llama-3.2-3b.json through the runtime: the stored output is an error output with the service's message", async () => {
  const recorded = readRecorded("text-generation-stream-llama-3.2-3b.json");
  const rt = AIConfigRuntime.loadJSON(
    {
      name: "story",
      schema_version: "latest",
      metadata: {},
      prompts: [
        {
          name: "story",
          input: "Write a short story about a robot that becomes sentient and takes over the world.",
          metadata: {
            model: {
              name: "meta-llama/Llama-3.2-3B",
              settings: { api: "text-generation", max_new_tokens: 10000, endpoint_url: `${server.url}${recordedPath(recorded)}` },
            },
          },
        },
      ],
    },
    { registry: register(new ProviderRegistry()), env: {} },
  );
  server.reply(recordedReply(recorded));
  await assert.rejects(rt.run("story", {}, { stream: true }), ProviderError);
  const [output] = rt.getPrompt("story")!.outputs!;
  assert.equal(output?.output_type, "error");
  assert.equal((output as { ename: string }).ename, "HuggingFaceServiceError");
  assert.match(String((output as { evalue: string }).evalue), /Input validation error: .* must be <= 4096.*at most 4079/);
});

test("chat-completion-mistral.json: the recorded chat request and answer, with finish_reason and usage", async () => {
  const recorded = readRecorded("chat-completion-mistral.json");
  const reply = JSON.parse(recorded.body);
  const r = await replay(textGenerationProvider, "chat-completion-mistral.json", {
    model: "mistralai/Mistral-7B-Instruct-v0.2",
    settings: { max_tokens: 500, temperature: 0.1, seed: 0 },
    text: "Complete the this sentence with words one plus one is equal ",
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.received.path, recordedPath(recorded));
  // return_full_text is a text-generation parameter the old SDK added to chat requests; it is not a chat setting.
  assert.deepEqual(r.received.body, {
    ...withoutOldSdkFields(recordedRequestBody(recorded), "return_full_text"),
    model: "mistralai/Mistral-7B-Instruct-v0.2",
  });
  assert.deepEqual(r.outputs, [
    {
      output_type: "execute_result",
      execution_count: 0,
      data: " to two. One plus one is equal to two.",
      metadata: { model: "mistralai/Mistral-7B-Instruct-v0.2", finish_reason: "eos_token", usage: reply.usage },
    },
  ]);
  assert.deepEqual(textGenerationProvider.outputUsage!(r.outputs![0] as Output), {
    inputTokens: 21,
    outputTokens: 12,
    totalTokens: 33,
    finishReason: "stop",
  });
});

test("chat-completion-stream-mistral.json: every recorded delta is streamed and the output is their concatenation", async () => {
  const recorded = readRecorded("chat-completion-stream-mistral.json");
  const deltas = recorded.body
    .split("\n\n")
    .filter((l) => l.startsWith("data:"))
    .map((l) => JSON.parse(l.slice(5)).choices[0].delta.content as string);
  const r = await replay(textGenerationProvider, "chat-completion-stream-mistral.json", {
    model: "mistralai/Mistral-7B-Instruct-v0.2",
    settings: { max_tokens: 500, temperature: 0.1, seed: 0 },
    text: "Complete the equation 1+1= ,just the answer",
    streaming: true,
  });
  assert.equal(r.error, undefined, String(r.error));
  assert.deepEqual(r.received.body, {
    ...withoutOldSdkFields(recordedRequestBody(recorded), "return_full_text"),
    model: "mistralai/Mistral-7B-Instruct-v0.2",
  });
  assert.equal(deltas.length, 15);
  assert.deepEqual(
    r.chunks.map((c) => c.delta),
    deltas,
  );
  assert.equal(texts(r.outputs)[0], deltas.join(""));
  assert.equal(r.outputs![0].metadata.finish_reason, "eos_token");
});

test("error-404-model-does-not-exist.json: the 404 says what the service said and which setting to check", async () => {
  const recorded = readRecorded("error-404-model-does-not-exist.json");
  const r = await replay(summarizationProvider, "error-404-model-does-not-exist.json", {
    model: "Summarization",
    settings: { model: "this-model-does-not-exist-123" },
    text: "[MASK] world!",
  });
  assert.equal(r.received.path, recordedPath(recorded));
  assert.deepEqual(r.received.body, withoutOldSdkFields(recordedRequestBody(recorded)));
  assert.ok(r.error instanceof HuggingFaceServiceError, String(r.error));
  assert.equal(r.error.status, 404);
  assert.match(
    r.error.message,
    /^Hugging Face Summarization \(this-model-does-not-exist-123\): the endpoint at http:\/\/127\.0\.0\.1:\d+\/hf-inference\/models\/this-model-does-not-exist-123 answered 404: Model this-model-does-not-exist-123 does not exist: check the model setting \("this-model-does-not-exist-123"\)/,
  );
});

test("error-422-chat-completion.json: a chat request to a model without a chat template says so and suggests the text-generation api", async () => {
  const recorded = readRecorded("error-422-chat-completion.json");
  const r = await replay(textGenerationProvider, "error-422-chat-completion.json", {
    model: "google/gemma-2b",
    settings: { max_tokens: 500, temperature: 0.1, seed: 0 },
    text: "Complete the equation 1+1= ,just the answer",
    streaming: true,
  });
  assert.equal(r.received.path, recordedPath(recorded));
  assert.deepEqual(r.received.body, withoutOldSdkFields(recordedRequestBody(recorded), "return_full_text"));
  assert.ok(r.error instanceof NoChatTemplateError, String(r.error));
  assert.match(r.error.message, /answered 422 "Template error: template not found": the model has no chat template/);
  assert.match(r.error.message, /set the setting "api" to "text-generation"/);
});
