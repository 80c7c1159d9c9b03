/**
 * Test support: hand-built ResolveContext and RunContext objects, so that the
 * provider runs without the runtime.
 */
import type { AIConfig, ChatTurn, ModelSettings, Prompt, ResolveContext, RunContext, StreamChunk } from "@aiconfig-ts/core";
import { modelsDir as sharedModelsDir } from "@aiconfig-ts/testing";

/** Environment of the tests: the shared models folder. */
export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { AICONFIG_MODELS_DIR: sharedModelsDir, HOME: process.env["HOME"], ...extra };
}

/** Options of {@link resolveContext}. */
export interface ResolveContextOptions {
  model?: string;
  settings?: ModelSettings;
  text: string;
  history?: { input: string; output?: string }[];
  configDir?: string;
  env?: Record<string, string | undefined>;
}

/** A ResolveContext for one prompt named `p` with rendered input `text`. */
export function resolveContext(options: ResolveContextOptions): ResolveContext {
  const model = options.model ?? "stories260K";
  const prompt: Prompt = { name: "p", input: options.text, metadata: { model: { name: model, settings: options.settings ?? {} } } };
  const config: AIConfig = { name: "test", schema_version: "latest", metadata: {}, prompts: [prompt] };
  const turns: ChatTurn[] = (options.history ?? []).map((h, i) => ({
    prompt: { name: `h${i}`, input: h.input },
    input: { text: h.input, attachments: [] },
    output: h.output === undefined ? undefined : { output_type: "execute_result", data: h.output },
    outputText: h.output,
  }));
  return {
    config,
    prompt,
    model,
    settings: options.settings ?? {},
    parameters: {},
    input: { text: options.text, attachments: [] },
    render: (template) => template,
    chatHistory: () => turns,
    configDir: options.configDir,
    env: options.env ?? testEnv(),
  };
}

/** A RunContext, and the chunks it received. */
export function runContext(
  options: { streaming?: boolean; signal?: AbortSignal; env?: Record<string, string | undefined>; model?: string } = {},
): {
  ctx: RunContext;
  chunks: StreamChunk[];
} {
  const chunks: StreamChunk[] = [];
  const ctx: RunContext = {
    prompt: { name: "p", input: "" },
    model: options.model ?? "stories260K",
    settings: {},
    signal: options.signal ?? new AbortController().signal,
    streaming: options.streaming ?? false,
    stream: (chunk) => chunks.push(chunk),
    configDir: undefined,
    env: options.env ?? testEnv(),
    storeBinary: async () => {
      throw new Error("the llama provider stores no binary output");
    },
  };
  return { ctx, chunks };
}
