/**
 * The chat messages of a Text Generation prompt sent to a chat completion API.
 *
 * @packageDocumentation
 */
import { chatTurnsOf, type ResolveContext } from "@aiconfig-ts/core";

/** A chat message, as chat completion APIs (OpenAI's shape) take it. */
export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
  [key: string]: string;
}

/**
 * The messages for a prompt: the `system_prompt` setting (when set, rendered
 * as a template with the prompt's parameters), then for
 * each earlier prompt of the same model (see `ResolveContext.chatTurns`;
 * none when `remember_chat_context` is false) its text as a user message and
 * its latest output's text as an assistant message, then the prompt's text.
 * Turns without text are left out.
 */
export function chatMessages(ctx: ResolveContext): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const system = ctx.settings["system_prompt"];
  if (typeof system === "string" && system !== "") messages.push({ role: "system", content: ctx.render(system) });
  const turns = chatTurnsOf(ctx);
  for (let i = 0; i < turns.length; i++) {
    const text = turns.text(i);
    if (text !== "") messages.push({ role: "user", content: text });
    const outputText = turns.outputText(i);
    if (outputText) messages.push({ role: "assistant", content: outputText });
  }
  messages.push({ role: "user", content: ctx.input.text });
  return messages;
}
