/**
 * Test support: resolve and run contexts built from an aiconfig document,
 * without the runtime (plain `{{name}}` substitution, chat history of earlier
 * prompts of the same model, attachments read from base64 or local files).
 * Not part of the package's API.
 */
import { readFileSync } from "node:fs";
import type {
  AIConfig,
  Attachment,
  ChatTurn,
  JSONObject,
  ModelSettings,
  Output,
  Prompt,
  RenderedInput,
  ResolveContext,
  ResolvedAttachment,
  RunContext,
  StreamChunk,
} from "@aiconfig-ts/core";

function modelOf(config: AIConfig, prompt: Prompt): { name: string; settings: ModelSettings } {
  const m = prompt.metadata?.model ?? config.metadata.default_model ?? "";
  const name = typeof m === "string" ? m : m.name;
  const own = typeof m === "string" ? {} : (m.settings ?? {});
  return { name, settings: { ...(config.metadata.models?.[name] ?? {}), ...own } };
}

function render(template: string, params: JSONObject): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`missing parameter ${key}`);
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

function resolveAttachment(a: Attachment): ResolvedAttachment {
  const data = a.data as { kind?: string; value?: string };
  const uri = data.kind === "file_uri" ? data.value : undefined;
  return {
    attachment: a,
    mimeType: a.mime_type ?? "text/plain",
    uri,
    bytes: async () => {
      if (data.kind === "base64") return new Uint8Array(Buffer.from(data.value ?? "", "base64"));
      return new Uint8Array(readFileSync(uri ?? ""));
    },
  };
}

function renderInput(prompt: Prompt, params: JSONObject): RenderedInput {
  const input = prompt.input;
  if (typeof input === "string") return { text: render(input, params), attachments: [] };
  const text = typeof input.data === "string" ? render(input.data, params) : input.data === undefined ? "" : JSON.stringify(input.data);
  return { text, attachments: (input.attachments ?? []).map(resolveAttachment) };
}

function paramsOf(config: AIConfig, prompt: Prompt, extra: JSONObject = {}): JSONObject {
  const outputs: JSONObject = {};
  for (const p of config.prompts) {
    const data = p.outputs?.at(-1)?.data;
    if (typeof data === "string") outputs[`${p.name}.output`] = data;
  }
  return { ...outputs, ...(config.metadata.parameters ?? {}), ...(prompt.metadata?.parameters ?? {}), ...extra };
}

/** A ResolveContext for `promptName` of `config`. */
export function resolveContext(
  config: AIConfig,
  promptName: string,
  options: { env?: Record<string, string | undefined>; parameters?: JSONObject; outputText?: (o: Output) => string | undefined } = {},
): ResolveContext {
  const index = config.prompts.findIndex((p) => p.name === promptName);
  const prompt = config.prompts[index] as Prompt;
  const { name, settings } = modelOf(config, prompt);
  const parameters = paramsOf(config, prompt, options.parameters);
  return {
    config,
    prompt,
    model: name,
    settings,
    parameters,
    input: renderInput(prompt, parameters),
    render: (t) => render(t, parameters),
    chatHistory: () => {
      if (prompt.metadata?.remember_chat_context === false) return [];
      const turns: ChatTurn[] = [];
      for (const earlier of config.prompts.slice(0, index)) {
        if (modelOf(config, earlier).name !== name) continue;
        const output = earlier.outputs?.filter((o) => o.output_type === "execute_result").at(-1);
        const text = output ? (options.outputText?.(output) ?? (typeof output.data === "string" ? output.data : undefined)) : undefined;
        turns.push({ prompt: earlier, input: renderInput(earlier, paramsOf(config, earlier)), output, outputText: text });
      }
      return turns;
    },
    configDir: undefined,
    env: options.env ?? {},
  };
}

/** A RunContext for a resolve context, collecting streamed chunks in `chunks`. */
export function runContext(
  resolve: ResolveContext,
  options: { streaming?: boolean; signal?: AbortSignal; env?: Record<string, string | undefined> } = {},
): RunContext & { chunks: StreamChunk[] } {
  const chunks: StreamChunk[] = [];
  return {
    prompt: resolve.prompt,
    model: resolve.model,
    settings: resolve.settings,
    signal: options.signal ?? new AbortController().signal,
    streaming: options.streaming ?? false,
    stream: (c) => {
      chunks.push(c);
    },
    configDir: undefined,
    env: options.env ?? resolve.env,
    storeBinary: async (bytes) => ({ kind: "base64", value: Buffer.from(bytes).toString("base64") }),
    chunks,
  };
}

/** A one-prompt document. */
export function onePromptConfig(prompt: Prompt, metadata: AIConfig["metadata"] = {}): AIConfig {
  return { name: "test", schema_version: "latest", metadata, prompts: [prompt] };
}
