/**
 * JSON Schema of the chat providers' settings (`/chat/completions`,
 * https://platform.openai.com/docs/api-reference/chat/create), for editors'
 * forms and `validate`.
 *
 * @packageDocumentation
 */
import type { JSONSchema } from "@aiconfig-ts/core";
import { openaiSettingsSchema } from "../connection-settings-schema.js";

const message = {
  type: "object",
  required: ["role"],
  properties: {
    role: { type: "string", enum: ["system", "developer", "user", "assistant", "tool", "function"] },
    content: { type: ["string", "array", "null"] },
  },
};

/** Settings of the chat providers (`openai`, `openai-compatible:*`). */
export const chatSettingsSchema: JSONSchema = openaiSettingsSchema("OpenAI chat settings", {
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
});
