/**
 * Builds the Chat Completions request body of a prompt (the provider's
 * `resolve`).
 *
 * Follows the original AIConfig OpenAI chat parser (deserialize): the system
 * prompt first, then — unless `remember_chat_context` is false — the earlier
 * prompts of the same model as user turns with their outputs as assistant
 * turns, then the prompt itself; when the settings give `messages`, those are
 * used (rendered) instead of the history and the prompt is appended. Every
 * setting is passed through to the API except this package's own
 * ({@link OWN_CHAT_SETTING_KEYS}).
 *
 * @packageDocumentation
 */
import { type ChatTurns, chatTurnsOf, type JSONValue, type ResolveContext } from "@aiconfig-ts/core";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { CONNECTION_SETTING_KEYS } from "../connection.js";
import {
  assistantMessage,
  inputMessage,
  inputMessageWithoutAttachments,
  messageInputTemplate,
  systemMessage,
} from "./convert-to-openai-messages.js";
import { InputError } from "../errors.js";
import { passThroughSettings, requestModel } from "../request-settings.js";

/**
 * A Chat Completions request body (`POST /chat/completions`): `model`,
 * `messages` and any other parameter of the API, passed through as given.
 * `stream: true` makes the run stream even when the caller did not ask.
 */
export interface ChatRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  stream?: boolean;
  [parameter: string]: unknown;
}

/**
 * Settings that configure this package and are never sent: the connection
 * settings, `system_prompt`, `remember_chat_context` and `messages` (turned
 * into the request's messages).
 */
export const OWN_CHAT_SETTING_KEYS: readonly string[] = [...CONNECTION_SETTING_KEYS, "system_prompt", "remember_chat_context", "messages"];

function renderMessages(messages: JSONValue, render: (t: string) => string, prompt: string): ChatCompletionMessageParam[] {
  if (!Array.isArray(messages)) {
    throw new InputError(`prompt "${prompt}": setting messages must be a list of chat messages ({"role": ..., "content": ...})`);
  }
  return messages.map((m, i) => {
    if (typeof m !== "object" || m === null || Array.isArray(m) || typeof m.role !== "string") {
      throw new InputError(`prompt "${prompt}": setting messages[${i}] must be a chat message with a role, got ${JSON.stringify(m)}`);
    }
    const content = m.content;
    if (typeof content === "string") return { ...m, content: render(content) } as unknown as ChatCompletionMessageParam;
    if (Array.isArray(content)) {
      const parts = content.map((p) =>
        typeof p === "object" && p !== null && !Array.isArray(p) && p.type === "text" && typeof p.text === "string"
          ? { ...p, text: render(p.text) }
          : p,
      );
      return { ...m, content: parts } as unknown as ChatCompletionMessageParam;
    }
    return m as unknown as ChatCompletionMessageParam;
  });
}

/** The rendered text of a prompt's input, reading `{role, content}` inputs of older files too. */
function inputText(text: string, template: string | undefined, render: (t: string) => string): string {
  if (text !== "" || template === undefined) return text;
  try {
    return render(template);
  } catch {
    // An earlier prompt's template may use parameters only it defines; send it as written.
    return template;
  }
}

/** Appends a turn's output as an assistant message, when it has one. */
function pushReply(messages: ChatCompletionMessageParam[], turns: ChatTurns, i: number): void {
  const output = turns.output(i);
  if (output?.output_type === "execute_result" && typeof output.data === "string") {
    // A text output is an assistant message of its text (what assistantMessage gives it).
    messages.push({ role: "assistant", content: output.data });
  } else {
    const reply = assistantMessage(output, turns.outputText(i));
    if (reply) messages.push(reply);
  }
}

/**
 * Appends the chat turns from position `from` on, as long as none has
 * attachments to read.
 * @returns the position of the first turn whose attachments need reading (its messages are not appended), or -1 when all were
 */
function pushTurns(messages: ChatCompletionMessageParam[], turns: ChatTurns, from: number, render: (t: string) => string): number {
  for (let i = from; i < turns.length; i++) {
    const turnPrompt = turns.prompt(i);
    const attachments = turns.attachments(i);
    if (typeof turnPrompt.input === "string" && attachments.length === 0) {
      // Most turns: a string input is a user message of its text (what the conversions below give it).
      messages.push({ role: "user", content: turns.text(i) });
    } else {
      const message = inputMessageWithoutAttachments(
        turnPrompt,
        inputText(turns.text(i), messageInputTemplate(turnPrompt.input), render),
        attachments,
        messages,
      );
      if (message === undefined) return i;
      messages.push(message);
    }
    // pushReply's commonest case read here: a call less per turn, which counts in the code a first resolve runs unoptimised.
    const output = turns.output(i);
    if (output !== undefined && output.output_type === "execute_result" && typeof output.data === "string") {
      messages.push({ role: "assistant", content: output.data });
    } else pushReply(messages, turns, i);
  }
  return -1;
}

function chatRequest(ctx: ResolveContext, messages: ChatCompletionMessageParam[]): ChatRequest {
  return { model: requestModel(ctx.settings, ctx.model), messages, ...passThroughSettings(ctx.settings, OWN_CHAT_SETTING_KEYS) };
}

/**
 * The rest of a request whose messages need attachments read: from the turn
 * at `next` (-1: only the prompt's own input is left), in order, each
 * attachment read before the next turn is rendered.
 */
async function withAttachmentsRead(
  ctx: ResolveContext,
  messages: ChatCompletionMessageParam[],
  turns: ChatTurns | undefined,
  next: number,
  text: string,
): Promise<ChatRequest> {
  const render = (t: string) => ctx.render(t);
  while (turns !== undefined && next !== -1) {
    const turnPrompt = turns.prompt(next);
    const attachments = turns.attachments(next);
    const turnText = inputText(turns.text(next), messageInputTemplate(turnPrompt.input), render);
    messages.push(await inputMessage(turnPrompt, turnText, { text: turnText, attachments }, messages));
    pushReply(messages, turns, next);
    next = pushTurns(messages, turns, next + 1, render);
  }
  messages.push(await inputMessage(ctx.prompt, text, ctx.input, messages));
  return chatRequest(ctx, messages);
}

/**
 * Builds the request of a prompt: the request itself when no attachment
 * needs reading (most prompts: no promise, no turn of the event loop), else
 * a promise of it (attachments are read in order, as the messages go).
 * Errors of the part built before the first attachment to read are thrown,
 * those after it reject the promise; `await` the result either way.
 * @throws {InputError} for a malformed `system_prompt` or `messages` setting, or attachments chat models do not take.
 * @throws {MissingParameterError} (from core) for a template using an undefined parameter.
 */
export function buildChatRequest(ctx: ResolveContext): ChatRequest | Promise<ChatRequest> {
  const { settings, prompt } = ctx;
  const messages: ChatCompletionMessageParam[] = [];
  const system = systemMessage(settings.system_prompt, (t) => ctx.render(t), prompt.name);
  const template = messageInputTemplate(prompt.input);
  const text = template !== undefined && ctx.input.text === "" ? ctx.render(template) : ctx.input.text;
  let turns: ChatTurns | undefined;
  let next = -1;
  if (settings.messages !== undefined && settings.messages !== null) {
    const given = renderMessages(settings.messages, (t) => ctx.render(t), prompt.name);
    if (system && !given.some((m) => m.role === "system" || m.role === "developer")) messages.push(system);
    messages.push(...given);
  } else {
    if (system) messages.push(system);
    if (settings.remember_chat_context !== false) {
      turns = chatTurnsOf(ctx);
      next = pushTurns(messages, turns, 0, (t) => ctx.render(t));
    }
  }
  if (next === -1) {
    const message = inputMessageWithoutAttachments(prompt, text, ctx.input.attachments, messages);
    if (message !== undefined) {
      messages.push(message);
      return chatRequest(ctx, messages);
    }
  }
  return withAttachmentsRead(ctx, messages, turns, next, text);
}
