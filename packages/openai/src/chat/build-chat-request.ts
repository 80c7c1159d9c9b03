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
import { chatTurnsOf, type JSONValue, type ResolveContext } from "@aiconfig-ts/core";
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

/**
 * Builds the request of a prompt.
 * @throws {InputError} for a malformed `system_prompt` or `messages` setting, or attachments chat models do not take.
 * @throws {MissingParameterError} (from core) for a template using an undefined parameter.
 */
export async function buildChatRequest(ctx: ResolveContext): Promise<ChatRequest> {
  const { settings, prompt } = ctx;
  const messages: ChatCompletionMessageParam[] = [];
  const system = systemMessage(settings.system_prompt, (t) => ctx.render(t), prompt.name);
  const template = messageInputTemplate(prompt.input);
  const text = template !== undefined && ctx.input.text === "" ? ctx.render(template) : ctx.input.text;
  if (settings.messages !== undefined && settings.messages !== null) {
    const given = renderMessages(settings.messages, (t) => ctx.render(t), prompt.name);
    if (system && !given.some((m) => m.role === "system" || m.role === "developer")) messages.push(system);
    messages.push(...given);
  } else {
    if (system) messages.push(system);
    if (settings.remember_chat_context !== false) {
      const render = (t: string) => ctx.render(t);
      const turns = chatTurnsOf(ctx);
      for (let i = 0; i < turns.length; i++) {
        const turnPrompt = turns.prompt(i);
        const attachments = turns.attachments(i);
        if (typeof turnPrompt.input === "string" && attachments.length === 0) {
          // Most turns: a string input is a user message of its text (what the conversions below give it).
          messages.push({ role: "user", content: turns.text(i) });
        } else {
          const turnText = inputText(turns.text(i), messageInputTemplate(turnPrompt.input), render);
          // No await (a turn of the event loop each) unless attachments need reading.
          messages.push(
            inputMessageWithoutAttachments(turnPrompt, turnText, attachments) ??
              (await inputMessage(turnPrompt, turnText, { text: turnText, attachments })),
          );
        }
        const output = turns.output(i);
        if (output?.output_type === "execute_result" && typeof output.data === "string") {
          // A text output is an assistant message of its text (what assistantMessage gives it).
          messages.push({ role: "assistant", content: output.data });
        } else {
          const reply = assistantMessage(output, turns.outputText(i));
          if (reply) messages.push(reply);
        }
      }
    }
  }
  messages.push(inputMessageWithoutAttachments(prompt, text, ctx.input.attachments) ?? (await inputMessage(prompt, text, ctx.input)));
  return { model: requestModel(settings, ctx.model), messages, ...passThroughSettings(settings, OWN_CHAT_SETTING_KEYS) };
}
