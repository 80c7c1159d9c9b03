/**
 * Turns generateContent parameters back into prompts (the reverse of
 * `resolve`): each `user` content becomes a prompt, the `model` content after
 * it its outputs (its text or calls, then each image), and the config its
 * settings (names in snake_case).
 *
 * Source: https://ai.google.dev/api/generate-content; the naming of the
 * prompts follows the original AIConfig SDK's chat serializers (`NAME_1`,
 * `NAME_2`, ..., the last one `NAME`).
 *
 * @packageDocumentation
 */
import type { Content, Part } from "@google/genai";
import {
  AIConfigError,
  type ChatTurnToSerialize,
  chatTurnsToPrompts,
  type Attachment,
  type JSONObject,
  type JSONValue,
  type ModelSettings,
  type Output,
  type Prompt,
  type PromptInput,
  type SerializeContext,
} from "@aiconfig-ts/core";
import { snakeCase } from "./camel-case.js";
import { mediaParts, partsText, partsToolCalls } from "./convert-gemini-response.js";
import { mergeFunctionCallParts } from "./merge-function-call-parts.js";
import { partsThoughtSignatures, partThoughtSignature } from "./thought-signatures.js";

function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The text of a `systemInstruction`: a string, a part, a content, or parts. */
function instructionText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(instructionText).join("\n");
  if (isObject(value)) return Array.isArray(value.parts) ? instructionText(value.parts) : typeof value.text === "string" ? value.text : "";
  return "";
}

/**
 * The settings of a request's config: field names in snake_case,
 * `systemInstruction` as `system_prompt`, the request's `model` when it is
 * not the model name the prompts get; `abortSignal` and `httpOptions` left out.
 */
export function configSettings(request: { model?: unknown; config?: unknown }, model: string): ModelSettings {
  const settings: ModelSettings = {};
  if (typeof request.model === "string" && request.model !== model) settings.model = request.model;
  if (!isObject(request.config)) return settings;
  for (const [key, value] of Object.entries(request.config)) {
    if (key === "abortSignal" || key === "httpOptions" || value === undefined) continue;
    if (key === "systemInstruction") settings.system_prompt = instructionText(value);
    else settings[snakeCase(key)] = value as JSONValue;
  }
  return settings;
}

/**
 * The prompt input for a user content's parts: text parts joined; inline and
 * file data as attachments; parts of other kinds (e.g. `functionResponse`)
 * kept as raw parts in `input.data`.
 */
export function partsToInput(parts: readonly Part[]): PromptInput {
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  for (const part of parts) {
    if (typeof part.text === "string") texts.push(part.text);
    else if (part.inlineData?.data) {
      attachments.push({
        data: { kind: "base64", value: part.inlineData.data },
        mime_type: part.inlineData.mimeType ?? "application/octet-stream",
      });
    } else if (part.fileData?.fileUri) {
      attachments.push({
        data: { kind: "file_uri", value: part.fileData.fileUri },
        mime_type: part.fileData.mimeType ?? "application/octet-stream",
      });
    } else return { data: parts as unknown as JSONValue };
  }
  const text = texts.join("\n");
  return attachments.length === 0 ? text : { data: text, attachments };
}

/**
 * The outputs of a model content: its text, or its function calls as
 * `{kind: "tool_calls"}` (text beside them in `metadata.text`), with the
 * parts' thought signatures in `metadata.thoughtSignatures`; then one output
 * per `inlineData` part (an image an image model made) with its data in
 * base64, its signature (`thoughtSignatures.inlineData`) and its place in the
 * text (`textBefore`), the text output left out when there is no text. As
 * `responseToOutputs` stores a reply, so that resolving gives the content back.
 */
function modelOutputs(parts: readonly Part[]): Output[] {
  const text = partsText(parts);
  const calls = partsToolCalls(parts);
  const media = mediaParts(parts);
  const outputs: Output[] = [];
  if (calls.length > 0 || text !== "" || media.length === 0) {
    const metadata: JSONObject = { role: "model" };
    if (calls.length > 0 && text !== "") metadata.text = text;
    const signatures = partsThoughtSignatures(mergeFunctionCallParts(parts));
    if (signatures) metadata.thoughtSignatures = signatures as JSONObject;
    const data = calls.length > 0 ? { kind: "tool_calls" as const, value: calls } : text;
    outputs.push({ output_type: "execute_result", execution_count: 0, data, metadata });
  }
  for (const { part, textBefore } of media) {
    const { data, mimeType = "application/octet-stream" } = part.inlineData as { data: string; mimeType?: string };
    const metadata: JSONObject = { role: "model" };
    const signature = partThoughtSignature(part);
    if (signature) metadata.thoughtSignatures = { inlineData: signature };
    if (text !== "") metadata.textBefore = textBefore;
    outputs.push({
      output_type: "execute_result",
      execution_count: 0,
      data: { kind: "base64", value: data },
      mime_type: mimeType,
      metadata,
    });
  }
  return outputs;
}

function toContents(contents: unknown): Content[] | undefined {
  if (typeof contents === "string") return [{ role: "user", parts: [{ text: contents }] }];
  if (isObject(contents)) return toContents([contents]);
  if (!Array.isArray(contents)) return undefined;
  if (contents.every((c) => typeof c === "string" || (isObject(c) && !("parts" in c)))) {
    return [{ role: "user", parts: contents.map((c) => (typeof c === "string" ? { text: c } : c)) }];
  }
  return contents.map((c) =>
    isObject(c) ? { role: c.role ?? "user", parts: c.parts ?? [] } : { role: "user", parts: [{ text: String(c) }] },
  );
}

/**
 * Turns generateContent parameters (`{model, contents, config}`) into prompts.
 * @throws {AIConfigError} when the request has no `contents`.
 */
export function serializeGeminiRequest(request: unknown, context: SerializeContext): Prompt[] {
  const body = request as { model?: unknown; contents?: unknown; config?: unknown };
  const contents = isObject(body) ? toContents(body.contents) : undefined;
  if (!contents) {
    throw new AIConfigError(`cannot serialize prompt "${context.promptName}": expected Gemini generateContent parameters with "contents"`);
  }
  const settings = configSettings(body, context.model);
  const model = Object.keys(settings).length > 0 ? { name: context.model, settings } : context.model;
  const turns: ChatTurnToSerialize[] = [];
  const outputs: Output[][] = [];
  contents.forEach((content, i) => {
    if (content.role === "model") return;
    const next = contents[i + 1];
    const replies = next?.role === "model" ? modelOutputs(next.parts ?? []) : [];
    turns.push({ input: partsToInput(content.parts ?? []), output: replies[0] });
    outputs.push(replies);
  });
  const prompts = chatTurnsToPrompts(turns, context, model);
  // A reply with images is several outputs (its text, then each image); chatTurnsToPrompts keeps the first.
  prompts.forEach((prompt, i) => {
    if ((outputs[i]?.length ?? 0) > 1) prompt.outputs = outputs[i];
  });
  return prompts;
}
