/**
 * One run started from the page (a prompt, a prompt with its dependencies, or
 * all prompts) on a runtime of its own: the events it produced so far (so a
 * page that connects late sees them all), the listeners following it, and the
 * AbortController that cancels it.
 *
 * Streamed pieces are merged for up to {@link DELTA_FLUSH_MS} before they are
 * sent, so a fast model does not make one event per token.
 *
 * @packageDocumentation
 */
import { type AIConfigRuntime, ProviderError, RunAbortedError, type RuntimeEvent } from "@aiconfig-ts/core";
import type { Output, OutputUsage } from "@aiconfig-ts/core";
import { promptModelName } from "@aiconfig-ts/core/document";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { RunEvent } from "../api-types.js";
import { editorMessage } from "./editor-messages.js";
import { StreamRedactor, redactJSON, redactText } from "./redact-secrets.js";

/** How long streamed pieces are merged before they are sent, in ms. */
export const DELTA_FLUSH_MS = 12;

/** What a run does. */
export type RunMode = { mode: "one"; prompt: string } | { mode: "deps"; prompt: string } | { mode: "all"; continueOnError: boolean };

/** A run and its event log. */
export class RunSession {
  readonly events: RunEvent[] = [];
  readonly controller = new AbortController();
  readonly #listeners = new Set<(e: RunEvent) => void>();
  readonly #pending = new Map<string, { prompt: string; index: number; delta: string }>();
  readonly #redactors = new Map<string, StreamRedactor>();
  #timer: NodeJS.Timeout | undefined;
  #done = false;
  /** Prompts this run may run (queued), and those that started and ended. */
  readonly queued: string[] = [];
  readonly started = new Set<string>();
  readonly ended = new Set<string>();
  /** Prompts reported skipped (not to be reported twice). */
  readonly skipped = new Set<string>();
  /** Prompts that ended with an error (a run that went on past failures still ends with `ok: false`). */
  readonly failed = new Set<string>();
  /** Per-prompt cancellation during Run all (see {@link RunSession.cancel}). */
  readonly #promptControllers = new Map<string, AbortController>();
  #mode: RunMode["mode"] | undefined;

  /**
   * @param secrets values redacted from every event
   * @param storeOutputs changes a prompt's outputs before they are sent (e.g. large binary outputs written to files)
   * @param options `tracebacks: false` sends `error` outputs with an empty `traceback` (a public server shows
   *   strangers no stack of its code); default: sent as stored (their local paths already shortened by core)
   */
  constructor(
    readonly id: string,
    readonly secrets: readonly string[],
    readonly storeOutputs?: (prompt: string, outputs: Output[]) => Output[],
    readonly options: { readonly tracebacks?: boolean } = {},
  ) {}

  /** Outputs as events carry them: secrets redacted, and tracebacks emptied when the session shows none. */
  #shown(outputs: Output[]): Output[] {
    const shown =
      this.options.tracebacks === false ? outputs.map((o) => (o.output_type === "error" ? { ...o, traceback: [] } : o)) : outputs;
    return redactJSON(shown, this.secrets);
  }

  /**
   * Cancels the run, or during Run all only `prompt` and the prompts that
   * depend on it (the others go on). A prompt not started yet is cancelled
   * when it would start.
   */
  cancel(prompt?: string): void {
    if (prompt === undefined || this.#mode !== "all") {
      this.controller.abort();
      return;
    }
    let c = this.#promptControllers.get(prompt);
    if (!c) this.#promptControllers.set(prompt, (c = new AbortController()));
    c.abort();
    if (!this.started.has(prompt) && !this.skipped.has(prompt)) {
      // it may never start (a prompt it depends on is still running): say so now
      this.skipped.add(prompt);
      this.emit({ type: "skipped", prompt, reason: "cancelled" });
    }
  }

  /** Whether the run has finished (`done` was sent). */
  get done(): boolean {
    return this.#done;
  }

  /** Follows the run: `listener` gets every event so far, then each new one. Returns a function that stops. */
  follow(listener: (e: RunEvent) => void): () => void {
    for (const e of this.events) listener(e);
    if (this.#done) return () => {};
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Answers a request with the run's events as server-sent events (unnamed
   * `message` events whose `data:` is the JSON of a {@link RunEvent}): every
   * event so far, then each new one, until `done` or the client goes away.
   */
  sse(c: Context): Response {
    return streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      let finished = false;
      const stop = this.follow((e) => {
        queue.push(JSON.stringify(e));
        if (e.type === "done") finished = true;
        wake?.();
      });
      stream.onAbort(() => {
        finished = true;
        stop();
        wake?.();
      });
      while (true) {
        if (queue.length > 0) {
          for (const data of queue.splice(0, queue.length)) await stream.writeSSE({ data });
          continue;
        }
        if (finished || stream.aborted) break;
        await new Promise<void>((r) => {
          wake = r;
        });
        wake = undefined;
      }
      stop();
    });
  }

  /** Records and sends an event (streamed pieces waiting are sent first). */
  emit(event: RunEvent): void {
    if (this.#done) return;
    // a prompt's streams end with its outputs, error or cancellation; all end with the run
    if (event.type !== "delta")
      this.#flush(event.type === "done" || event.type === "queued" ? "all" : "prompt" in event ? event.prompt : undefined);
    this.events.push(event);
    for (const l of this.#listeners) l(event);
    if (event.type === "done") {
      this.#done = true;
      this.#listeners.clear();
    }
  }

  /** Queues a streamed piece. */
  delta(prompt: string, index: number, delta: string): void {
    const key = `${index}\u0000${prompt}`;
    const p = this.#pending.get(key);
    if (p) p.delta += delta;
    else this.#pending.set(key, { prompt, index, delta });
    this.#timer ??= setTimeout(() => this.#flush(), DELTA_FLUSH_MS);
  }

  /**
   * Sends the streamed pieces waiting, redacted (a possible start of a secret
   * is held back until the next piece), and the held text of the streams that
   * end: those of prompt `ending`, or all.
   */
  #flush(ending?: string | "all"): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = [...this.#pending.entries()];
    this.#pending.clear();
    const send = (prompt: string, index: number, delta: string) => {
      if (delta === "") return;
      const event: RunEvent = { type: "delta", prompt, index, delta };
      this.events.push(event);
      for (const l of this.#listeners) l(event);
    };
    for (const [key, p] of pending) {
      let redactor = this.#redactors.get(key);
      if (!redactor) this.#redactors.set(key, (redactor = new StreamRedactor(this.secrets)));
      send(p.prompt, p.index, redactor.push(p.delta));
    }
    if (ending === undefined) return;
    for (const [key, redactor] of this.#redactors) {
      const [index, prompt] = [Number(key.slice(0, key.indexOf("\u0000"))), key.slice(key.indexOf("\u0000") + 1)];
      if (ending !== "all" && prompt !== ending) continue;
      send(prompt, index, redactor.end());
      this.#redactors.delete(key);
    }
  }

  /** Turns a runtime event into run events (start, outputs, error, cancelled). */
  onRuntimeEvent(e: RuntimeEvent): void {
    if (!e.prompt) return;
    if (e.name === "run_start") {
      this.started.add(e.prompt);
      if (!this.skipped.has(e.prompt)) this.emit({ type: "start", prompt: e.prompt });
      return;
    }
    if (e.name !== "run_end") return;
    this.ended.add(e.prompt);
    const durationMs = e.durationMs ?? 0;
    if (e.error === undefined) {
      let outputs = (e.data as Output[]) ?? [];
      try {
        outputs = this.storeOutputs?.(e.prompt, outputs) ?? outputs;
      } catch (error) {
        this.failed.add(e.prompt);
        this.emit({
          type: "error",
          prompt: e.prompt,
          name: "OutputFileError",
          message: redactText(`prompt "${e.prompt}": its output could not be stored as a file: ${describe(error, [])}`, this.secrets),
          durationMs,
        });
        return;
      }
      const usage = this.usageOf(e.prompt, outputs);
      this.emit({ type: "outputs", prompt: e.prompt, outputs: this.#shown(outputs), durationMs, ...(usage ? { usage } : {}) });
    } else if (e.error instanceof RunAbortedError) {
      this.emit({ type: "cancelled", prompt: e.prompt });
    } else {
      this.failed.add(e.prompt);
      const error = e.error instanceof Error ? e.error : new Error(String(e.error));
      const name = error instanceof ProviderError ? ((error.cause as Error | undefined)?.name ?? error.name) : error.name;
      this.emit({
        type: "error",
        prompt: e.prompt,
        name,
        message: redactText(editorMessage(error), this.secrets),
        durationMs,
        ...(error instanceof ProviderError ? { outputs: this.#shown(this.outputsOf(e.prompt)) } : {}),
      });
    }
  }

  /** The outputs a prompt holds in the run's runtime (set by {@link RunSession.execute}). */
  outputsOf: (prompt: string) => Output[] = () => [];
  /** The normalised usage of a prompt's outputs, by its provider's `outputUsage` (set by {@link RunSession.execute}). */
  usageOf: (prompt: string, outputs: Output[]) => OutputUsage | undefined = () => undefined;

  /**
   * Runs on a runtime: sends `queued`, then the runtime's events and streamed
   * pieces, then `skipped` for queued prompts that never started, then `done`.
   * Never throws.
   */
  async execute(runtime: AIConfigRuntime, what: RunMode): Promise<void> {
    this.outputsOf = (name) => runtime.getPrompt(name)?.outputs ?? [];
    this.usageOf = (name, outputs) => {
      const prompt = runtime.getPrompt(name);
      const model = prompt ? promptModelName(runtime.config, prompt) : undefined;
      const provider = model ? runtime.registry.find(model, runtime.config.metadata?.model_parsers) : undefined;
      if (!provider?.outputUsage) return undefined;
      for (const o of outputs) {
        const usage = provider.outputUsage(o);
        if (usage) return usage;
      }
      return undefined;
    };
    this.#mode = what.mode;
    const off = runtime.onEvent((e) => this.onRuntimeEvent(e));
    const signal = this.controller.signal;
    const onStream = (c: { prompt: string; delta: string; index: number }) => this.delta(c.prompt, c.index, c.delta);
    let ok = true;
    let failure: unknown;
    try {
      this.queued.push(...queuedPrompts(runtime, what));
      this.emit({ type: "queued", prompts: this.queued });
      if (what.mode === "one") await runtime.run(what.prompt, {}, { stream: true, onStream, signal });
      else if (what.mode === "deps") await runtime.runWithDependencies(what.prompt, {}, { stream: true, onStream, signal });
      else
        await runtime.runAll(
          {},
          {
            stream: true,
            onStream,
            signal,
            continueOnError: what.continueOnError,
            signalFor: (name) => {
              let c = this.#promptControllers.get(name);
              if (!c) this.#promptControllers.set(name, (c = new AbortController()));
              return c.signal;
            },
            onSkip: (name, failed) => {
              if (this.skipped.has(name)) return;
              this.skipped.add(name);
              const cancelled = this.#promptControllers.get(failed)?.signal.aborted === true;
              this.emit({
                type: "skipped",
                prompt: name,
                reason: cancelled ? `cancelled: it uses "${failed}", which was cancelled` : `not run: it uses "${failed}", which failed`,
              });
            },
          },
        );
    } catch (error) {
      ok = false;
      failure = error;
    }
    // Prompts already running when another failed go on; wait for them.
    await this.#settled();
    off();
    const message = failure !== undefined && !(failure instanceof RunAbortedError) ? describe(failure, this.secrets) : undefined;
    for (const name of this.queued) {
      if (this.started.has(name) || this.skipped.has(name)) continue;
      const reason = signal.aborted
        ? "cancelled"
        : this.started.size === 0 && message
          ? `not run: ${message}`
          : "not run: a prompt before it failed";
      this.emit({ type: "skipped", prompt: name, reason });
    }
    this.emit({
      type: "done",
      ok: ok && !signal.aborted && this.failed.size === 0,
      ...(this.ended.size === 0 && message ? { error: message } : {}),
    });
  }

  async #settled(): Promise<void> {
    for (let i = 0; i < 600_000 / 20 && [...this.started].some((n) => !this.ended.has(n)); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function describe(e: unknown, secrets: readonly string[]): string {
  return redactText(e instanceof Error ? editorMessage(e) : String(e), secrets);
}

/** The prompts a run may run, in file order (a prompt's dependencies for `deps`). */
export function queuedPrompts(runtime: AIConfigRuntime, what: RunMode): string[] {
  if (what.mode === "all") return runtime.config.prompts.map((p) => p.name);
  if (what.mode === "one") return [what.prompt];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of runtime.getDependencies(name)) visit(dep);
  };
  try {
    visit(what.prompt);
  } catch {
    return [what.prompt];
  }
  return runtime.config.prompts.map((p) => p.name).filter((n) => seen.has(n));
}
