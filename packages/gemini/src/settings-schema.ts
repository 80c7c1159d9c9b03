/**
 * The settings the Gemini provider reads, as a JSON Schema.
 *
 * Source: the Gemini API reference, `GenerationConfig` and `GenerateContentRequest`
 * (https://ai.google.dev/api/generate-content), and `GenerateContentConfig` of
 * `@google/genai`.
 *
 * @packageDocumentation
 */
import { type JSONSchema, providerFetchSettingsProperties } from "@aiconfig-ts/core";

/**
 * Settings that configure this provider or the client, or that it maps
 * itself, rather than copying them into the request's `config`.
 */
export const OWN_SETTING_KEYS: readonly string[] = [
  "system_prompt",
  "remember_chat_context",
  "api_key",
  "base_url",
  "api_version",
  "max_retries",
  "timeout",
  "max_retry_wait",
  "max_response_bytes",
  "stream",
  "model",
  "max_tokens",
  "generation_config",
  "tools",
  "tool_choice",
];

/**
 * JSON Schema (draft-07) of the Gemini provider's settings. Settings it does
 * not list are copied into the request's `config` with their names in
 * camelCase (`response_logprobs` becomes `responseLogprobs`), so other
 * `GenerateContentConfig` fields work without a change here.
 */
export const geminiSettingsSchema: JSONSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Gemini generateContent settings",
  type: "object",
  additionalProperties: true,
  properties: {
    model: {
      type: "string",
      description: "Model to call, e.g. gemini-2.5-flash; defaults to the prompt's model name.",
    },
    system_prompt: {
      type: ["string", "object"],
      description:
        "System instruction, a template rendered with the prompt's parameters; sent as config.systemInstruction. A {role: 'system', content} message (files serialized from OpenAI) is read too.",
    },
    temperature: { type: "number", minimum: 0, maximum: 2, description: "Sampling temperature; lower is more deterministic." },
    top_p: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "Nucleus sampling: the cumulative probability of the tokens considered.",
    },
    top_k: { type: "integer", minimum: 1, description: "Only sample from the top_k most likely tokens." },
    max_output_tokens: { type: "integer", minimum: 1, description: "Maximum number of tokens to generate." },
    max_tokens: { type: "integer", minimum: 1, description: "Another name of max_output_tokens (read when that is unset)." },
    stop_sequences: {
      type: "array",
      items: { type: "string" },
      maxItems: 5,
      description: "Texts that stop generation (up to 5).",
    },
    candidate_count: { type: "integer", minimum: 1, default: 1, description: "Number of candidates (outputs) to generate." },
    response_mime_type: {
      type: "string",
      description: "MIME type of the generated text: text/plain (default), application/json (JSON mode) or text/x.enum.",
    },
    response_schema: { type: "object", description: "Schema (OpenAPI subset) the JSON output follows." },
    response_json_schema: { type: "object", description: "JSON Schema the JSON output follows." },
    presence_penalty: { type: "number", description: "Penalty for tokens already present in the output." },
    frequency_penalty: { type: "number", description: "Penalty growing with how often a token was used." },
    seed: { type: "integer", description: "Seed for sampling." },
    safety_settings: {
      type: "array",
      items: { type: "object", properties: { category: { type: "string" }, threshold: { type: "string" } } },
      description: "Safety thresholds per harm category, e.g. [{category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH'}].",
    },
    thinking_config: { type: "object", description: "Thinking settings, e.g. {thinking_budget: 0} or {include_thoughts: true}." },
    generation_config: {
      type: "object",
      description: "Settings of the original Gemini extension ({temperature, top_p, top_k, ...}); read under the top-level settings.",
    },
    tools: {
      type: "array",
      items: { type: "object" },
      description:
        "Tools: Gemini tools ({functionDeclarations: [...]}, {googleSearch: {}}, ...), or OpenAI ({type: 'function', function}) / Anthropic ({name, input_schema}) function tools, which are converted.",
    },
    tool_choice: {
      type: ["string", "object"],
      description: "'auto' | 'required' (or 'any') | 'none' | {type: 'function', function: {name}}; sent as config.toolConfig.",
    },
    api_key: {
      type: "string",
      description:
        "API key; by default GOOGLE_API_KEY, else GEMINI_API_KEY, from the environment or the .env beside the file. Prefer the environment.",
    },
    base_url: {
      type: "string",
      description: "API base URL; by default GOOGLE_GEMINI_BASE_URL, else https://generativelanguage.googleapis.com.",
    },
    api_version: { type: "string", description: "API version in the URL path; the SDK's default is v1beta." },
    max_retries: {
      type: "integer",
      minimum: 0,
      default: 0,
      description: "Retries of requests that fail with 408, 429 or 5xx, with exponential backoff (the SDK does not retry by default).",
    },
    timeout: {
      type: "integer",
      minimum: 1,
      description: "Longest wait for the reply's headers and between chunks of it, in milliseconds.",
    },
    ...providerFetchSettingsProperties,
  },
};
