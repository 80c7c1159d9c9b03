/**
 * Constructed replies: `[{summary_text}]` holding the summary the corpus notebook stored, and a 503 body
 * in the service's error shape. The recorded summaries are replayed in recorded-replies.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ReplayServer, corpusFile, startReplayServer } from "@aiconfig-ts/testing";
import { MissingAccessTokenError } from "./errors.js";
import { summarizationProvider } from "./summarization.js";
import { modelNameOf, promptOf, readConfig, resolveContext, runContext, settingsOf } from "./test-support.js";

const config = readConfig(corpusFile("gradio-notebook__example.aiconfig.json"));
const prompt = promptOf(config, "summarization");
const expected = prompt.outputs?.[0]?.output_type === "execute_result" ? String(prompt.outputs[0].data) : "";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

test("sends the corpus summarization prompt in the hf-inference format and stores the summary", async () => {
  const env = { HF_TOKEN: "hf_summarize_token", HF_INFERENCE_ENDPOINT: server.url };
  const opts = { model: modelNameOf(config, prompt), settings: settingsOf(config, prompt), text: String(prompt.input), env };
  const request = await summarizationProvider.resolve(resolveContext(opts));
  assert.equal(request.model, "facebook/bart-large-cnn");
  server.reply({ json: [{ summary_text: expected }] });
  const at = server.requests.length;
  const outputs = await summarizationProvider.run(request, runContext(opts));

  const received = server.requests[at]!;
  assert.equal(received.method, "POST");
  assert.equal(received.path, "/models/facebook/bart-large-cnn");
  assert.equal(received.headers.authorization, "Bearer hf_summarize_token");
  assert.equal(received.headers["content-type"], "application/json");
  assert.deepEqual(received.body, {
    inputs: prompt.input,
    parameters: { generate_parameters: { max_length: 100, min_length: 50, num_beams: 1 } },
  });
  assert.deepEqual(outputs, [
    { output_type: "execute_result", execution_count: 0, data: expected, metadata: { model: "facebook/bart-large-cnn" } },
  ]);
});

test("uses the default model when the model name is the task and no model setting is given", async () => {
  const request = await summarizationProvider.resolve(resolveContext({ model: "Summarization", text: "Some long text." }));
  assert.equal(request.model, "facebook/bart-large-cnn");
  assert.equal(request.provider, "auto");
  assert.equal(request.endpointUrl, undefined);
  assert.deepEqual(request.args, { inputs: "Some long text." });
});

test("a prompt whose model name is a Hub id runs on that model, with truncation sent as it is", async () => {
  const env = { HF_TOKEN: "hf_x", HF_INFERENCE_ENDPOINT: `${server.url}/` };
  const opts = { model: "stevhliu/my_awesome_billsum_model", settings: { truncation: "only_first" }, text: "A bill.", env };
  const request = await summarizationProvider.resolve(resolveContext(opts));
  server.reply({ json: [{ summary_text: "Short." }] });
  const at = server.requests.length;
  await summarizationProvider.run(request, runContext(opts));
  assert.equal(server.requests[at]!.path, "/models/stevhliu/my_awesome_billsum_model");
  assert.deepEqual(server.requests[at]!.body, { inputs: "A bill.", parameters: { truncation: "only_first" } });
});

test("without a token, a request to Hugging Face's servers fails with a one-line fix and sends nothing", async () => {
  const opts = { model: "Summarization", text: "x", configDir: "/tmp/notebook", env: {} };
  const request = await summarizationProvider.resolve(resolveContext(opts));
  const sent = server.requests.length;
  await assert.rejects(summarizationProvider.run(request, runContext({ ...opts, promptName: "sum" })), (error: unknown) => {
    assert.ok(error instanceof MissingAccessTokenError);
    assert.match(
      error.message,
      /^prompt "sum" \(Hugging Face Summarization\) needs an access token: set HF_TOKEN .* \/tmp\/notebook\/\.env/,
    );
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
  assert.equal(server.requests.length, sent);
});

test("an API error reaches the caller with the server's message", async () => {
  const env = { HF_TOKEN: "hf_x", HF_INFERENCE_ENDPOINT: server.url };
  const opts = { model: "Summarization", text: "x", env };
  const request = await summarizationProvider.resolve(resolveContext(opts));
  server.reply({ json: { error: "Model facebook/bart-large-cnn is currently loading" }, status: 503 });
  await assert.rejects(summarizationProvider.run(request, runContext(opts)), /currently loading/);
});
