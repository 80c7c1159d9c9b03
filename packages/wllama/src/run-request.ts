/**
 * Runs a wllama request (the provider's `run`) in the page: loads the model
 * (once, see `wllama-engine.ts`), then continues the prompt
 * (`createCompletion`, base models such as stories260K) or answers the
 * messages with the model's own chat template (`createChatCompletion`, GGUF
 * files with `tokenizer.chat_template`). Streams text and stops when the
 * run's signal aborts.
 *
 * @packageDocumentation
 */
import type { ExecuteResult, RunContext } from "@aiconfig-ts/core";
import { MAX_DEFAULT_CONTEXT_SIZE } from "@aiconfig-ts/llama/portable";
import type { WllamaRequest } from "./build-request.js";
import { chooseBrowserThreads } from "./threads.js";
import { loadWllama, remoteSize, type WasmSource } from "./wllama-engine.js";

/** One streamed or whole reply of wllama, as far as this file reads it. */
interface Reply {
  choices: { text?: string; delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

/**
 * Runs a request built by `buildWllamaRequest` and returns its one output,
 * shaped as the Node llama provider's: `{output_type: "execute_result", data:
 * TEXT, execution_count: 0, metadata: {model, usage: {prompt_tokens,
 * completion_tokens}, finish_reason: "stop" | "length"}}`.
 * @param wasmUrl `wllama.wasm` on the site: its absolute URL, or a function giving one (see {@link WasmSource})
 * @throws {WllamaLoadError} when the WebAssembly or the model cannot be loaded
 * @throws the signal's reason when `ctx.signal` aborts
 */
export async function runWllamaRequest(request: WllamaRequest, ctx: RunContext, wasmUrl: WasmSource): Promise<ExecuteResult[]> {
  const { signal } = ctx;
  signal.throwIfAborted();
  const isolated = globalThis.crossOriginIsolated === true;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  const bytes = isolated && request.threads === undefined ? await remoteSize(request.model_url, signal) : undefined;
  const { threads, warning } = chooseBrowserThreads(request.threads, isolated, cores, bytes);
  if (warning) ctx.warn?.(warning);
  const wllama = await loadWllama({
    modelUrl: request.model_url,
    wasmUrl,
    threads,
    contextSize: request.context_size ?? MAX_DEFAULT_CONTEXT_SIZE,
    signal,
  });
  signal.throwIfAborted();
  // The request's sampling fields are named as wllama's (OpenAI's) parameters.
  const { model_url: _url, prompt, messages, threads: _threads, context_size: _context, ...rest } = request;
  const sampling = { ...rest, abortSignal: signal };
  const chat = wllama.getChatTemplate() !== null;
  let text = "";
  let finish: string | null = null;
  let usage: Reply["usage"];
  try {
    if (ctx.streaming) {
      const stream = (
        chat
          ? await wllama.createChatCompletion({ ...sampling, messages, stream: true })
          : await wllama.createCompletion({ ...sampling, prompt, stream: true })
      ) as AsyncIterable<Reply>;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const delta = (chat ? choice?.delta?.content : choice?.text) ?? "";
        if (delta) {
          text += delta;
          ctx.stream({ delta, index: 0 });
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
    } else {
      const reply = (
        chat ? await wllama.createChatCompletion({ ...sampling, messages }) : await wllama.createCompletion({ ...sampling, prompt })
      ) as Reply;
      const choice = reply.choices[0];
      text = (chat ? choice?.message?.content : choice?.text) ?? "";
      finish = choice?.finish_reason ?? null;
      usage = reply.usage;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw error;
  }
  signal.throwIfAborted();
  return [
    {
      output_type: "execute_result",
      data: text,
      execution_count: 0,
      metadata: {
        model: ctx.model,
        usage: { prompt_tokens: usage?.prompt_tokens ?? 0, completion_tokens: usage?.completion_tokens ?? 0 },
        finish_reason: finish === "length" ? "length" : "stop",
      },
    },
  ];
}
