/**
 * What the CLI knows of each provider package without importing it: the
 * provider ids and aliases it registers, the model names it registers by
 * name, and the patterns its providers' `servesModel` match. The CLI
 * registers these as lazy entries (core's `ProviderRegistry.registerLazy`)
 * and imports a package only when a prompt's model needs it.
 *
 * A copy of what each package's `register(registry)` does; the test
 * `provider-entries.test.ts` checks it against the installed packages
 * (same ids, same model names, same provider for every model they name).
 *
 * @packageDocumentation
 */

/** One provider package as the CLI knows it before importing it. */
export interface ProviderPackageEntry {
  /** The npm package. */
  readonly name: string;
  /** Provider ids and aliases the package registers. */
  readonly ids: readonly string[];
  /** Model names it registers by name and its patterns do not match. */
  readonly models: readonly string[];
  /** The model names its providers serve by `servesModel`. */
  readonly pattern?: RegExp;
}

const openaiCompatible = [
  "azure-openai",
  "ollama",
  "groq",
  "llama-cpp-server",
  "together",
  "fireworks",
  "openrouter",
  "deepseek",
  "vllm",
  "lm-studio",
];

/**
 * The provider packages in registration order. The local GGUF provider is
 * last so that it wins for the names it serves.
 */
export const PROVIDER_PACKAGE_ENTRIES: readonly ProviderPackageEntry[] = [
  {
    name: "@aiconfig-ts/openai",
    ids: [
      "openai",
      "openai-chat",
      "OpenAIChatModelParser",
      "OpenAI",
      "openai-compatible",
      ...openaiCompatible.map((p) => `openai-compatible:${p}`),
      ...openaiCompatible,
      "azure",
      "AzureOpenAI",
      "gpt-35-turbo",
      "gpt-35-turbo-16k",
      "mixtral-8x7b-32768",
      "llama-server",
      "lmstudio",
      "AnyscaleEndpoint",
      "anyscale",
      "AnyscaleEndpointModelParser",
      "openai-images",
      "openai-image",
      "OpenAIImageGeneration",
      "openai-speech",
      "openai-tts",
      "OpenAITextToSpeech",
      "openai-transcription",
      "openai-whisper",
      "OpenAISpeechRecognition",
    ],
    // Chat, image, speech and transcription names, and the model names of the OpenAI-compatible presets (Groq, DeepSeek).
    models: [],
    pattern: /^(gpt-|o[134](-|$)|chatgpt-|dall-e-|tts-|whisper-|llama3-|llama-3\.|gemma2?-|deepseek-|mixtral-)|-tts(-|$)|-transcribe(-|$)/,
  },
  {
    name: "@aiconfig-ts/anthropic",
    ids: ["anthropic-bedrock", "ClaudeBedrockModelParser", "anthropic", "claude", "AnthropicModelParser"],
    models: ["claudev2:1"],
    pattern: /^claude-|^([a-z]{2,4}\.)?anthropic\.claude/i,
  },
  {
    name: "@aiconfig-ts/gemini",
    ids: [
      "palm",
      "PaLM",
      "PaLM Chat",
      "PaLM Text",
      "palm-chat",
      "palm-text",
      "PaLMChatParser",
      "PaLMTextParser",
      "models/text-bison-001",
      "models/chat-bison-001",
      "gemini",
      "GeminiModelParser",
    ],
    models: [],
    // Gemini and PaLM names (PaLM, PaLM Chat, palm-text, PaLMChatParser, text-bison-001, ...).
    pattern: /^(models\/)?gemini-|^(models\/)?(text|chat|code|codechat)-(bison|unicorn|gecko)|^palm/i,
  },
  {
    name: "@aiconfig-ts/huggingface",
    ids: [
      "Text Generation",
      "HuggingFaceTextGenerationParser",
      "HuggingFaceTextGenerationTransformer",
      "HuggingFaceTextGenerationRemoteInference",
      "HuggingFaceConversationalRemoteInference",
      "LlamaGuardParser",
      "Summarization",
      "HuggingFaceTextSummarizationTransformer",
      "HuggingFaceTextSummarizationRemoteInference",
      "Translation",
      "HuggingFaceTextTranslationTransformer",
      "HuggingFaceTextTranslationRemoteInference",
      "Automatic Speech Recognition",
      "HuggingFaceAutomaticSpeechRecognitionTransformer",
      "HuggingFaceAutomaticSpeechRecognitionRemoteInference",
      "Text-to-Speech",
      "HuggingFaceText2SpeechTransformer",
      "HuggingFaceText2SpeechRemoteInference",
      "Text-to-Image",
      "HuggingFaceText2ImageDiffusor",
      "HuggingFaceText2ImageRemoteInference",
      "Image-to-Text",
      "HuggingFaceImage2TextTransformer",
      "HuggingFaceImage2TextRemoteInference",
    ],
    models: [],
    // Hub ids (`owner/name`); the package itself leaves out `.gguf` files and a few owners, which costs only an import here.
    pattern: /^[\w.-]+\/[\w.-]+$/,
  },
  {
    name: "@aiconfig-ts/local-speech",
    ids: ["espeak", "espeak-ng", "local-tts", "pocketsphinx", "local-asr", "local-stt"],
    models: ["espeak-ng", "espeak", "pocketsphinx"],
  },
  {
    name: "@aiconfig-ts/local-vision",
    ids: ["tesseract", "ocr", "local-ocr", "tesseract.js"],
    models: ["tesseract", "tesseract.js", "ocr"],
  },
  {
    name: "@aiconfig-ts/llama",
    ids: ["llama", "LLaMA", "llama.cpp", "gguf"],
    models: ["stories260K"],
    pattern: /\.gguf$/i,
  },
];
