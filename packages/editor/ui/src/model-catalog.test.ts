import assert from "node:assert/strict";
import { test } from "node:test";
import type { ModelInfo, ProviderInfo } from "../../src/api-types";
import { groupModels, providerReadiness, taskDefaultModel } from "./model-catalog";

// constructed: the capabilities the built-in providers declare, trimmed to what the picker reads
const providers: ProviderInfo[] = [
  {
    id: "openai",
    capabilities: { tasks: ["chat"], streams: true, chat: true, credentials: ["OPENAI_API_KEY"], models: ["gpt-4o", "gpt-4o-mini"] },
    keySet: false,
  },
  { id: "llama", capabilities: { tasks: ["text-generation", "chat"], streams: true, chat: true, offline: true, models: ["stories260K"] } },
  {
    id: "hf-tts",
    capabilities: { tasks: ["text-to-speech"], streams: false, chat: false, credentials: ["HF_TOKEN"], models: ["espnet/kan-bayashi"] },
    keySet: true,
  },
  { id: "espeak", capabilities: { tasks: ["text-to-speech"], streams: false, chat: false, offline: true, models: ["espeak-ng"] } },
  { id: "palm", capabilities: { tasks: ["text-generation", "chat"], streams: false, chat: false, retired: true } },
  { id: "echo" },
];
const models: ModelInfo[] = [
  { name: "gpt-4o-mini", provider: "openai" },
  { name: "gpt-4o", provider: "openai" },
  { name: "stories260K", provider: "llama" },
  { name: "espnet/kan-bayashi", provider: "hf-tts" },
  { name: "espeak-ng", provider: "espeak" },
  { name: "echo", provider: "echo" },
];

test("models are grouped by task, then provider with offline ones first, each saying what it needs", () => {
  const groups = groupModels(providers, models).map((g) => [g.taskLabel, g.provider.id, g.readinessLabel, g.models.join(",")]);
  assert.deepEqual(groups, [
    ["Chat", "llama", "offline", "stories260K"],
    ["Chat", "openai", "needs OPENAI_API_KEY (not set)", "gpt-4o,gpt-4o-mini"],
    ["Text Generation", "llama", "offline", "stories260K"],
    ["Text-to-Speech", "espeak", "offline", "espeak-ng"],
    ["Text-to-Speech", "hf-tts", "HF_TOKEN is set", "espnet/kan-bayashi"],
    ["Other", "echo", "", "echo"],
  ]);
});

test("a retired provider's models appear only when the server lists them (the document uses them)", () => {
  assert.ok(!groupModels(providers, models).some((g) => g.provider.id === "palm"));
  const used = groupModels(providers, [...models, { name: "text-bison-001", provider: "palm", retired: true }]);
  assert.ok(used.some((g) => g.provider.id === "palm" && g.models.includes("text-bison-001")));
});

test("each task's default model is offline where possible, else one whose key is set", () => {
  assert.equal(taskDefaultModel("chat", providers, models), "stories260K");
  assert.equal(taskDefaultModel("text-to-speech", providers, models), "espeak-ng");
  assert.equal(taskDefaultModel("text-to-image", providers, models), undefined);
  const online = providers.filter((p) => p.id !== "llama");
  assert.equal(taskDefaultModel("chat", online, models), "gpt-4o");
  // No key set and nothing offline: Hugging Face Inference, as in the Gradio Notebook, not the first provider registered.
  const summarizers: ProviderInfo[] = [
    {
      id: "anthropic",
      capabilities: {
        tasks: ["summarization"],
        streams: true,
        chat: true,
        credentials: ["ANTHROPIC_API_KEY"],
        models: ["claude-sonnet-4-5"],
      },
      keySet: false,
    },
    {
      id: "Summarization",
      capabilities: {
        tasks: ["summarization"],
        streams: false,
        chat: false,
        credentials: ["HF_TOKEN"],
        models: ["facebook/bart-large-cnn"],
      },
      keySet: false,
    },
  ];
  const summaryModels: ModelInfo[] = [
    { name: "claude-sonnet-4-5", provider: "anthropic" },
    { name: "facebook/bart-large-cnn", provider: "Summarization" },
  ];
  assert.equal(taskDefaultModel("summarization", summarizers, summaryModels), "facebook/bart-large-cnn");
  assert.equal(
    taskDefaultModel("summarization", [{ ...summarizers[0]!, keySet: true }, summarizers[1]!], summaryModels),
    "claude-sonnet-4-5",
  );
  assert.deepEqual(providerReadiness(providers[0]), { readiness: "key-missing", label: "needs OPENAI_API_KEY (not set)" });
});
