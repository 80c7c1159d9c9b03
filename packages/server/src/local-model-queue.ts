/**
 * The queue in front of the offline providers (the local GGUF model, espeak-ng,
 * pocketsphinx, tesseract): one run at a time, so one model is in memory and
 * one CPU-heavy job runs, with a bounded number of waiting runs and a bounded
 * wait (`p-queue`). A run that cannot join gets "busy, position N".
 *
 * @packageDocumentation
 */
import PQueue from "p-queue";

/** The local model cannot take another run now; the message says how many wait. */
export class LocalModelBusyError extends Error {
  override name = "LocalModelBusyError";
}

/** Options of {@link LocalModelQueue}. */
export interface LocalModelQueueOptions {
  /** Runs waiting at most (beyond the one running). Default 32. */
  maxWaiting?: number;
  /** Longest wait before a run starts, in ms. Default 120,000. */
  maxWaitMs?: number;
}

/** One local run at a time, the others waiting in order. */
export class LocalModelQueue {
  readonly #queue = new PQueue({ concurrency: 1 });
  readonly #waiting: { ticket: symbol; onPosition: (position: number) => void }[] = [];
  readonly maxWaiting: number;
  readonly maxWaitMs: number;

  constructor(options: LocalModelQueueOptions = {}) {
    this.maxWaiting = options.maxWaiting ?? 32;
    this.maxWaitMs = options.maxWaitMs ?? 120_000;
  }

  /** Runs waiting (not counting the one running). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Runs `task` when the runs before it are done.
   * @param onPosition called with the run's place in the line (1 = next) while it waits, and when it moves up
   * @param signal cancels the wait (the task is not started)
   * @throws {LocalModelBusyError} when the line is full, or the wait exceeded `maxWaitMs`
   */
  async run<T>(task: () => Promise<T>, onPosition: (position: number) => void, signal?: AbortSignal): Promise<T> {
    const busy = this.#queue.pending > 0;
    if (busy && this.#waiting.length >= this.maxWaiting)
      throw new LocalModelBusyError(
        `the local model is busy: ${this.#waiting.length} runs are waiting (at most ${this.maxWaiting}); try again in a minute`,
      );
    const ticket = Symbol("run");
    if (busy) {
      this.#waiting.push({ ticket, onPosition });
      onPosition(this.#waiting.length);
    }
    // The wait (not the run) is bounded and cancellable: once started, a run ends on its own signal.
    const wait = new AbortController();
    let started = false;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      wait.abort();
    }, this.maxWaitMs);
    const onAbort = () => !started && wait.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const leave = () => {
      const i = this.#waiting.findIndex((w) => w.ticket === ticket);
      if (i < 0) return;
      this.#waiting.splice(i, 1);
      for (const [j, w] of this.#waiting.entries()) if (j >= i) w.onPosition(j + 1);
    };
    try {
      return await this.#queue.add(
        async () => {
          started = true;
          clearTimeout(timer);
          leave();
          return task();
        },
        { signal: wait.signal },
      );
    } catch (e) {
      leave();
      if (timedOut && !started)
        throw new LocalModelBusyError(`the local model stayed busy for ${Math.round(this.maxWaitMs / 1000)} s: try again in a minute`);
      throw e;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
