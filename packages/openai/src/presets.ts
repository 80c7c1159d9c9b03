/**
 * Named connection presets for OpenAI and OpenAI-compatible services: where
 * each service listens, which environment variables hold its key and base URL,
 * and whether it needs a key at all.
 *
 * Sources: the services' OpenAI-compatibility docs — OpenAI
 * (https://platform.openai.com/docs/api-reference), Azure OpenAI
 * (https://learn.microsoft.com/azure/ai-services/openai/reference), Ollama
 * (https://github.com/ollama/ollama/blob/main/docs/openai.md), Groq
 * (https://console.groq.com/docs/openai), llama.cpp server
 * (https://github.com/ggml-org/llama.cpp/tree/master/tools/server), Together
 * (https://docs.together.ai/docs/openai-api-compatibility), Fireworks
 * (https://docs.fireworks.ai/tools-sdks/openai-compatibility), OpenRouter
 * (https://openrouter.ai/docs), DeepSeek (https://api-docs.deepseek.com),
 * vLLM (https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html),
 * LM Studio (https://lmstudio.ai/docs/app/api/endpoints/openai).
 *
 * @packageDocumentation
 */

/** How to reach one OpenAI-compatible service. */
export interface OpenAIPreset {
  /** Preset name, e.g. `ollama`; the provider id is `openai-compatible:NAME` (`openai` for OpenAI itself). */
  readonly name: string;
  /** One line naming the service. */
  readonly description: string;
  /**
   * Base URL of its OpenAI-compatible API (ending in `/v1` or similar);
   * `undefined` when the user must give one (the generic preset) or, for
   * Azure, when it comes from the endpoint.
   */
  readonly baseURL?: string;
  /** Environment variables that may hold the base URL, first set wins (over {@link baseURL}). */
  readonly baseURLEnv: readonly string[];
  /** Environment variables that may hold the API key, first set wins. */
  readonly apiKeyEnv: readonly string[];
  /**
   * Whether a key is required. Local servers take none; the SDK still sends
   * a placeholder bearer token (`no-key`), which they ignore.
   */
  readonly keyRequired: boolean;
  /** Uses the SDK's `AzureOpenAI` client (deployments, `api-key` header, `api-version` query). */
  readonly azure?: boolean;
  /**
   * Whether a streamed request asks for token usage in the last chunk
   * (`stream_options: {include_usage: true}`) unless the settings say otherwise.
   */
  readonly streamUsage: boolean;
  /** Short ids (provider aliases) under which the preset's provider is also registered. */
  readonly aliases: readonly string[];
  /** Model names this preset's provider is registered for (names old files use without a `model_parsers` entry). */
  readonly models: readonly string[];
  /** Where to get a key, for the missing-key error. */
  readonly keyHelp?: string;
}

/** Azure OpenAI `api-version` used when neither the `api_version` setting nor `OPENAI_API_VERSION` gives one. */
export const DEFAULT_AZURE_API_VERSION = "2024-10-21";

/** The OpenAI API itself (`https://api.openai.com/v1`). */
export const openaiPreset: OpenAIPreset = {
  name: "openai",
  description: "OpenAI API",
  baseURL: "https://api.openai.com/v1",
  baseURLEnv: ["OPENAI_BASE_URL"],
  apiKeyEnv: ["OPENAI_API_KEY"],
  keyRequired: true,
  streamUsage: true,
  aliases: ["openai-chat", "OpenAIChatModelParser", "OpenAI"],
  models: [],
  keyHelp: "https://platform.openai.com/api-keys",
};

/**
 * Every preset by name. `openai-compatible` is the generic one: it needs a
 * base URL from the `base_url` setting or `OPENAI_COMPATIBLE_BASE_URL`.
 */
export const presets: Readonly<Record<string, OpenAIPreset>> = {
  openai: openaiPreset,
  "openai-compatible": {
    name: "openai-compatible",
    description: "any OpenAI-compatible server (give base_url)",
    baseURLEnv: ["OPENAI_COMPATIBLE_BASE_URL"],
    apiKeyEnv: ["OPENAI_COMPATIBLE_API_KEY"],
    keyRequired: false,
    streamUsage: false,
    aliases: [],
    models: [],
  },
  "azure-openai": {
    name: "azure-openai",
    description: "Azure OpenAI Service (model = deployment name)",
    baseURLEnv: [],
    apiKeyEnv: ["AZURE_OPENAI_API_KEY"],
    keyRequired: true,
    azure: true,
    streamUsage: false,
    // Old files (cookbooks/Claude-And-Azure) map the deployment name to itself as the provider id.
    aliases: ["azure-openai", "azure", "AzureOpenAI", "gpt-35-turbo", "gpt-35-turbo-16k"],
    models: ["gpt-35-turbo", "gpt-35-turbo-16k", "gpt-35-turbo-instruct"],
    keyHelp: "the Keys and Endpoint page of the Azure OpenAI resource",
  },
  ollama: {
    name: "ollama",
    description: "Ollama on this machine",
    baseURL: "http://127.0.0.1:11434/v1",
    baseURLEnv: ["OLLAMA_BASE_URL"],
    apiKeyEnv: ["OLLAMA_API_KEY"],
    keyRequired: false,
    streamUsage: true,
    aliases: ["ollama"],
    models: [],
  },
  groq: {
    name: "groq",
    description: "Groq",
    baseURL: "https://api.groq.com/openai/v1",
    baseURLEnv: ["GROQ_BASE_URL"],
    apiKeyEnv: ["GROQ_API_KEY"],
    keyRequired: true,
    streamUsage: true,
    // Old files (cookbooks/Groq) map the model name to itself as the provider id.
    aliases: ["groq", "mixtral-8x7b-32768"],
    models: [
      "mixtral-8x7b-32768",
      "llama3-8b-8192",
      "llama3-70b-8192",
      "gemma-7b-it",
      "gemma2-9b-it",
      "llama-3.1-8b-instant",
      "llama-3.3-70b-versatile",
    ],
    keyHelp: "https://console.groq.com/keys",
  },
  "llama-cpp-server": {
    name: "llama-cpp-server",
    description: "llama.cpp's llama-server on this machine",
    baseURL: "http://127.0.0.1:8080/v1",
    baseURLEnv: ["LLAMA_CPP_SERVER_URL"],
    apiKeyEnv: ["LLAMA_API_KEY"],
    keyRequired: false,
    streamUsage: true,
    aliases: ["llama-cpp-server", "llama-server"],
    models: [],
  },
  together: {
    name: "together",
    description: "Together AI",
    baseURL: "https://api.together.xyz/v1",
    baseURLEnv: ["TOGETHER_BASE_URL"],
    apiKeyEnv: ["TOGETHER_API_KEY"],
    keyRequired: true,
    streamUsage: true,
    aliases: ["together"],
    models: [],
    keyHelp: "https://api.together.xyz/settings/api-keys",
  },
  fireworks: {
    name: "fireworks",
    description: "Fireworks AI",
    baseURL: "https://api.fireworks.ai/inference/v1",
    baseURLEnv: ["FIREWORKS_BASE_URL"],
    apiKeyEnv: ["FIREWORKS_API_KEY"],
    keyRequired: true,
    streamUsage: true,
    aliases: ["fireworks"],
    models: [],
  },
  openrouter: {
    name: "openrouter",
    description: "OpenRouter",
    baseURL: "https://openrouter.ai/api/v1",
    baseURLEnv: ["OPENROUTER_BASE_URL"],
    apiKeyEnv: ["OPENROUTER_API_KEY"],
    keyRequired: true,
    streamUsage: true,
    aliases: ["openrouter"],
    models: [],
  },
  deepseek: {
    name: "deepseek",
    description: "DeepSeek",
    baseURL: "https://api.deepseek.com/v1",
    baseURLEnv: ["DEEPSEEK_BASE_URL"],
    apiKeyEnv: ["DEEPSEEK_API_KEY"],
    keyRequired: true,
    streamUsage: true,
    aliases: ["deepseek"],
    models: ["deepseek-chat", "deepseek-reasoner"],
  },
  vllm: {
    name: "vllm",
    description: "a vLLM server on this machine",
    baseURL: "http://127.0.0.1:8000/v1",
    baseURLEnv: ["VLLM_BASE_URL"],
    apiKeyEnv: ["VLLM_API_KEY"],
    keyRequired: false,
    streamUsage: true,
    aliases: ["vllm"],
    models: [],
  },
  "lm-studio": {
    name: "lm-studio",
    description: "LM Studio's server on this machine",
    baseURL: "http://127.0.0.1:1234/v1",
    baseURLEnv: ["LM_STUDIO_BASE_URL"],
    apiKeyEnv: ["LM_STUDIO_API_KEY"],
    keyRequired: false,
    streamUsage: true,
    aliases: ["lm-studio", "lmstudio"],
    models: [],
  },
};

/** The provider id of a preset: `openai` for OpenAI, `openai-compatible:NAME` for the others (`openai-compatible` for the generic one). */
export function presetProviderId(preset: OpenAIPreset): string {
  if (preset.name === "openai" || preset.name === "openai-compatible") return preset.name;
  return `openai-compatible:${preset.name}`;
}
