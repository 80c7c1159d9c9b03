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
import { type PromptScope, type ResolvedPrompt, resolvePrompt } from "./render-prompt.js";
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
 *
 * Not an async function: the provider's promise is chained (`then`), so a
 * run costs its caller no promise of its own beyond the provider's and the
 * one that stores the outputs (an async function would add its own promise
 * and an `await` of the provider's). Every failure, synchronous or not,
 * still comes back as a rejection.
 * @returns the outputs stored
 * @throws {RunAbortedError} when cancelled (the previous outputs stay)
 * @throws {ProviderError} when the provider fails (its error is the `cause`; an `error` output is stored)
 * @throws the errors of resolving (nothing is stored then)
 */
export function runPrompt(scope: RunScope, prompt: Prompt, params: JSONObject, options: RunOptions): Promise<Output[]> {
  const run = new PromptRun(scope, prompt, options);
  try {
    // Events are built only when someone listens.
    if (scope.listening) scope.emit("run_start", { prompt: run.promptName, data: params });
    if (run.caller?.aborted) throw new RunAbortedError(run.promptName);
    const resolved = resolvePrompt(scope, prompt, params);
    // A provider whose resolve is synchronous costs no extra turn of the event loop.
    if (resolved.request instanceof Promise) {
      return resolved.request.then(
        (request) => run.send(resolved, request),
        (error) => run.failed(error),
      );
    }
    return run.send(resolved, resolved.request);
  } catch (error) {
    return run.rejected(error);
  }
}

/** One run of a prompt: what {@link runPrompt}'s steps share (one object per run, no closures). */
class PromptRun {
  readonly promptName: string;
  readonly started = Date.now();
  readonly caller: AbortSignal | undefined;
  /** The outputs before the run, put back when it is cancelled. */
  readonly previous: Output[] | undefined;
  /** Set once the request is resolved: a failure before that is a resolving failure (nothing is stored). */
  provider: Provider | undefined = undefined;

  constructor(
    readonly scope: RunScope,
    readonly prompt: Prompt,
    readonly options: RunOptions,
  ) {
    this.promptName = prompt.name;
    this.caller = options.signal;
    this.previous = prompt.outputs;
  }

  /** Hands the resolved request to its provider; the outputs are stored when it settles. */
  send(resolved: ResolvedPrompt, request: unknown): Promise<Output[]> {
    try {
      const { scope, options, caller, promptName } = this;
      const provider = resolved.provider;
      this.provider = provider;
      if (caller?.aborted) throw new RunAbortedError(promptName);
      const runContext = new PromptRunContext({
        prompt: this.prompt,
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
      const settled = caller ? untilAborted(work, caller) : work instanceof Promise ? work : Promise.resolve(work);
      return settled.then(
        (outputs) => this.stored(outputs),
        (error) => this.failed(error),
      );
    } catch (error) {
      return this.rejected(error);
    }
  }

  /** Stores the provider's outputs on the prompt. */
  stored(outputs: Output[]): Output[] {
    const { scope, caller, promptName } = this;
    if (caller?.aborted) return this.failed(new RunAbortedError(promptName));
    this.prompt.outputs = outputs;
    if (scope.listening) scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - this.started, data: outputs });
    return outputs;
  }

  /** {@link failed} as a rejected promise (for what throws before the provider's promise exists). */
  rejected(error: unknown): Promise<never> {
    try {
      return this.failed(error);
    } catch (failure) {
      return Promise.reject(failure);
    }
  }

  /**
   * Ends a failed run: a cancellation puts the previous outputs back; a
   * resolving failure stores nothing; a provider's failure stores an `error`
   * output (keys redacted) and becomes a {@link ProviderError}.
   * @throws always: the error the run ends with
   */
  failed(error: unknown): never {
    const { scope, caller, promptName, started, provider, prompt } = this;
    if (caller?.aborted) {
      prompt.outputs = this.previous;
      const aborted = error instanceof RunAbortedError ? error : new RunAbortedError(promptName);
      scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error: aborted });
      throw aborted;
    }
    if (!provider) {
      // Resolving failed (a user mistake in the file): nothing ran, outputs stay.
      scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error });
      throw error;
    }
    // Keys the run could see never reach the stored output, the message or the events.
    const secrets = secretValues(scope.environment(), scope.config.metadata.models, promptSettings(scope.config, prompt));
    const stored = errorOutput(error, secrets);
    prompt.outputs = [stored];
    const wrapped = new ProviderError(
      `prompt "${promptName}" failed on provider "${provider.id}": ${stored.evalue}`,
      promptName,
      provider.id,
      {
        cause: error,
      },
    );
    scope.emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error: wrapped });
    throw wrapped;
  }
}
