/**
 * JSON Schemas (draft-07) of the settings each OpenAI provider reads, for
 * editors' forms and for `validate`. Ranges and defaults follow the OpenAI
 * API reference (https://platform.openai.com/docs/api-reference): chat
 * (`/chat/completions`), images (`/images/generations`), speech
 * (`/audio/speech`), transcription (`/audio/transcriptions`). Other
 * properties are allowed: chat passes them to the API unchanged.
 *
 * @packageDocumentation
 */
import type { JSONSchema } from "@aiconfig-ts/core";
import { presets } from "./presets.js";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** Settings every provider of this package reads to connect (never sent in the request body). */
export const connectionSettingsProperties: Record<string, JSONSchema> = {
  api_key: {
    type: "string",
    description:
      "API key. Prefer the environment (OPENAI_API_KEY, or the preset's variable) or a .env file beside the aiconfig file: a key written here is saved in the file.",
  },
  base_url: {
    type: "string",
    description:
      "Base URL of the API, e.g. http://127.0.0.1:11434/v1 (default: OPENAI_BASE_URL or the preset's). For Azure: the resource endpoint.",
  },
  preset: {
    type: "string",
    enum: Object.keys(presets),
    description: "Named OpenAI-compatible service to connect to (its base URL and key variable).",
  },
  max_retries: {
    type: "integer",
    minimum: 0,
    default: 2,
    description: "Retries on 408, 409, 429 and 5xx responses and connection errors, with backoff honouring retry-after.",
  },
  timeout: { type: "integer", minimum: 0, default: 600000, description: "Timeout of each attempt, in milliseconds." },
  api_version: { type: "string", description: "Azure OpenAI api-version (default: OPENAI_API_VERSION, else 2024-10-21)." },
  organization: { type: "string", description: "OpenAI organization id (default: OPENAI_ORG_ID)." },
  project: { type: "string", description: "OpenAI project id (default: OPENAI_PROJECT_ID)." },
};

const message = {
  type: "object",
  required: ["role"],
  properties: {
    role: { type: "string", enum: ["system", "developer", "user", "assistant", "tool", "function"] },
    content: { type: ["string", "array", "null"] },
  },
};

/** Settings of the chat providers (`openai`, `openai-compatible:*`). */
export const chatSettingsSchema: JSONSchema = {
  $schema: DRAFT_07,
  title: "OpenAI chat settings",
  type: "object",
  properties: {
    model: { type: "string", description: "Model id sent to the API (default: the prompt's model name; for Azure, the deployment name)." },
    system_prompt: {
      description: "System message sent first: a template string, or a message {role: system, content}.",
      oneOf: [{ type: "string" }, message],
    },
    remember_chat_context: {
      type: "boolean",
      default: true,
      description: "Send the earlier prompts of the same model and their outputs as previous turns.",
    },
    messages: {
      type: "array",
      items: message,
      description: "Messages sent before the prompt's own (templates), instead of the chat history.",
    },
    temperature: { type: "number", minimum: 0, maximum: 2, default: 1, description: "Sampling temperature: higher is more random." },
    top_p: {
      type: "number",
      minimum: 0,
      maximum: 1,
      default: 1,
      description: "Nucleus sampling: only tokens within this probability mass.",
    },
    max_tokens: {
      type: "integer",
      minimum: 1,
      description: "Most tokens to generate (legacy; reasoning models take max_completion_tokens).",
    },
    max_completion_tokens: { type: "integer", minimum: 1, description: "Most tokens to generate, reasoning tokens included." },
    n: { type: "integer", minimum: 1, maximum: 128, default: 1, description: "How many choices to generate; each is stored as an output." },
    stop: { type: ["string", "array"], items: { type: "string" }, maxItems: 4, description: "Up to 4 sequences where generation stops." },
    presence_penalty: {
      type: "number",
      minimum: -2,
      maximum: 2,
      default: 0,
      description: "Penalises tokens already present: favours new topics.",
    },
    frequency_penalty: {
      type: "number",
      minimum: -2,
      maximum: 2,
      default: 0,
      description: "Penalises tokens by their frequency so far: less repetition.",
    },
    logit_bias: {
      type: "object",
      additionalProperties: { type: "number", minimum: -100, maximum: 100 },
      description: "Token id to bias (-100 to 100) added to its logit.",
    },
    logprobs: {
      type: "boolean",
      default: false,
      description: "Return the log probabilities of the output tokens (stored in the output's metadata).",
    },
    top_logprobs: {
      type: "integer",
      minimum: 0,
      maximum: 20,
      description: "With logprobs: how many most likely tokens to return per position.",
    },
    seed: { type: "integer", description: "Seed for best-effort deterministic sampling." },
    response_format: {
      type: "object",
      description: "Output format: {type: text}, {type: json_object} or {type: json_schema, json_schema: {...}}.",
    },
    user: { type: "string", description: "End-user id, for abuse monitoring." },
    tools: {
      type: "array",
      items: { type: "object" },
      description: "Tools (functions) the model may call; calls are stored as tool_calls outputs.",
    },
    tool_choice: { type: ["string", "object"], description: "none, auto, required, or {type: function, function: {name}}." },
    parallel_tool_calls: { type: "boolean", default: true, description: "Allow several tool calls in one reply." },
    functions: { type: "array", items: { type: "object" }, description: "Legacy form of tools." },
    function_call: { type: ["string", "object"], description: "Legacy form of tool_choice: none, auto or {name}." },
    reasoning_effort: { type: "string", enum: ["minimal", "low", "medium", "high"], description: "Reasoning models: how much to reason." },
    stream: { type: "boolean", default: false, description: "Stream the reply even when the caller did not ask." },
    stream_options: { type: "object", description: "When streaming, e.g. {include_usage: true} (the default for OpenAI)." },
    ...connectionSettingsProperties,
  },
  additionalProperties: true,
};

/** Settings of the image provider (`openai-images`). */
export const imageSettingsSchema: JSONSchema = {
  $schema: DRAFT_07,
  title: "OpenAI image generation settings",
  type: "object",
  properties: {
    model: { type: "string", description: "dall-e-2, dall-e-3 or gpt-image-1 (default: the prompt's model name)." },
    n: { type: "integer", minimum: 1, maximum: 10, default: 1, description: "How many images (dall-e-3: 1); each is stored as an output." },
    size: {
      type: "string",
      enum: ["auto", "256x256", "512x512", "1024x1024", "1536x1024", "1024x1536", "1792x1024", "1024x1792"],
      description: "Image size; which sizes a model takes depends on the model.",
    },
    quality: {
      type: "string",
      enum: ["auto", "standard", "hd", "low", "medium", "high"],
      description: "Image quality (dall-e-3: standard, hd; gpt-image: low, medium, high).",
    },
    style: { type: "string", enum: ["vivid", "natural"], description: "dall-e-3 only." },
    response_format: {
      type: "string",
      enum: ["b64_json", "url"],
      default: "b64_json",
      description: "dall-e only: b64_json stores the image in the file; url stores the (expiring) link.",
    },
    output_format: { type: "string", enum: ["png", "jpeg", "webp"], default: "png", description: "gpt-image only: format of the image." },
    output_compression: { type: "integer", minimum: 0, maximum: 100, description: "gpt-image only, jpeg/webp: compression level." },
    background: { type: "string", enum: ["auto", "transparent", "opaque"], description: "gpt-image only." },
    moderation: { type: "string", enum: ["auto", "low"], description: "gpt-image only." },
    user: { type: "string", description: "End-user id, for abuse monitoring." },
    ...connectionSettingsProperties,
  },
  additionalProperties: true,
};

/** Settings of the text-to-speech provider (`openai-speech`). */
export const speechSettingsSchema: JSONSchema = {
  $schema: DRAFT_07,
  title: "OpenAI text-to-speech settings",
  type: "object",
  properties: {
    model: { type: "string", description: "tts-1, tts-1-hd or gpt-4o-mini-tts (default: the prompt's model name)." },
    voice: {
      type: "string",
      enum: ["alloy", "ash", "ballad", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer", "verse", "marin", "cedar"],
      default: "alloy",
      description: "Voice.",
    },
    response_format: { type: "string", enum: ["mp3", "opus", "aac", "flac", "wav", "pcm"], default: "mp3", description: "Audio format." },
    speed: { type: "number", minimum: 0.25, maximum: 4, default: 1, description: "Speaking speed." },
    instructions: { type: "string", description: "gpt-4o-mini-tts only: how to speak (tone, accent, …)." },
    ...connectionSettingsProperties,
  },
  additionalProperties: true,
};

/** Settings of the speech recognition provider (`openai-transcription`). */
export const transcriptionSettingsSchema: JSONSchema = {
  $schema: DRAFT_07,
  title: "OpenAI transcription settings",
  type: "object",
  properties: {
    model: { type: "string", description: "whisper-1, gpt-4o-transcribe or gpt-4o-mini-transcribe (default: the prompt's model name)." },
    task: {
      type: "string",
      enum: ["transcribe", "translate"],
      default: "transcribe",
      description: "transcribe keeps the language; translate gives English (whisper-1 only).",
    },
    language: { type: "string", description: "ISO-639-1 code of the audio's language, e.g. en (improves accuracy)." },
    prompt: { type: "string", description: "Text to guide the style or continue a previous segment (default: the prompt's text input)." },
    response_format: {
      type: "string",
      enum: ["json", "text", "srt", "verbose_json", "vtt"],
      default: "json",
      description: "Format of the transcript.",
    },
    temperature: { type: "number", minimum: 0, maximum: 1, default: 0, description: "Sampling temperature." },
    timestamp_granularities: {
      type: "array",
      items: { type: "string", enum: ["word", "segment"] },
      description: "With verbose_json: word and/or segment timestamps (stored in the output's metadata).",
    },
    ...connectionSettingsProperties,
  },
  additionalProperties: true,
};
