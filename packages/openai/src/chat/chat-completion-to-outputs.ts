/**
 * Turns a Chat Completions response into AIConfig outputs: one
 * `execute_result` per choice (`execution_count` = the choice's index).
 *
 * Follows the original AIConfig OpenAI chat parser's output format: text as
 * `data`; tool calls as `{kind: "tool_calls", value}` (a legacy
 * `function_call` becomes one tool call without an id); the response's id,
 * model, creation time, usage and the choice's finish reason in `metadata`.
 * Response shape: https://platform.openai.com/docs/api-reference/chat/object
 *
 * @packageDocumentation
 */
import type { ExecuteResult, ToolCall } from "@aiconfig-ts/core";
import type { ChatCompletion } from "openai/resources/chat/completions";

function toolCall(call: Record<string, unknown>): ToolCall {
  const { id, type, function: fn, ...rest } = call as { id?: string; type?: string; function?: { name: string; arguments: string } };
  if (type === "function" || fn) {
    return { ...(id !== undefined ? { id } : {}), type: "function", function: { name: fn?.name ?? "", arguments: fn?.arguments ?? "" } };
  }
  // Custom tool calls (`{type: "custom", custom: {name, input}}`) are kept as they came.
  return { ...(id !== undefined ? { id } : {}), type, ...rest } as unknown as ToolCall;
}

/** Whether the choices are in index order already (a reply's usual order: nothing to sort or copy). */
function inIndexOrder(choices: readonly ChatCompletion.Choice[]): boolean {
  for (let i = 1; i < choices.length; i++) if (choices[i - 1]!.index > choices[i]!.index) return false;
  return true;
}

/**
 * The message fields OpenAI-compatible servers put reasoning text in:
 * DeepSeek's `reasoning_content` (https://api-docs.deepseek.com/guides/reasoning_model)
 * and Groq's `reasoning` (https://console.groq.com/docs/reasoning, `reasoning_format: "parsed"`).
 */
export const REASONING_FIELDS = ["reasoning_content", "reasoning"] as const;

/**
 * The outputs of a chat completion, one per choice, in choice order.
 *
 * `metadata` holds `id`, `model`, `created` (Unix seconds), `usage` (token
 * counts, when the response has them), `finish_reason`, `role: "assistant"`,
 * and when present `system_fingerprint`, `service_tier`, `refusal`,
 * `logprobs`, `annotations`, `content` (text that came with tool calls),
 * and the reasoning text of OpenAI-compatible reasoning models under the
 * name the server gave it: DeepSeek's `reasoning_content`, Groq's
 * `reasoning` (as the Anthropic provider keeps its thinking text in
 * `metadata.thinking`; the answer alone is the output's text).
 */
export function completionToOutputs(completion: ChatCompletion): ExecuteResult[] {
  const choices = inIndexOrder(completion.choices) ? completion.choices : [...completion.choices].sort((a, b) => a.index - b.index);
  return choices.map((choice) => {
    const message = choice.message as ChatCompletion.Choice["message"] & Record<string, unknown>;
    const calls = (message.tool_calls ?? []) as unknown as Record<string, unknown>[];
    let data: ExecuteResult["data"];
    if (calls.length > 0) {
      data = { kind: "tool_calls", value: calls.map(toolCall) };
    } else if (message.function_call) {
      data = {
        kind: "tool_calls",
        value: [{ type: "function", function: { name: message.function_call.name, arguments: message.function_call.arguments } }],
      };
    } else {
      data = message.content ?? message.refusal ?? "";
    }
    const metadata: Record<string, unknown> = { id: completion.id, model: completion.model, created: completion.created };
    if (completion.usage) metadata.usage = completion.usage;
    metadata.finish_reason = choice.finish_reason;
    metadata.role = "assistant";
    if (completion.system_fingerprint) metadata.system_fingerprint = completion.system_fingerprint;
    if (completion.service_tier) metadata.service_tier = completion.service_tier;
    if (message.refusal) metadata.refusal = message.refusal;
    for (const field of REASONING_FIELDS) {
      const reasoning = message[field];
      if (typeof reasoning === "string" && reasoning !== "") metadata[field] = reasoning;
    }
    if (choice.logprobs) metadata.logprobs = choice.logprobs;
    if (Array.isArray(message.annotations) && message.annotations.length > 0) metadata.annotations = message.annotations;
    if (typeof data !== "string" && message.content) metadata.content = message.content;
    return { output_type: "execute_result", execution_count: choice.index, data, metadata } as ExecuteResult;
  });
}
