/**
 * Per-cell run state (status, streamed text, duration, token usage), kept
 * outside the document and outside React state so that streaming into one
 * cell re-renders that cell only. Streamed text is applied at most once per
 * animation frame.
 */
import { useSyncExternalStore } from "react";

/** Status of a cell's last run. */
export type RunStatus = "idle" | "queued" | "running" | "done" | "error" | "cancelled" | "skipped";

/** What the page knows of a cell's run. */
export interface CellRun {
  readonly status: RunStatus;
  /** Text streamed so far, per output index, while running. */
  readonly streamed: readonly string[];
  /** When the run started (ms since epoch, page clock). */
  readonly startedAt?: number;
  /** Duration of the finished run in ms. */
  readonly durationMs?: number;
  /** One-line message of a failed or skipped run. */
  readonly message?: string;
  /** Which run it belongs to (for cancelling). */
  readonly runId?: string;
  /** Number of stream pieces received (for the benchmarks). */
  readonly chunks: number;
}

const IDLE: CellRun = { status: "idle", streamed: [], chunks: 0 };

type Listener = () => void;

/** A store of cell runs keyed by cell id, with per-cell subscriptions. */
export class RunStore {
  readonly #runs = new Map<string, CellRun>();
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #anyListeners = new Set<Listener>();
  readonly #pending = new Map<string, { index: number; delta: string }[]>();
  #frame: number | undefined;

  /** The run of a cell. */
  get(id: string): CellRun {
    return this.#runs.get(id) ?? IDLE;
  }

  /** Whether any cell is queued or running. */
  busy(): boolean {
    for (const r of this.#runs.values()) if (r.status === "running" || r.status === "queued") return true;
    return false;
  }

  /** Subscribes to one cell's changes. */
  subscribe(id: string, listener: Listener): () => void {
    let set = this.#listeners.get(id);
    if (!set) this.#listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  }

  /** Subscribes to every change. */
  subscribeAll(listener: Listener): () => void {
    this.#anyListeners.add(listener);
    return () => this.#anyListeners.delete(listener);
  }

  /** Replaces a cell's run state. */
  set(id: string, change: Partial<CellRun>): void {
    if (change.status !== undefined && change.status !== "running") this.#flushCell(id);
    this.#runs.set(id, { ...this.get(id), ...change });
    this.#notify(id);
  }

  /** Queues a streamed piece; applied on the next animation frame. */
  delta(id: string, index: number, delta: string): void {
    let list = this.#pending.get(id);
    if (!list) this.#pending.set(id, (list = []));
    list.push({ index, delta });
    if (this.#frame === undefined) {
      const schedule =
        typeof requestAnimationFrame === "function" ? requestAnimationFrame : (f: () => void) => setTimeout(f, 16) as unknown as number;
      this.#frame = schedule(() => {
        this.#frame = undefined;
        for (const cell of [...this.#pending.keys()]) this.#flushCell(cell, true);
      });
    }
  }

  #flushCell(id: string, notify = false): void {
    const list = this.#pending.get(id);
    if (!list || list.length === 0) return;
    this.#pending.delete(id);
    const run = this.get(id);
    const streamed = run.streamed.slice();
    for (const { index, delta } of list) streamed[index] = (streamed[index] ?? "") + delta;
    this.#runs.set(id, { ...run, streamed, chunks: run.chunks + list.length });
    if (notify) this.#notify(id);
  }

  /** Forgets every run (after clearing outputs or reloading). */
  reset(): void {
    const ids = [...this.#runs.keys()];
    this.#runs.clear();
    this.#pending.clear();
    for (const id of ids) this.#notify(id);
  }

  #notify(id: string): void {
    for (const l of this.#listeners.get(id) ?? []) l();
    for (const l of this.#anyListeners) l();
  }
}

/** The run state of one cell, re-rendering when it changes. */
export function useCellRun(store: RunStore, id: string): CellRun {
  return useSyncExternalStore(
    (l) => store.subscribe(id, l),
    () => store.get(id),
  );
}
