/**
 * The settings the Anthropic provider reads, as a JSON Schema.
 *
 * Source: the Messages API reference (https://docs.anthropic.com/en/api/messages)
 * and the `MessageCreateParams` / `ClientOptions` types of `@anthropic-ai/sdk`.
 *
 * @packageDocumentation
 */
import { type JSONSchema, providerFetchSettingsProperties } from "@aiconfig-ts/core";

/** `max_tokens` sent when the settings give none (the API requires it). */
export const DEFAULT_MAX_TOKENS = 1024;

/**
 * Settings that configure this provider or the client and are never sent in
 * the request body: the system prompt template (sent as `system`), chat
 * context, credentials, endpoint, retries, timeout, and `stream` (streaming is
 * decided by the caller of `run`).
 */
export const OWN_SETTING_KEYS: readonly string[] = [
  "system_prompt",
  "remember_chat_context",
  "api_key",
  "base_url",
  "max_retries",
  "timeout",
  "stream",
  "model",
  "max_tokens_to_sample",
];

/**
 * JSON Schema (draft-07) of the Anthropic provider's settings. Settings it does
 * not list are sent as they are in the request body, so new API parameters
 * work without a change here.
 */
export const anthropicSettingsSchema: JSONSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Anthropic Messages settings",
  type: "object",
  additionalProperties: true,
  properties: {
    model: {
      type: "string",
      description: "Model to call, e.g. claude-sonnet-4-5; defaults to the prompt's model name.",
    },
    max_tokens: {
      type: "integer",
      minimum: 1,
      default: DEFAULT_MAX_TOKENS,
      description: `Maximum number of tokens to generate (required by the API; ${DEFAULT_MAX_TOKENS} when unset).`,
    },
    max_tokens_to_sample: {
      type: "integer",
      minimum: 1,
      description: "Legacy name (Text Completions API) of max_tokens, read when max_tokens is unset.",
    },
    system_prompt: {
      type: ["string", "object"],
      description:
        "System prompt, a template rendered with the prompt's parameters; sent as `system`. A {role: 'system', content} message (files serialized from OpenAI) is read too.",
    },
    temperature: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "Sampling temperature; lower is more deterministic. Newer models may reject sampling settings.",
    },
    top_p: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "Nucleus sampling: only tokens in the top_p probability mass are considered.",
    },
    top_k: {
      type: "integer",
      minimum: 0,
      description: "Only sample from the top_k most likely tokens.",
    },
    stop_sequences: {
      type: "array",
      items: { type: "string" },
      description: "Custom texts that stop generation (stop_reason becomes stop_sequence).",
    },
    metadata: {
      type: "object",
      properties: { user_id: { type: "string" } },
      description: "Request metadata, e.g. an opaque user_id.",
    },
    tools: {
      type: "array",
      items: { type: "object" },
      description:
        "Tools the model may call: Anthropic tools ({name, description, input_schema}) or OpenAI-style function tools ({type: 'function', function: {name, description, parameters}}), which are converted.",
    },
    tool_choice: {
      type: ["object", "string"],
      description:
        "How the model uses tools: {type: 'auto'|'any'|'tool'|'none', name?}, or OpenAI's 'auto' | 'required' | 'none' | {type: 'function', function: {name}}.",
    },
    thinking: {
      type: "object",
      description: "Extended thinking configuration, e.g. {type: 'enabled', budget_tokens: 2048}.",
    },
    output_config: {
      type: "object",
      description: "Output configuration, e.g. {effort: 'high'} or a structured-output format.",
    },
    service_tier: {
      type: "string",
      enum: ["auto", "standard_only"],
      description: "Whether priority capacity may be used.",
    },
    api_key: {
      type: "string",
      description: "API key; by default ANTHROPIC_API_KEY from the environment (or the .env beside the file). Prefer the environment.",
    },
    base_url: {
      type: "string",
      description: "API base URL; by default ANTHROPIC_BASE_URL, else https://api.anthropic.com.",
    },
    max_retries: {
      type: "integer",
      minimum: 0,
      default: 2,
      description: "Retries of failed requests (connection errors, 408, 409, 429, 5xx), with exponential backoff.",
    },
    timeout: {
      type: "integer",
      minimum: 1,
      default: 600000,
      description: "Longest wait for the reply's headers and between chunks of it, in milliseconds.",
    },
    ...providerFetchSettingsProperties,
  },
};
