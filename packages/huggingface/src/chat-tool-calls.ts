/**
 * Tool calls on Hugging Face's chat completion route: the calls a reply makes
 * (whole or streamed), stored in the shape every provider shares, and the
 * stored calls sent back in a later prompt's chat context.
 *
 * Source: https://huggingface.co/docs/inference-providers/tasks/chat-completion
 * (OpenAI-compatible: `tools`, `tool_choice`, assistant `tool_calls`,
 * `{role: "tool", tool_call_id, content}` messages) and the chat completion
 * specification of `@huggingface/tasks` (`ChatCompletionOutputToolCall`:
 * `{id, type, function: {name, arguments}}`, where text-generation-inference
 * gives `arguments` as a JSON value rather than JSON text; a stream's
 * `delta.tool_calls` is one call, `{index, id, type, function: {name?, arguments}}`,
 * or a list of them as OpenAI sends it).
 *
 * @packageDocumentation
 */
import type { ToolCall } from "@aiconfig-ts/core";

/** A tool call in a chat message (OpenAI's shape), as the assistant message of a later request carries it. */
export type ChatToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON text of a call's arguments: the string as it came, else the JSON of the value (text-generation-inference's object), `""` when absent. */
function argumentsText(value: unknown): string {
  if (typeof value === "string") return value;
  return value === undefined || value === null ? "" : JSON.stringify(value);
}

/**
 * The tool calls of a whole reply's message (`message.tool_calls`) in the
 * shared shape `{id?, type: "function", function: {name, arguments}}`,
 * `arguments` as JSON text; entries without a string `function.name` are
 * left out. `undefined` when the message makes no call.
 */
export function replyToolCalls(message: unknown): ToolCall[] | undefined {
  const calls = isObject(message) && Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const stored: ToolCall[] = [];
  for (const call of calls) {
    if (!isObject(call) || !isObject(call.function) || typeof call.function.name !== "string") continue;
    stored.push({
      ...(typeof call.id === "string" && call.id !== "" ? { id: call.id } : {}),
      type: "function",
      function: { name: call.function.name, arguments: argumentsText(call.function.arguments) },
    });
  }
  return stored.length > 0 ? stored : undefined;
}

/**
 * The tool calls of a streamed reply, built from its chunks' `delta.tool_calls`
 * per choice: a call per `index`, its id and name from the first piece that
 * has them, its arguments the pieces' text joined.
 */
export class StreamedToolCalls {
  /** Per choice index: per call index, the call so far. */
  readonly #choices = new Map<number, Map<number, { id?: string; name?: string; arguments: string }>>();

  /** Adds a chunk's `delta.tool_calls` (one call or a list) of choice `choice`; anything else is ignored. */
  add(choice: number, toolCalls: unknown): void {
    const pieces = Array.isArray(toolCalls) ? toolCalls : isObject(toolCalls) ? [toolCalls] : [];
    for (const piece of pieces) {
      if (!isObject(piece)) continue;
      let calls = this.#choices.get(choice);
      if (!calls) this.#choices.set(choice, (calls = new Map()));
      const index = typeof piece.index === "number" ? piece.index : 0;
      let call = calls.get(index);
      if (!call) calls.set(index, (call = { arguments: "" }));
      if (call.id === undefined && typeof piece.id === "string" && piece.id !== "") call.id = piece.id;
      const fn = isObject(piece.function) ? piece.function : {};
      if (call.name === undefined && typeof fn.name === "string" && fn.name !== "") call.name = fn.name;
      call.arguments += argumentsText(fn.arguments);
    }
  }

  /** The calls of choice `choice` in index order, in the shared shape (calls that never got a name left out); `undefined` when it made none. */
  calls(choice: number): ToolCall[] | undefined {
    const calls = this.#choices.get(choice);
    if (!calls) return undefined;
    const stored: ToolCall[] = [];
    for (const [, call] of [...calls.entries()].sort(([a], [b]) => a - b)) {
      if (call.name === undefined) continue;
      stored.push({ ...(call.id ? { id: call.id } : {}), type: "function", function: { name: call.name, arguments: call.arguments } });
    }
    return stored.length > 0 ? stored : undefined;
  }
}

/** The start of the ids {@link chatToolCalls} gives calls stored without one. */
const MADE_UP_ID_PREFIX = "call_aiconfig_";

/** Whether an id is one {@link chatToolCalls} made up for a call stored without one (`call_aiconfig_TURN_POSITION`). */
export function isMadeUpCallId(id: string): boolean {
  return id.startsWith(MADE_UP_ID_PREFIX);
}

/**
 * The stored calls of an earlier turn as the assistant message's
 * `tool_calls`: each with its stored id, or `call_aiconfig_TURN_POSITION`
 * for a call stored without one (e.g. made by Gemini 2.5), since a `role:
 * "tool"` message answers a call by id.
 * @param turn the turn's position in the chat context (keeps made-up ids unique)
 */
export function chatToolCalls(calls: readonly ToolCall[], turn: number): ChatToolCall[] {
  return calls.map((call, i) => ({
    id: typeof call.id === "string" && call.id !== "" ? call.id : `${MADE_UP_ID_PREFIX}${turn}_${i}`,
    type: "function",
    function: { name: call.function.name, arguments: typeof call.function.arguments === "string" ? call.function.arguments : "" },
  }));
}
