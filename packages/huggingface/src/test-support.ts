/**
 * Test support (used by this package's tests only): provider contexts built
 * by hand, as the runtime builds them, and real media bytes from the corpus.
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import type {
  AIConfig,
  ChatTurn,
  ModelSettings,
  Prompt,
  PromptModel,
  ResolveContext,
  ResolvedAttachment,
  RunContext,
  StoredData,
  StreamChunk,
} from "@aiconfig-ts/core";
import { type Reply, fixture, readFixtureJSON } from "@aiconfig-ts/testing";

/** A corpus file, parsed. */
export function readConfig(path: string): AIConfig {
  return JSON.parse(readFileSync(path, "utf8")) as AIConfig;
}

/** A prompt of a config by name. */
export function promptOf(config: AIConfig, name: string): Prompt {
  const prompt = config.prompts.find((p) => p.name === name);
  if (!prompt) throw new Error(`no prompt ${name}`);
  return prompt;
}

/** The model name of a prompt (its `metadata.model`, else the file's `default_model`). */
export function modelNameOf(config: AIConfig, prompt: Prompt): string {
  const model = prompt.metadata?.model;
  return typeof model === "string" ? model : ((model as PromptModel | undefined)?.name ?? String(config.metadata.default_model));
}

/** Root `models[model]` settings merged with the prompt's own (prompt wins), as the runtime merges them. */
export function settingsOf(config: AIConfig, prompt: Prompt): ModelSettings {
  const model = prompt.metadata?.model;
  const own = typeof model === "object" && model ? (model.settings ?? {}) : {};
  return { ...(config.metadata.models?.[modelNameOf(config, prompt)] ?? {}), ...own };
}

/** The bytes of a base64 output of a corpus prompt. */
export function outputBytes(config: AIConfig, promptName: string, index = 0): Uint8Array {
  const output = promptOf(config, promptName).outputs?.[index];
  const data = output?.output_type === "execute_result" ? (output.data as StoredData) : undefined;
  if (data?.kind !== "base64") throw new Error(`prompt ${promptName} has no base64 output ${index}`);
  return Buffer.from(data.value, "base64");
}

/** An attachment holding bytes. */
export function bytesAttachment(bytes: Uint8Array, mimeType: string): ResolvedAttachment {
  return {
    attachment: { data: { kind: "base64", value: Buffer.from(bytes).toString("base64") }, mime_type: mimeType },
    mimeType,
    uri: undefined,
    bytes: async () => bytes,
  };
}

/** What a test context is built from. */
export interface ContextOptions {
  model: string;
  settings?: ModelSettings;
  text?: string;
  attachments?: ResolvedAttachment[];
  env?: Record<string, string | undefined>;
  history?: ChatTurn[];
  promptName?: string;
  configDir?: string;
  streaming?: boolean;
  signal?: AbortSignal;
}

/** A resolve context as the runtime gives it (templates are not rendered). */
export function resolveContext(o: ContextOptions): ResolveContext {
  const prompt: Prompt = {
    name: o.promptName ?? "prompt",
    input: o.text ?? "",
    metadata: { model: { name: o.model, settings: o.settings ?? {} } },
  };
  return {
    config: { name: "test", schema_version: "latest", metadata: {}, prompts: [prompt] },
    prompt,
    model: o.model,
    settings: o.settings ?? {},
    parameters: {},
    input: { text: o.text ?? "", attachments: o.attachments ?? [] },
    render: (t) => t,
    chatHistory: () => o.history ?? [],
    configDir: o.configDir,
    env: o.env ?? {},
  };
}

/** A run context that stores binaries as base64 and records streamed chunks. */
export function runContext(o: ContextOptions): RunContext & { chunks: StreamChunk[] } {
  const chunks: StreamChunk[] = [];
  return {
    prompt: { name: o.promptName ?? "prompt", input: o.text ?? "" },
    model: o.model,
    settings: o.settings ?? {},
    signal: o.signal ?? new AbortController().signal,
    streaming: o.streaming ?? false,
    stream: (c) => {
      chunks.push(c);
    },
    configDir: o.configDir,
    env: o.env ?? {},
    storeBinary: async (bytes) => ({ kind: "base64", value: Buffer.from(bytes).toString("base64") }),
    chunks,
  };
}

/**
 * One exchange of the `@huggingface/inference` test suite's recording
 * (`../shared/fixtures/providers/huggingface/*.json`, see its SOURCE.md).
 */
export interface RecordedExchange {
  recorded_request: { url: string; method: string; content_type: string | null; body: string };
  status: number;
  content_type: string;
  /** The reply's body as text (streams keep their raw `data:` lines). */
  body: string;
}

/** A recorded Hugging Face exchange by file name, e.g. `translation-t5-base.json`. */
export function readRecorded(name: string): RecordedExchange {
  return readFixtureJSON("huggingface", name) as RecordedExchange;
}

/** The recorded reply, replayed byte for byte with its status and content type. */
export function recordedReply(x: RecordedExchange): Reply {
  return { body: x.body, status: x.status, headers: { "content-type": x.content_type } };
}

/** The path the recorded request went to (replays go by path, not host), e.g. `/hf-inference/models/gpt2`. */
export function recordedPath(x: RecordedExchange): string {
  return new URL(x.recorded_request.url).pathname;
}

/** The recorded request's JSON body; `undefined` for binary inputs. */
export function recordedRequestBody(x: RecordedExchange): Record<string, unknown> | undefined {
  return x.recorded_request.content_type === "application/json" ? JSON.parse(x.recorded_request.body) : undefined;
}

/** The bytes of an input file recorded beside the replies (`cheetah.png`, `sample1.flac`). */
export function recordedInput(name: string): Uint8Array {
  return readFileSync(fixture("huggingface", name));
}
