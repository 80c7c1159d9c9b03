/**
 * A function's result written in a prompt the way the other providers take
 * it (`{role: "tool", tool_call_id?, name?, data}`, or the older
 * `{role: "function", name, data}`), sent to Gemini as a `functionResponse`
 * part of a `user` turn whose `name` (and `id`) match the call it answers.
 *
 * Source: https://ai.google.dev/gemini-api/docs/function-calling
 * (`functionResponse: {name, id?, response}`, the results of parallel calls
 * in one turn) and https://ai.google.dev/api/caching#FunctionResponse
 * (`response` is a JSON object; "output" holds the function's output and
 * "error" its error).
 *
 * @packageDocumentation
 */
import type { FunctionResponse, Part } from "@google/genai";
import { InvalidInputError, OpenToolCalls, type Prompt, toolResultInput } from "@aiconfig-ts/core";

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether a prompt's input is a function's result: an input object with `role: "tool"` or `role: "function"` (core's `toolResultInput`). */
export function isFunctionResultInput(prompt: Readonly<Prompt>): boolean {
  return toolResultInput(prompt) !== undefined;
}

/**
 * The `response` object of a function's result text: the text's JSON when it
 * is an object (so `{"error": ...}` says the function failed), else
 * `{output: value}` with the text's JSON value, or the text itself when it is
 * not JSON. When the result says the function failed (`isError`: the input's
 * `is_error: true`), `{error: value}` instead, unless the value is an object
 * that has an `error` key already: Google reads a response without `output`
 * or `error` keys as the function's output, so an object such as
 * `{"code": 504}` goes as `{error: {code: 504}}`.
 */
export function functionResponseObject(text: string, isError = false): { [key: string]: unknown } {
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // plain text: sent as it is
  }
  if (isObject(value) && (!isError || Object.hasOwn(value, "error"))) return value;
  return isError ? { error: value } : { output: value };
}

/** The function calls of the chat that results may still answer: core's `OpenToolCalls`, under the name this package first gave it. */
export { OpenToolCalls as OpenFunctionCalls };

/**
 * The `functionResponse` part of a prompt whose input is a function's result
 * (see {@link isFunctionResultInput}): `name` is `input.name`, else the name
 * of the call it answers (`OpenToolCalls.match`: by `tool_call_id`, else by `input.name`, else the next); `id` is
 * the id of that call (so a stale `tool_call_id`, naming no open call, is not sent: the id of
 * the call it fell back to is, as Anthropic's `tool_use_id` is), none when that call had none,
 * when no call is left, or when the call is of another function than `name`; `response` is
 * {@link functionResponseObject} of the input's rendered text (under `error`
 * when the input has `is_error: true`, core's `ToolResultInput.isError`).
 * @param text the input's rendered text (`input.data`, JSON for data that is not a string)
 * @throws {InvalidInputError} when no name is given and no earlier call of the chat is left to answer.
 */
export function functionResponsePart(prompt: Readonly<Prompt>, text: string, open: OpenToolCalls): Part {
  const input = prompt.input as { [key: string]: unknown };
  const result = toolResultInput(prompt);
  const toolCallId = result?.toolCallId;
  const call = open.match(toolCallId, result?.name);
  const name = result?.name ?? call?.function.name;
  if (!name) {
    throw new InvalidInputError(
      `prompt "${prompt.name}": its input (role "${String(input.role)}") is a function's result, but no earlier prompt of the chat called a function it could answer: set input.name to the function's name, or put the prompt after the one whose output called the function`,
    );
  }
  const functionResponse: FunctionResponse = { name, response: functionResponseObject(text, result?.isError === true) };
  // The matched call's id, never input.tool_call_id itself: a stale id (one naming no open call) falls back to
  // the next unanswered call, and the response must carry that call's id (or none, as the call had none).
  const id = call?.function.name === name ? call.id : undefined;
  if (typeof id === "string" && id !== "") functionResponse.id = id;
  return { functionResponse };
}
