/**
 * Function calling across turns, the part every chat provider shares: the
 * tool calls an earlier prompt's output made, their arguments read back from
 * the file, whether a prompt's input is a tool's result, and which call such
 * a result answers. Each provider sends them in its own terms (Gemini's
 * `functionCall` / `functionResponse` parts, Anthropic's `tool_use` /
 * `tool_result` blocks). Browser-safe.
 *
 * Source: the shared output shape `{kind: "tool_calls", value: [{id?, type:
 * "function", function: {name, arguments}}]}` (OpenAI's chat completions
 * `tool_calls`, `arguments` being JSON text) and OpenAI's tool message
 * `{role: "tool", tool_call_id, content}` (and the older `{role: "function",
 * name, content}`), which a file writes as the input `{role: "tool",
 * tool_call_id?, name?, data, is_error?}`; `is_error: true` (a failed tool)
 * follows Anthropic's `tool_result` block
 * (https://docs.anthropic.com/en/docs/build-with-claude/tool-use, "Handling errors").
 *
 * @packageDocumentation
 */
import { InvalidInputError } from "../errors.js";
import { isToolCallsData } from "../output-text.js";
import type { Output, Prompt, ToolCall } from "../types.js";

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The tool calls of an output whose data is `{kind: "tool_calls", value}`,
 * leaving out entries without a string `function.name` (the file is
 * untrusted); `undefined` for any other output (text, media, an error).
 */
export function outputToolCalls(output: Output | undefined): ToolCall[] | undefined {
  if (output?.output_type !== "execute_result" || !isToolCallsData(output.data)) return undefined;
  return output.data.value.filter((c) => isObject(c) && isObject(c.function) && typeof c.function.name === "string");
}

/**
 * The arguments of a stored call as an object: its `function.arguments`
 * (JSON text) parsed; empty text gives `{}`.
 * @param prompt the name of the prompt whose output holds the call (for the error)
 * @param position the call's index in the output's `data.value`
 * @throws {InvalidInputError} when the arguments are not the JSON of an object,
 *   one line naming the prompt and the field to correct.
 */
export function toolCallArguments(call: ToolCall, prompt: string, position: number): { [key: string]: unknown } {
  const text = typeof call.function?.arguments === "string" ? call.function.arguments : "";
  if (text.trim() === "") return {};
  let args: unknown;
  try {
    args = JSON.parse(text);
  } catch {
    args = undefined;
  }
  if (!isObject(args)) {
    throw new InvalidInputError(
      `prompt "${prompt}": tool call ${position + 1} of its output has arguments that are not a JSON object: correct outputs[].data.value[${position}].function.arguments, or run the prompt again`,
    );
  }
  return args;
}

/** What a tool's result input says about the call it answers. */
export interface ToolResultInput {
  /** `input.role`: `"tool"` (OpenAI's tool message) or `"function"` (the older function message). */
  readonly role: "tool" | "function";
  /** `input.tool_call_id`, when a non-empty string: the `id` of the call it answers. */
  readonly toolCallId?: string;
  /** `input.name`, when a non-empty string: the name of the function that gave it. */
  readonly name?: string;
  /**
   * `true` when `input.is_error` is exactly `true`: the tool failed and `data`
   * says how (Anthropic's `tool_result` `is_error`). Absent otherwise, whatever
   * else the file wrote there (`"true"`, `1`): the file is untrusted. A provider
   * without such a field sends the result's text as it is.
   */
  readonly isError?: true;
}

/**
 * The tool's result a prompt's input holds: an input object with `role:
 * "tool"` or `role: "function"` (its `data` is the result, `is_error: true`
 * when the tool failed); `undefined` for any other input.
 */
export function toolResultInput(prompt: Readonly<Prompt>): ToolResultInput | undefined {
  const input = prompt.input;
  if (!isObject(input) || (input.role !== "tool" && input.role !== "function")) return undefined;
  const result: { role: "tool" | "function"; toolCallId?: string; name?: string; isError?: true } = { role: input.role };
  const toolCallId = nonEmptyString(input.tool_call_id);
  if (toolCallId !== undefined) result.toolCallId = toolCallId;
  const name = nonEmptyString(input.name);
  if (name !== undefined) result.name = name;
  if (input.is_error === true) result.isError = true;
  return result;
}

/**
 * The tool calls of the chat so far that results may still answer: the calls
 * of the latest model turn that made some, and which of them a result
 * answered. A later model turn that is not a call ends them.
 */
export class OpenToolCalls {
  #calls: readonly ToolCall[] = [];
  /** Positions in `#calls` of the calls a result answered. */
  readonly #answered = new Set<number>();

  /** A model turn made these calls (in the output's order). */
  called(calls: readonly ToolCall[]): void {
    this.#calls = calls;
    this.#answered.clear();
  }

  /** A model turn answered in text: no call is open any more. */
  closed(): void {
    this.called([]);
  }

  /** Results written in a provider's own shape, without a call id, answer that many of the next calls not yet answered. */
  answeredRaw(count: number): void {
    for (let i = 0; i < count; i++) this.match(undefined);
  }

  /**
   * The call a result answers, marked answered: the open call whose `id` is
   * `toolCallId`, else the first one not yet answered whose function is
   * `name`, else the first one not yet answered (results in the order of the
   * calls, as parallel calls are answered); `undefined` when none is left.
   */
  match(toolCallId: string | undefined, name?: string): ToolCall | undefined {
    let index = toolCallId === undefined ? -1 : this.#calls.findIndex((c) => c.id === toolCallId);
    if (index === -1 && name !== undefined) index = this.#calls.findIndex((c, i) => !this.#answered.has(i) && c.function.name === name);
    if (index === -1) index = this.#calls.findIndex((_, i) => !this.#answered.has(i));
    if (index === -1) return undefined;
    this.#answered.add(index);
    return this.#calls[index];
  }

  /** The open calls no result answered yet, in order. */
  unanswered(): ToolCall[] {
    return this.#calls.filter((_, i) => !this.#answered.has(i));
  }
}
