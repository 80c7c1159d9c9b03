/**
 * Runtime events: start and end of load, resolve, run and save, delivered to
 * registered callbacks. A callback that throws, rejects or never settles does
 * not affect the operation: callbacks are called, not awaited.
 *
 * @packageDocumentation
 */

/** Names of runtime events. */
export type RuntimeEventName =
  | "load_start"
  | "load_end"
  | "resolve_start"
  | "resolve_end"
  | "run_start"
  | "run_end"
  | "save_start"
  | "save_end";

/** An event of the runtime. */
export interface RuntimeEvent {
  readonly name: RuntimeEventName;
  /** When it happened, ms since the epoch. */
  readonly timestamp: number;
  /** The aiconfig file, when there is one. */
  readonly file?: string;
  /** The prompt, for resolve and run events. */
  readonly prompt?: string;
  /** Duration of the operation in ms, on `*_end` events. */
  readonly durationMs?: number;
  /** The error, on an `*_end` event of an operation that failed. */
  readonly error?: unknown;
  /** Extra data: the parameters on `run_start`, the outputs on `run_end`. */
  readonly data?: unknown;
}

/** A callback for runtime events. Its result is ignored; it may be async. */
export type RuntimeEventCallback = (event: RuntimeEvent) => unknown;

/** A set of callbacks; `emit` never throws and never waits. */
export class EventHub {
  readonly #callbacks = new Set<RuntimeEventCallback>();

  /** Adds a callback; returns a function that removes it. */
  on(callback: RuntimeEventCallback): () => void {
    this.#callbacks.add(callback);
    return () => this.#callbacks.delete(callback);
  }

  /** Calls every callback with the event, ignoring what they throw or return. */
  emit(event: RuntimeEvent): void {
    for (const callback of this.#callbacks) {
      try {
        const result = callback(event) as { catch?: unknown } | undefined;
        if (result && typeof (result as Promise<unknown>).catch === "function") (result as Promise<unknown>).catch(() => {});
      } catch {
        // A callback's failure is its own: the operation goes on.
      }
    }
  }

  /** Whether any callback is registered. */
  get size(): number {
    return this.#callbacks.size;
  }
}
