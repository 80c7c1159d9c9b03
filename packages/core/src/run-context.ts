/**
 * The {@link RunContext} a run hands its provider: plain own properties, as
 * an object literal would have them (a spread copy keeps every member), with
 * `signal` made only when a provider reads it.
 *
 * A class rather than a literal with a getter: V8 gives every literal with
 * its own getter closure a dictionary-mode object (about 1 KB and several
 * times slower to build, per run); here the getter is one shared function
 * defined on each instance, so instances share one fast shape.
 *
 * @packageDocumentation
 */
import type { RunContext, StreamChunk } from "./provider.js";
import type { ModelSettings, Prompt, StoredData } from "./types.js";

/** What a run gives its context (see {@link PromptRunContext}). */
export interface RunContextParts {
  readonly prompt: Prompt;
  readonly model: string;
  readonly settings: ModelSettings;
  /** The caller's signal; absent when nothing can cancel the run. */
  readonly caller: AbortSignal | undefined;
  readonly streaming: boolean;
  readonly stream: (chunk: StreamChunk) => void;
  readonly configDir: string | undefined;
  readonly env: Record<string, string | undefined>;
  readonly storeBinary: (bytes: Uint8Array, mimeType: string) => Promise<StoredData>;
  readonly allowedEndpoints: readonly string[] | undefined;
  readonly warn: ((message: string) => void) | undefined;
}

/** The `signal` member of every {@link PromptRunContext}: own and enumerable, one getter for all. */
const signalProperty: PropertyDescriptor = {
  enumerable: true,
  configurable: true,
  get(this: PromptRunContext): AbortSignal {
    return PromptRunContext.signalOf(this);
  },
};

/**
 * The context of one run. `signal` is made on first read: with a caller's
 * signal, a signal that follows it (`AbortSignal.any`), so that listeners an
 * SDK adds go away with the run even when the caller passes one long-lived
 * signal to many runs; without one, a signal that never aborts.
 * `allowedEndpoints` and `warn` are present only when given.
 */
export class PromptRunContext implements RunContext {
  readonly prompt: Prompt;
  readonly model: string;
  readonly settings: ModelSettings;
  declare readonly signal: AbortSignal;
  readonly cancellable: boolean;
  readonly streaming: boolean;
  readonly stream: (chunk: StreamChunk) => void;
  readonly configDir: string | undefined;
  readonly env: Record<string, string | undefined>;
  readonly storeBinary: (bytes: Uint8Array, mimeType: string) => Promise<StoredData>;
  declare readonly allowedEndpoints?: readonly string[];
  declare readonly warn?: (message: string) => void;
  readonly #caller: AbortSignal | undefined;
  #signal: AbortSignal | undefined;

  constructor(parts: RunContextParts) {
    this.prompt = parts.prompt;
    this.model = parts.model;
    this.settings = parts.settings;
    Object.defineProperty(this, "signal", signalProperty);
    this.cancellable = parts.caller !== undefined;
    this.streaming = parts.streaming;
    this.stream = parts.stream;
    this.configDir = parts.configDir;
    this.env = parts.env;
    this.storeBinary = parts.storeBinary;
    if (parts.allowedEndpoints) (this as { allowedEndpoints?: readonly string[] }).allowedEndpoints = parts.allowedEndpoints;
    if (parts.warn) (this as { warn?: (message: string) => void }).warn = parts.warn;
    this.#caller = parts.caller;
  }

  /** The signal of a context, made on first use. */
  static signalOf(context: PromptRunContext): AbortSignal {
    context.#signal ??= context.#caller ? AbortSignal.any([context.#caller]) : new AbortController().signal;
    return context.#signal;
  }
}
