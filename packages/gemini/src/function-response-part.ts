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
import { InvalidInputError, type Prompt, type ToolCall } from "@aiconfig-ts/core";

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The role of a prompt's input object (`input.role`), if it names one. */
function inputRole(prompt: Readonly<Prompt>): string | undefined {
  const input = prompt.input;
  return isObject(input) && typeof input.role === "string" ? input.role : undefined;
}

/** Whether a prompt's input is a function's result: an input object with `role: "tool"` or `role: "function"`. */
export function isFunctionResultInput(prompt: Readonly<Prompt>): boolean {
  const role = inputRole(prompt);
  return role === "tool" || role === "function";
}

/**
 * The `response` object of a function's result text: the text's JSON when it
 * is an object (so `{"error": ...}` says the function failed), else
 * `{output: value}` with the text's JSON value, or the text itself when it is
 * not JSON.
 */
export function functionResponseObject(text: string): { [key: string]: unknown } {
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // plain text: sent as it is
  }
  return isObject(value) ? value : { output: value };
}

/**
 * The function calls of the chat so far that results may still answer: the
 * calls of the latest model turn that made some, with how many results came
 * after it. A later output that is not a call ends them.
 */
export class OpenFunctionCalls {
  #calls: readonly ToolCall[] = [];
  /** Positions in `#calls` of the calls a result answered. */
  readonly #answered = new Set<number>();

  /** A model turn made these calls. */
  called(calls: readonly ToolCall[]): void {
    this.#calls = calls;
    this.#answered.clear();
  }

  /** A model turn answered in text: no call is open any more. */
  closed(): void {
    this.#calls = [];
    this.#answered.clear();
  }

  /** Results given as raw `functionResponse` parts answer that many of the next calls not yet answered. */
  answeredRaw(count: number): void {
    for (let i = 0; i < count; i++) this.match(undefined);
  }

  /**
   * The call a result answers, marked answered: the open call whose `id` is
   * the result's `tool_call_id`, else the first open call not yet answered
   * (results in the order of the calls, as parallel calls are answered);
   * `undefined` when none is left.
   */
  match(toolCallId: string | undefined): ToolCall | undefined {
    let index = toolCallId === undefined ? -1 : this.#calls.findIndex((c) => c.id === toolCallId);
    if (index === -1) index = this.#calls.findIndex((_, i) => !this.#answered.has(i));
    if (index === -1) return undefined;
    this.#answered.add(index);
    return this.#calls[index];
  }
}

/**
 * The `functionResponse` part of a prompt whose input is a function's result
 * (see {@link isFunctionResultInput}): `name` is `input.name`, else the name
 * of the call it answers ({@link OpenFunctionCalls.match}); `id` is
 * `input.tool_call_id`, else that call's id; `response` is
 * {@link functionResponseObject} of the input's rendered text.
 * @param text the input's rendered text (`input.data`, JSON for data that is not a string)
 * @throws {InvalidInputError} when no name is given and no earlier call of the chat is left to answer.
 */
export function functionResponsePart(prompt: Readonly<Prompt>, text: string, open: OpenFunctionCalls): Part {
  const input = prompt.input as { [key: string]: unknown };
  const toolCallId = typeof input.tool_call_id === "string" && input.tool_call_id !== "" ? input.tool_call_id : undefined;
  const call = open.match(toolCallId);
  const name = typeof input.name === "string" && input.name !== "" ? input.name : call?.function.name;
  if (!name) {
    throw new InvalidInputError(
      `prompt "${prompt.name}": its input (role "${String(input.role)}") is a function's result, but no earlier prompt of the chat called a function it could answer: set input.name to the function's name, or put the prompt after the one whose output called the function`,
    );
  }
  const functionResponse: FunctionResponse = { name, response: functionResponseObject(text) };
  const id = toolCallId ?? (call?.function.name === name ? call.id : undefined);
  if (typeof id === "string" && id !== "") functionResponse.id = id;
  return { functionResponse };
}
