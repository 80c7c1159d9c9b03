/**
 * The two shapes of a chat's earlier prompts that a provider is given
 * ({@link ResolveContext}): the list of {@link ChatTurn} objects
 * (`chatHistory()`) and the positional view {@link ChatTurns}
 * (`chatTurns()`), and the conversions between them, so that a provider
 * reads {@link ChatTurns} whichever shape its host built.
 *
 * @packageDocumentation
 */
import type { ChatTurn, ChatTurns, ResolveContext } from "./provider.js";

/**
 * The error of a {@link ChatTurns} method given a position that is not a
 * turn (for implementations of {@link ChatTurns}).
 * @param index the position asked for
 * @param length the number of turns
 */
export function chatTurnOutOfRange(index: number, length: number): RangeError {
  return new RangeError(`chat turn ${index} does not exist: there are ${length} (0 to ${length - 1})`);
}

/** {@link ChatTurns} over a list of {@link ChatTurn} objects. */
class ListedChatTurns implements ChatTurns {
  readonly length: number;
  constructor(readonly turns: readonly ChatTurn[]) {
    this.length = turns.length;
  }
  #turn(index: number): ChatTurn {
    const turn = this.turns[index];
    if (turn === undefined) throw chatTurnOutOfRange(index, this.length); // also for -1, 0.5, NaN: no such element
    return turn;
  }
  prompt(index: number) {
    return this.#turn(index).prompt;
  }
  text(index: number) {
    return this.#turn(index).input.text;
  }
  attachments(index: number) {
    return this.#turn(index).input.attachments;
  }
  output(index: number) {
    return this.#turn(index).output;
  }
  outputText(index: number) {
    return this.#turn(index).outputText;
  }
}

/**
 * A list of {@link ChatTurn} objects read as {@link ChatTurns} (for a
 * {@link ResolveContext} built with `chatHistory()` only, e.g. by a test or
 * an older host).
 */
export function chatTurnsFromList(turns: readonly ChatTurn[]): ChatTurns {
  return new ListedChatTurns(turns);
}

/**
 * The {@link ChatTurn} objects of a {@link ChatTurns} view (what
 * `ResolveContext.chatHistory()` returns): renders every turn's input, one
 * object per turn and per rendered input.
 * @throws {TemplateError} when a turn's template cannot be read
 */
export function chatTurnList(turns: ChatTurns): ChatTurn[] {
  if (turns instanceof ListedChatTurns) return turns.turns.slice();
  const list: ChatTurn[] = [];
  for (let i = 0; i < turns.length; i++) {
    list.push({
      prompt: turns.prompt(i),
      input: { text: turns.text(i), attachments: turns.attachments(i) },
      output: turns.output(i),
      outputText: turns.outputText(i),
    });
  }
  return list;
}

/**
 * The earlier prompts a provider sends as chat turns, read by position:
 * `context.chatTurns()` when the host gives it (the runtime does), else
 * `context.chatHistory()` read as {@link ChatTurns}. Empty when
 * `remember_chat_context` is `false` for the prompt.
 * @throws {TemplateError} (from `chatHistory()`) when a turn's template cannot be read
 */
export function chatTurnsOf(context: Pick<ResolveContext, "chatHistory" | "chatTurns">): ChatTurns {
  return context.chatTurns ? context.chatTurns() : new ListedChatTurns(context.chatHistory());
}
