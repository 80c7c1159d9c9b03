/**
 * Builds the `contents` of a generateContent request from a prompt, its
 * attachments and the chat context (earlier prompts of the same model).
 *
 * Source: https://ai.google.dev/api/caching#Content (roles `user` and
 * `model`, parts), https://ai.google.dev/gemini-api/docs/image-understanding
 * (inline data) and https://ai.google.dev/gemini-api/docs/function-calling
 * (function calls and their results across turns).
 *
 * @packageDocumentation
 */
import type { Content, Part } from "@google/genai";
import {
  chatTurnsOf,
  encodeBase64,
  OpenToolCalls,
  type Prompt,
  type RenderedInput,
  type ResolveContext,
  type ResolvedAttachment,
} from "@aiconfig-ts/core";
import { functionResponsePart, isFunctionResultInput } from "./function-response-part.js";
import { isImageOutput, mediaModelParts } from "./media-model-parts.js";
import { outputToolCalls, textModelParts, toolCallsModelParts } from "./model-turn-parts.js";
import { sendsPlaceholderSignature } from "./thought-signatures.js";

const PART_KEYS = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "executableCode", "codeExecutionResult"];

function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The part of one attachment: the text of a `text/*` attachment, else its
 * bytes as base64 `inlineData` with its MIME type (images, audio, video, PDF).
 * @throws {AttachmentError} (from `bytes()`) when the data cannot be read.
 */
export async function attachmentToPart(attachment: ResolvedAttachment): Promise<Part> {
  const bytes = await attachment.bytes();
  if (attachment.mimeType.startsWith("text/")) return { text: new TextDecoder().decode(bytes) };
  const mimeType = attachment.mimeType === "image/jpg" ? "image/jpeg" : attachment.mimeType;
  return { inlineData: { mimeType, data: encodeBase64(bytes) } };
}

/**
 * Parts written directly in the file: `input.data` as an array of Gemini
 * parts (objects with `text`, `inlineData`, `functionResponse`, ...), as
 * `serialize` stores a function response. `undefined` for any other input.
 */
export function rawParts(prompt: Readonly<Prompt>): Part[] | undefined {
  const input = prompt.input;
  if (typeof input !== "object" || input === null || !Array.isArray(input.data) || input.data.length === 0) return undefined;
  if (!input.data.every((p) => isObject(p) && PART_KEYS.some((k) => k in p))) return undefined;
  return input.data as unknown as Part[];
}

/**
 * The parts of a user turn: the attachments, then the text (Gemini's docs put
 * the text after the media).
 * @param render renders the text of raw text parts (the current prompt only).
 */
export async function toUserParts(prompt: Readonly<Prompt>, input: RenderedInput, render?: (template: string) => string): Promise<Part[]> {
  const parts: Part[] = [];
  for (const attachment of input.attachments) parts.push(await attachmentToPart(attachment));
  const raw = rawParts(prompt);
  if (raw) {
    for (const part of raw) parts.push(typeof part.text === "string" && render ? { ...part, text: render(part.text) } : part);
    return parts;
  }
  if (input.text !== "" || parts.length === 0) parts.push({ text: input.text });
  return parts;
}

function push(contents: Content[], role: "user" | "model", parts: Part[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last?.role === role) last.parts = [...(last.parts ?? []), ...parts];
  else contents.push({ role, parts });
}

/**
 * The parts of a user turn in a chat where function calls may be open: a
 * function's result (`role: "tool"` / `"function"` input, see
 * `isFunctionResultInput`) is a `functionResponse` part answering one of
 * `open`'s calls, then the attachments; any other input is
 * {@link toUserParts}, whose raw `functionResponse` parts answer open calls too.
 */
async function userTurnParts(
  prompt: Readonly<Prompt>,
  input: RenderedInput,
  open: OpenToolCalls,
  render?: (template: string) => string,
): Promise<Part[]> {
  if (isFunctionResultInput(prompt) && !rawParts(prompt)) {
    const parts = [functionResponsePart(prompt, input.text, open)];
    for (const attachment of input.attachments) parts.push(await attachmentToPart(attachment));
    return parts;
  }
  const parts = await toUserParts(prompt, input, render);
  open.answeredRaw(parts.filter((p) => p.functionResponse).length);
  return parts;
}

/**
 * The contents for a prompt: for each earlier prompt of the chat context
 * (`chatTurnsOf(context)`, empty when `remember_chat_context` is false) its
 * input as a `user` turn and its latest output as a `model` turn, then the
 * prompt's own input. An output with tool calls is a model turn of
 * `functionCall` parts with their thought signatures (see
 * `toolCallsModelParts`); an output that is an image (an image model's reply)
 * is a model turn of the reply's text and `inlineData` parts in their order,
 * each image read from where it is stored and sent with its signature (see
 * `mediaModelParts`); an input that is a function's result (`role: "tool"`,
 * see `functionResponsePart`) is a `functionResponse` part answering the
 * calls before it. Turns of the same role in a row are merged (so the
 * results of parallel calls are one turn), empty ones left out.
 * @throws {InvalidInputError} when a stored call's arguments are not a JSON
 *   object, or a function's result names no function and answers no call.
 * @throws {AttachmentError} when a stored image output cannot be read, or is
 *   a file outside the aiconfig file's folder or an `http(s):` URL.
 * @param model the request's model id: whether an unsigned call gets the placeholder signature (see `sendsPlaceholderSignature`)
 */
export async function toGeminiContents(context: ResolveContext, model: string): Promise<Content[]> {
  const contents: Content[] = [];
  const placeholder = sendsPlaceholderSignature(model);
  const turns = chatTurnsOf(context);
  const open = new OpenToolCalls();
  for (let i = 0; i < turns.length; i++) {
    const prompt = turns.prompt(i);
    const text = turns.text(i);
    const attachments = turns.attachments(i);
    if (typeof prompt.input === "string" && attachments.length === 0) {
      // A string input without attachments is one text part (what toUserParts gives), with no await per turn.
      if (text !== "") push(contents, "user", [{ text }]);
    } else {
      const parts = await userTurnParts(prompt, { text, attachments }, open);
      push(
        contents,
        "user",
        parts.filter((p) => p.text !== ""),
      );
    }
    const output = turns.output(i);
    if (output === undefined) continue;
    if (isImageOutput(output)) {
      // An image model's reply: its text and images, in order (the latest output is its last image).
      const turn = await mediaModelParts(prompt, output, { config: context.config, configDir: context.configDir, placeholder });
      push(contents, "model", turn.parts);
      if (turn.calls) open.called(turn.calls);
      else open.closed();
      continue;
    }
    const calls = outputToolCalls(output);
    if (calls) {
      push(contents, "model", toolCallsModelParts(output, calls, prompt.name, placeholder));
      open.called(calls);
    } else {
      push(contents, "model", textModelParts(output, turns.outputText(i)));
      open.closed();
    }
  }
  push(contents, "user", await userTurnParts(context.prompt, context.input, open, context.render));
  return contents;
}
