/**
 * Runs a llama request (the provider's `run`): makes sure the model file is
 * there (downloading the default model), loads it (cached), lends a pooled
 * context, and generates with node-llama-cpp: `LlamaCompletion` for base
 * models, `LlamaChatSession` with the model's own chat template for chat
 * models. Streams text, stops promptly on abort.
 *
 * Source: node-llama-cpp 3 guides "Text Completion" and "Using LlamaChatSession".
 *
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { ExecuteResult, RunContext } from "@aiconfig-ts/core";
import type { ChatHistoryItem, Token } from "node-llama-cpp";
import type { LlamaRequest } from "./build-request.js";
import { DEFAULT_MODEL } from "./default-model.js";
import { ensureDefaultModel } from "./download-model.js";
import { LlamaSettingsError } from "./errors.js";
import { readGgufFacts } from "./gguf-info.js";
import { importLlamaCpp, startEngine } from "./engine-start.js";
import { acquireContext, loadModel } from "./llama-engine.js";
import { type LlamaStopReason, mapFinishReason } from "./map-finish-reason.js";
import { MAX_DEFAULT_CONTEXT_SIZE } from "./settings.js";
import { chooseThreads, coreCount } from "./threads.js";

const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`warning: ${message}\n`);
}

/**
 * Runs a request built by `buildLlamaRequest` and returns its one output:
 * `{output_type: "execute_result", data: TEXT, execution_count: 0, metadata:
 * {model, usage: {prompt_tokens, completion_tokens}, finish_reason}}`, where
 * `finish_reason` is `stop` or `length`.
 * @throws {ModelDownloadError} when the default model must be downloaded and cannot be.
 * @throws the signal's reason when `ctx.signal` aborts.
 */
export async function runLlamaRequest(request: LlamaRequest, ctx: RunContext): Promise<ExecuteResult[]> {
  const { signal } = ctx;
  signal.throwIfAborted();
  if (!existsSync(request.model_path) && basename(request.model_path) === DEFAULT_MODEL.file) {
    await ensureDefaultModel({ dir: dirname(request.model_path), env: ctx.env, signal });
  }
  // The engine (import, binary test in a child process) loads while the header is read.
  startEngine().catch(() => {});
  const facts = await readGgufFacts(request.model_path);
  const { threads, clamped } = chooseThreads(request.threads, facts.bytes);
  if (clamped) {
    warnOnce(
      `llama: threads ${request.threads} is more than the ${coreCount()} cores of this machine, using ${threads} (more threads than cores slows generation to under 1 token/s)`,
    );
  }
  const contextSize = request.context_size ?? Math.min(facts.trainContextSize ?? MAX_DEFAULT_CONTEXT_SIZE, MAX_DEFAULT_CONTEXT_SIZE);
  const model = await loadModel(request.model_path, signal);
  signal.throwIfAborted();
  const lease = await acquireContext(model, request.model_path, threads, contextSize);
  try {
    signal.throwIfAborted();
    const { sequence } = lease;
    const before = sequence.tokenMeter.getState();
    const onTextChunk = ctx.streaming ? (delta: string) => ctx.stream({ delta, index: 0 }) : undefined;
    const options = {
      maxTokens: request.max_tokens,
      temperature: request.temperature,
      topK: request.top_k,
      topP: request.top_p,
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.stop ? { customStopTriggers: request.stop } : {}),
      ...(onTextChunk ? { onTextChunk } : {}),
      signal,
    };
    const llamaCpp = await importLlamaCpp();
    let text: string;
    let stopReason: LlamaStopReason;
    let promptTokenCount: number | undefined;
    if (request.mode === "chat") {
      const messages = request.messages ?? [];
      const last = messages.at(-1);
      if (last?.role !== "user") {
        throw new LlamaSettingsError("messages", `request for ${request.model_path}: messages must end with a user message`);
      }
      const history: ChatHistoryItem[] = messages
        .slice(0, -1)
        .map((m) =>
          m.role === "system"
            ? { type: "system", text: m.content }
            : m.role === "user"
              ? { type: "user", text: m.content }
              : { type: "model", response: [m.content] },
        );
      const session = new llamaCpp.LlamaChatSession({ contextSequence: sequence, autoDisposeSequence: false });
      try {
        session.setChatHistory(history);
        const result = await session.promptWithMeta(last.content, options);
        text = result.responseText;
        stopReason = result.stopReason;
      } finally {
        session.dispose({ disposeSequence: false });
      }
    } else {
      const completion = new llamaCpp.LlamaCompletion({ contextSequence: sequence });
      try {
        // The prompt's tokens and the reply's text as llama.cpp gives them (and wllama in the page): node-llama-cpp,
        // given text, trims SentencePiece's space prefix ("Once" became "O" "n" "ce": other tokens, so another story),
        // and reads the reply without the prompt before it, dropping the space its first token starts with
        // ("park." + " One day" became "park.One day" in a chain).
        const promptTokens = model.tokenize(request.prompt ?? "");
        const generated: Token[] = [];
        let chunk: readonly Token[] = [];
        const result = await completion.generateCompletionWithMeta(promptTokens, {
          ...options,
          onToken: (tokens) => {
            chunk = tokens;
            generated.push(...tokens);
          },
          ...(onTextChunk
            ? {
                onTextChunk: (delta: string) =>
                  onTextChunk(generated.length === chunk.length ? model.detokenize(chunk, false, promptTokens) : delta),
              }
            : {}),
        });
        text = generated.length > 0 ? model.detokenize(generated, false, promptTokens) : result.response;
        stopReason = result.metadata.stopReason;
        // the prompt's tokens, the beginning-of-text token included, as llama.cpp counts them (node-llama-cpp's
        // meter leaves that token out)
        promptTokenCount = promptTokens.length + (model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? 1 : 0);
      } finally {
        completion.dispose({ disposeSequence: false });
      }
    }
    const used = sequence.tokenMeter.diff(before);
    return [
      {
        output_type: "execute_result",
        data: text,
        execution_count: 0,
        metadata: {
          model: ctx.model,
          usage: { prompt_tokens: promptTokenCount ?? used.usedInputTokens, completion_tokens: used.usedOutputTokens },
          finish_reason: mapFinishReason(stopReason),
        },
      },
    ];
  } finally {
    lease.release();
  }
}
