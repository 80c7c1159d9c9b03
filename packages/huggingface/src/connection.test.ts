import assert from "node:assert/strict";
import { test } from "node:test";
import { readAccessToken, resolveRoute } from "./connection.js";
import { isHubModelId, resolveModelId } from "./model-id.js";

test("route: endpoint_url as it is, else HF_INFERENCE_ENDPOINT with /models/{model}, else the provider setting (default auto)", () => {
  const env = { HF_INFERENCE_ENDPOINT: "http://127.0.0.1:9/hf/" };
  assert.deepEqual(resolveRoute({ endpoint_url: " https://x.endpoints.huggingface.cloud ", provider: "fal-ai" }, env, "a/b"), {
    endpointUrl: "https://x.endpoints.huggingface.cloud",
  });
  assert.deepEqual(resolveRoute({ provider: "fal-ai" }, env, "a/b"), { endpointUrl: "http://127.0.0.1:9/hf/models/a/b" });
  assert.deepEqual(resolveRoute({ provider: "fal-ai" }, {}, "a/b"), { provider: "fal-ai" });
  assert.deepEqual(resolveRoute({ endpoint_url: "" }, { HF_INFERENCE_ENDPOINT: "" }, "a/b"), { provider: "auto" });
});

test("token: api_token, hf_token, then HF_TOKEN, HUGGING_FACE_HUB_TOKEN, HUGGING_FACE_API_TOKEN", () => {
  const token = (settings: Record<string, unknown>, env: Record<string, string>) =>
    readAccessToken({ settings: settings as never, env, prompt: "p", required: false, missing: () => new Error("missing") });
  const env = { HF_TOKEN: "hf_env", HUGGING_FACE_HUB_TOKEN: "hf_hub", HUGGING_FACE_API_TOKEN: "hf_api" };
  assert.equal(token({ api_token: "hf_a", hf_token: "hf_b" }, env), "hf_a");
  assert.equal(token({ hf_token: "hf_b" }, env), "hf_b");
  assert.equal(token({}, env), "hf_env");
  assert.equal(token({}, { HUGGING_FACE_HUB_TOKEN: "hf_hub", HUGGING_FACE_API_TOKEN: "hf_api" }), "hf_hub");
  assert.equal(token({}, { HUGGING_FACE_API_TOKEN: "hf_api" }), "hf_api");
  assert.equal(token({ api_token: 5 }, { HF_TOKEN: " " }), undefined);
  assert.throws(
    () => readAccessToken({ settings: {}, env: {}, prompt: "p", required: true, missing: () => new Error("no token") }),
    /^Error: no token$/,
  );
});

test("model: the model setting, else a Hub id model name, else the task's default", () => {
  assert.equal(
    resolveModelId({ model: "openai/whisper-small" }, "Automatic Speech Recognition", "openai/whisper-large-v3"),
    "openai/whisper-small",
  );
  assert.equal(resolveModelId({}, "facebook/mms-tts-eng", "x/default"), "facebook/mms-tts-eng");
  assert.equal(resolveModelId({ model: "" }, "Text-to-Speech", "x/default"), "x/default");
  assert.equal(resolveModelId({}, "HuggingFaceText2SpeechTransformer", "x/default"), "x/default");
  assert.equal(isHubModelId("Helsinki-NLP/opus-mt-en-fr"), true);
  assert.equal(isHubModelId("stevhliu/my_awesome_billsum_model"), true);
  assert.equal(isHubModelId("a/b/c"), false);
  assert.equal(isHubModelId("/b"), false);
});
