/**
 * Running one prompt: resolve it, hand the request to its provider with a
 * {@link RunContext} (stream fan-out, cancellation, binary output storage),
 * and store what comes back on the prompt: its outputs, or an `error` output
 * when the provider fails (keys redacted, see `redact.ts`). A cancelled run keeps the prompt's previous outputs.
 *
 * @packageDocumentation
 */
import { promptSettings } from "./document.js";
import { ProviderError, RunAbortedError } from "./errors.js";
import type { RuntimeEvent, RuntimeEventName } from "./events.js";
import type { Provider, StreamChunk } from "./provider.js";
import { errorOutput, secretValues } from "./redact.js";
import { PromptRunContext } from "./run-context.js";
import { type PromptScope, resolvePrompt } from "./render-prompt.js";
import { type BinaryOutputTarget, storeBinaryOutput } from "./store-binary-output.js";
import type { JSONObject, Output, Prompt } from "./types.js";

/** A stream event delivered to {@link RunOptions.onStream}. */
export interface PromptStreamChunk extends StreamChunk {
  /** The prompt whose output this is. */
  readonly prompt: string;
}

/** Options of `AIConfigRuntime.run`. */
export interface RunOptions {
  /** Ask the provider to stream. Default: `true` when `onStream` or `callbacks.streamCallback` is given. */
  stream?: boolean;
  /** Receives each streamed piece of output. What it throws is ignored. */
  onStream?: (chunk: PromptStreamChunk) => void;
  /** Cancels the run; the prompt keeps its previous outputs. */
  signal?: AbortSignal;
  /** The original SDK's form: `streamCallback(delta, accumulated, index)`. */
  callbacks?: { streamCallback?: (data: unknown, accumulatedData: unknown, index: number) => unknown };
  /**
   * Hosts (`host`, `host:port`) or URLs your keys may go to even when the
   * file or its `.env` chose them (see `readCredential`); given to providers
   * as `RunContext.allowedEndpoints`.
   */
  allowedEndpoints?: readonly string[];
  /**
   * Receives the one-line notices a provider gives while it runs (e.g.
   * "waiting 60 s before retrying"); default: providers write them on stderr.
   */
  onWarning?: (message: string) => void;
}

/** What running reads from the runtime: rendering's scope, where binary outputs go, and its events. */
export interface RunScope extends PromptScope, BinaryOutputTarget {
  /** Emits a runtime event (`run_start`, `run_end`). */
  emit(name: RuntimeEventName, extra: Partial<RuntimeEvent>): void;
  /** Whether any callback listens to events (a run builds no event when none does). */
  readonly listening: boolean;
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts, so that a
 * cancelled run ends promptly even when a provider is slow to notice.
 */
function untilAborted<T>(work: Promise<T> | T, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error("aborted"));
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    Promise.resolve(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The stream callback of a run nobody listens to. */
function noStream(): void {}

/** Builds the stream callback of a run: `onStream` and the original SDK's `streamCallback`; never throws. */
function streamFanOut(promptName: string, options: RunOptions): (chunk: StreamChunk) => void {
  const { onStream } = options;
  const streamCallback = options.callbacks?.streamCallback;
  if (!onStream && !streamCallback) return noStream;
  const accumulated = new Map<number, string>();
  return (chunk) => {
    try {
      onStream?.({ prompt: promptName, delta: chunk.delta, index: chunk.index });
      if (streamCallback) {
        const text = (accumulated.get(chunk.index) ?? "") + chunk.delta;
        accumulated.set(chunk.index, text);
        const r = streamCallback(chunk.delta, text, chunk.index) as Promise<unknown> | undefined;
        if (r && typeof r.catch === "function") r.catch(() => {});
      }
    } catch {
      // A stream callback's failure does not break the run.
    }
  };
}

/**
 * Runs a prompt and stores its outputs on it (replacing the earlier ones);
 * emits `run_start` and `run_end`.
 *
 * The provider's signal is made only when the provider reads
 * `RunContext.signal`: with a caller's signal, a signal that follows it
 * (`AbortSignal.any`), so that listeners an SDK adds go away with the run
 * even when the caller passes one long-lived signal to many runs.
 * @param storeResolveError store an `error` output when resolving fails too (a run of every prompt that goes on
 *   after failures: its failures must be found on the prompts); otherwise the outputs stay and the error is thrown alone
 * @returns the outputs stored
 * @throws {RunAbortedError} when cancelled (the previous outputs stay)
 * @throws {ProviderError} when the provider fails (its error is the `cause`; an `error` output is stored)
 * @throws the errors of resolving (nothing is stored then, unless `storeResolveError`)
 */
export async function runPrompt(
  scope: RunScope,
  prompt: Prompt,
  params: JSONObject,
  options: RunOptions,
  storeResolveError = false,
): Promise<Output[]> {
  const promptName = prompt.name;
  const started = Date.now();
  // Events are built only when someone listens.
  if (scope.listening) scope.emit("run_start", { prompt: promptName, data: params });
  const caller = options.signal;
  const previous = prompt.outputs;
  let provider: Provider | undefined;
  try {
    if (caller?.aborted) throw new RunAbortedError(promptName);
    const resolved = resolvePrompt(scope, prompt, params);
    // A provider whose resolve is synchronous costs no extra turn of the event loop.
    const request = resolved.request instanceof Promise ? await resolved.request : resolved.request;
    provider = resolved.provider;
    if (caller?.aborted) throw new RunAbortedError(promptName);
    const runContext = new PromptRunContext({
      prompt,
      model: resolved.model,
      settings: resolved.settings,
      caller,
      streaming: options.stream ?? Boolean(options.onStream || options.callbacks?.streamCallback),
      stream: streamFanOut(promptName, options),
      configDir: scope.configDir,
      env: resolved.env,
      storeBinary: async (bytes, mimeType) => storeBinaryOutput(scope, bytes, mimeType, promptName),
      allowedEndpoints: options.allowedEndpoints,
      warn: options.onWarning,
    });
    const work = provider.run(request, runContext);
    const outputs = caller ? await untilAborted(work, caller) : await work;
    if (caller?.aborted) throw new RunAbortedError(promptName);
    prompt.outputs = outputs;
    if (scope.listening) scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - started, data: outputs });
    return outputs;
  } catch (error) {
    if (caller?.aborted) {
      prompt.outputs = previous;
      const aborted = error instanceof RunAbortedError ? error : new RunAbortedError(promptName);
      scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error: aborted });
      throw aborted;
    }
    if (!provider) {
      // Resolving failed (a user mistake in the file): nothing ran; outputs stay, unless the caller goes on past failures.
      if (storeResolveError) {
        prompt.outputs = [
          errorOutput(error, secretValues(scope.environment(), scope.config.metadata.models, promptSettings(scope.config, prompt))),
        ];
      }
      scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error });
      throw error;
    }
    // Keys the run could see never reach the stored output, the message or the events.
    const secrets = secretValues(scope.environment(), scope.config.metadata.models, promptSettings(scope.config, prompt));
    const stored = errorOutput(error, secrets);
    prompt.outputs = [stored];
    // A provider's message often starts with the prompt's name already: it is not said twice.
    const named = `prompt "${promptName}": `;
    const reason = stored.evalue.startsWith(named) ? stored.evalue.slice(named.length) : stored.evalue;
    const wrapped = new ProviderError(`prompt "${promptName}" failed on provider "${provider.id}": ${reason}`, promptName, provider.id, {
      cause: error,
    });
    scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error: wrapped });
    throw wrapped;
  }
}
