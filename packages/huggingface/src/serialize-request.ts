/**
 * Turning a request of this package's text-input tasks back into prompts
 * (the reverse of `resolve`, the specification's "serialize").
 *
 * @packageDocumentation
 */
import {
  AIConfigError,
  type Attachment,
  type JSONObject,
  type JSONValue,
  type ModelSettings,
  type Prompt,
  type SerializeContext,
} from "@aiconfig-ts/core";
import type { ChatMessage } from "./chat-messages.js";

function isObject(value: unknown): value is JSONObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The Hub model and SDK arguments of a request: this package's request
 * (`{task, model, args}`, what `resolve` returns) or the SDK's own arguments
 * (`{model, inputs, parameters}` or `{model, messages, ...}`; route and token
 * keys are dropped).
 * @throws {AIConfigError} when `data` is not an object
 */
export function requestArgs(data: unknown, task: string): { model: string | undefined; args: JSONObject } {
  if (!isObject(data)) {
    throw new AIConfigError(
      `Hugging Face ${task} cannot turn ${JSON.stringify(data)} into prompts: pass its request, e.g. {model, inputs, parameters}`,
    );
  }
  const model = typeof data["model"] === "string" ? data["model"] : undefined;
  if (isObject(data["args"])) return { model, args: data["args"] };
  const { model: _model, endpointUrl: _endpoint, provider: _provider, accessToken: _token, ...args } = data;
  return { model, args };
}

/**
 * A prompt with the given input and settings, on `ctx.model`; the request's
 * Hub model is kept as the `model` setting when it differs from `ctx.model`.
 */
export function promptFor(
  ctx: SerializeContext,
  name: string,
  input: Prompt["input"],
  hubModel: string | undefined,
  settings: ModelSettings,
): Prompt {
  const all: ModelSettings = { ...(hubModel && hubModel !== ctx.model ? { model: hubModel } : {}), ...settings };
  return {
    name,
    input,
    metadata: {
      model: Object.keys(all).length ? { name: ctx.model, settings: all } : ctx.model,
      ...(Object.keys(ctx.parameters).length ? { parameters: { ...ctx.parameters } } : {}),
    },
  };
}

/**
 * Settings from a task's `parameters` object: its keys, with the nested
 * generation object (`generate_parameters` or `generation_parameters`)
 * spread into them, as `resolve` reads them.
 */
export function settingsFromParameters(parameters: JSONValue | undefined): ModelSettings {
  if (!isObject(parameters)) return {};
  const { generate_parameters, generation_parameters, ...rest } = parameters;
  return {
    ...rest,
    ...(isObject(generate_parameters) ? generate_parameters : {}),
    ...(isObject(generation_parameters) ? generation_parameters : {}),
  };
}

/**
 * One prompt from a `{inputs, parameters}` request (Summarization,
 * Translation, Text-to-Speech, Text-to-Image, Text Generation's completion API).
 * @param extraSettings settings the request holds outside `parameters` (e.g. `{api: "completion"}`)
 * @throws {AIConfigError} when the request has no text `inputs`
 */
export function serializeTextRequest(data: unknown, ctx: SerializeContext, task: string, extraSettings: ModelSettings = {}): Prompt[] {
  const { model, args } = requestArgs(data, task);
  if (typeof args["inputs"] !== "string")
    throw new AIConfigError(`Hugging Face ${task} cannot turn a request without text "inputs" into prompts`);
  return [promptFor(ctx, ctx.promptName, args["inputs"], model, { ...settingsFromParameters(args["parameters"]), ...extraSettings })];
}

/**
 * The output an assistant message stands for: its `tool_calls` as `{kind:
 * "tool_calls", value}` (its text in `metadata.content`), else its text.
 */
function assistantOutput(message: ChatMessage): NonNullable<Prompt["outputs"]>[number] {
  const content = String(message.content ?? "");
  if (!("tool_calls" in message) || !Array.isArray(message.tool_calls) || message.tool_calls.length === 0) {
    return { output_type: "execute_result", execution_count: 0, data: content };
  }
  return {
    output_type: "execute_result",
    execution_count: 0,
    data: { kind: "tool_calls", value: message.tool_calls },
    ...(content !== "" ? { metadata: { content } } : {}),
  };
}

/**
 * The attachment an `image_url` part stands for: a `data:` URL of base64 as
 * `{kind: "base64"}` data of its MIME type, any other URL as `{kind:
 * "file_uri"}` with the MIME type its extension names (`image/png` when it
 * names none); `undefined` for a part without a URL.
 */
function imageAttachment(part: JSONObject): Attachment | undefined {
  const url = isObject(part["image_url"]) ? part["image_url"]["url"] : undefined;
  if (typeof url !== "string") return undefined;
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) return { data: { kind: "base64", value: data[2] ?? "" }, mime_type: data[1] ?? "image/png" };
  const ext = /\.(png|jpe?g|gif|webp)(\?|$)/i.exec(url)?.[1]?.toLowerCase();
  return { data: { kind: "file_uri", value: url }, mime_type: `image/${ext === undefined ? "png" : ext === "jpg" ? "jpeg" : ext}` };
}

/**
 * The input a user message stands for: its text; with content parts, `{data:
 * TEXT, attachments}`, TEXT its `text` parts joined by new lines and an
 * attachment per `image_url` part (see `imageAttachment`).
 */
function userInput(content: unknown): Prompt["input"] {
  if (!Array.isArray(content)) return String(content ?? "");
  const parts = content.filter(isObject);
  const text = parts.flatMap((p) => (p["type"] === "text" && typeof p["text"] === "string" ? [p["text"]] : [])).join("\n");
  const attachments = parts.flatMap((p) => (p["type"] === "image_url" ? (imageAttachment(p) ?? []) : []));
  return attachments.length > 0 ? { data: text, attachments } : text;
}

/**
 * Prompts from a chat completion request: a system message becomes the
 * `system_prompt` setting; each user message a prompt, and each `role:
 * "tool"` message a prompt whose input is `{role: "tool", tool_call_id,
 * data}` (the last named `ctx.promptName`, earlier ones `NAME_1`, `NAME_2`,
 * ...; a user message of content parts gives its images as attachments, see
 * `userInput`), with the assistant message after it as its output (its `tool_calls`
 * as a `{kind: "tool_calls"}` output); the other keys (`max_tokens`,
 * `tools`, ...) settings of the last prompt.
 */
export function serializeChatRequest(data: unknown, ctx: SerializeContext): Prompt[] {
  const { model, args } = requestArgs(data, "Text Generation");
  const { messages, stream: _s, ...rest } = args;
  if (!Array.isArray(messages))
    throw new AIConfigError(`Hugging Face Text Generation cannot turn a request without "messages" or "inputs" into prompts`);
  const list = messages as unknown as ChatMessage[];
  const system = list.find((m) => m.role === "system")?.content;
  const asked = (m: ChatMessage) => m.role === "user" || m.role === "tool";
  const count = list.filter(asked).length;
  const prompts: Prompt[] = [];
  let n = 0;
  list.forEach((message, i) => {
    if (!asked(message)) return;
    n++;
    const last = n === count;
    const settings: ModelSettings = last ? { ...(system ? { system_prompt: system } : {}), ...rest } : {};
    const input =
      message.role === "tool"
        ? { role: "tool", tool_call_id: message.tool_call_id, data: String(message.content ?? "") }
        : userInput(message.content);
    const prompt = promptFor(ctx, last ? ctx.promptName : `${ctx.promptName}_${n}`, input, model, settings);
    const reply = list[i + 1];
    if (reply?.role === "assistant") prompt.outputs = [assistantOutput(reply)];
    prompts.push(prompt);
  });
  return prompts;
}
