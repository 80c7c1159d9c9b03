import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AIConfigRuntime, ProviderRegistry, UnknownModelError } from "@aiconfig-ts/core";
import { registerBuiltinProviders } from "./builtin-providers.js";

/**
 * Every id the original SDKs registered a model parser under, with the
 * provider that serves it here. Files they wrote name these ids as
 * `metadata.model_parsers` values (`{"gpt-3.5-turbo": "gpt-3.5-turbo"}`) and
 * as model names. Sources: npm `aiconfig@1.1.15` `dist/lib/config.js`
 * (installed as `aiconfig-original`), and lastmile-ai/aiconfig
 * `python/src/aiconfig/Config.py`, `default_parsers/*.py` and the extensions'
 * registrations (Hugging Face, LLaMA, LLaMA Guard, Gemini, Claude, Groq).
 */
const SERVED: Record<string, string> = {
  // TypeScript core: OpenAIChatModelParser under model names (the Python DefaultOpenAIParser(model) list is the same).
  "gpt-4": "openai",
  "gpt-4-0314": "openai",
  "gpt-4-0613": "openai",
  "gpt-4-32k": "openai",
  "gpt-4-32k-0314": "openai",
  "gpt-4-32k-0613": "openai",
  "gpt-3.5-turbo": "openai",
  "gpt-3.5-turbo-16k": "openai",
  "gpt-3.5-turbo-0301": "openai",
  "gpt-3.5-turbo-0613": "openai",
  "gpt-3.5-turbo-16k-0613": "openai",
  // TypeScript and Python core.
  AnyscaleEndpoint: "AnyscaleEndpoint",
  HuggingFaceTextGenerationParser: "Text Generation",
  "models/text-bison-001": "palm",
  // Python core.
  "models/chat-bison-001": "palm",
  "dall-e-2": "openai-images",
  "dall-e-3": "openai-images",
  "gemini-pro": "gemini",
  "gpt-4-vision-preview": "openai",
  ClaudeBedrockModelParser: "anthropic-bedrock",
  AzureOpenAI: "openai-compatible:azure-openai",
  "gpt-35-turbo": "openai-compatible:azure-openai",
  // Python extensions: Hugging Face (local transformers and remote inference), LLaMA, LLaMA Guard, Groq.
  HuggingFaceTextGenerationTransformer: "Text Generation",
  HuggingFaceTextGenerationRemoteInference: "Text Generation",
  HuggingFaceConversationalRemoteInference: "Text Generation",
  HuggingFaceTextSummarizationTransformer: "Summarization",
  HuggingFaceTextSummarizationRemoteInference: "Summarization",
  HuggingFaceTextTranslationTransformer: "Translation",
  HuggingFaceTextTranslationRemoteInference: "Translation",
  HuggingFaceText2SpeechTransformer: "Text-to-Speech",
  HuggingFaceText2SpeechRemoteInference: "Text-to-Speech",
  HuggingFaceText2ImageDiffusor: "Text-to-Image",
  HuggingFaceText2ImageRemoteInference: "Text-to-Image",
  HuggingFaceAutomaticSpeechRecognitionTransformer: "Automatic Speech Recognition",
  HuggingFaceAutomaticSpeechRecognitionRemoteInference: "Automatic Speech Recognition",
  HuggingFaceImage2TextTransformer: "Image-to-Text",
  HuggingFaceImage2TextRemoteInference: "Image-to-Text",
  LLaMA: "llama",
  LlamaGuardParser: "Text Generation",
  "mixtral-8x7b-32768": "openai-compatible:groq",
};

/**
 * Ids the original registered that no provider here serves: the TypeScript
 * SDK's OpenAIModelParser (the legacy completions API, no provider here; the
 * `text-*`/`code-*` models are retired), and Python's upper-case `GPT-4`
 * (dropped by the Python SDK itself in 1.1.9).
 */
const NOT_SERVED = [
  "babbage-002",
  "davinci-002",
  "gpt-3.5-turbo-instruct",
  "text-davinci-003",
  "text-davinci-002",
  "text-davinci-001",
  "code-davinci-002",
  "text-curie-001",
  "text-babbage-001",
  "text-ada-001",
  "GPT-4",
];

describe("ids the original SDKs registered model parsers under", async () => {
  const registry = new ProviderRegistry();
  await registerBuiltinProviders(registry);

  for (const [id, provider] of Object.entries(SERVED)) {
    test(`"${id}" resolves to ${provider} as a model name and as a model_parsers value`, () => {
      assert.equal(registry.find(id)?.id, provider);
      assert.equal(registry.find("a-model-the-file-names", { "a-model-the-file-names": id })?.id, provider);
    });
  }

  test('a file written by the original SDK, {"gpt-3.5-turbo": "gpt-3.5-turbo"}, resolves its prompts (constructed file)', async () => {
    const rt = AIConfigRuntime.loadJSON(
      {
        name: "written by aiconfig 1.1.15",
        schema_version: "latest",
        metadata: { model_parsers: { "gpt-3.5-turbo": "gpt-3.5-turbo", "my-tuned-model": "gpt-4" } },
        prompts: [
          { name: "a", input: "Hi", metadata: { model: "gpt-3.5-turbo" } },
          { name: "b", input: "Hi", metadata: { model: "my-tuned-model" } },
        ],
      },
      { registry: new ProviderRegistry(registry), env: { OPENAI_API_KEY: "sk-test" } },
    );
    assert.equal(rt.getProvider("a").id, "openai");
    assert.equal(rt.getProvider("b").id, "openai");
    assert.equal((await rt.resolve("b")) instanceof Object, true);
  });

  for (const id of NOT_SERVED) {
    test(`"${id}" (no provider here) fails with one line naming it`, () => {
      assert.throws(
        () => registry.forModel("m", { m: id }, "p"),
        (e: unknown) => e instanceof UnknownModelError && e.message.includes(`"${id}"`) && !e.message.includes("\n"),
      );
    });
  }
});
