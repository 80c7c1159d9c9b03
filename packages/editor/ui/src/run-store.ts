/**
 * Per-cell run state (status, streamed text, duration, token usage), kept
 * outside the document and outside React state so that streaming into one
 * cell re-renders that cell only. Streamed text is applied at most once per
 * animation frame. What each run event does is the pure {@link applyRunEvent}.
 */
import type { Output, OutputUsage } from "@aiconfig-ts/core";
import { useSyncExternalStore } from "react";
import type { RunEvent } from "../../src/api-types";

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
  /** The error's kind (e.g. `MissingOutputError`), for a failed run. */
  readonly errorName?: string;
  /** Token usage and finish reason of the run's outputs, as the provider normalised them. */
  readonly usage?: OutputUsage;
}

/** What one run event does to the page (see {@link applyRunEvent}). */
export interface RunEventEffect {
  /** Changes of cells' run states, in order (by cell id). */
  readonly cells: readonly { readonly id: string; readonly change: Partial<CellRun> }[];
  /** A streamed piece for a cell. */
  readonly delta?: { readonly id: string; readonly index: number; readonly delta: string };
  /** Outputs to store in the document, before the cell's status changes (so streamed text is never replaced by nothing). */
  readonly outputs?: { readonly id: string; readonly outputs: Output[] };
  /** A message for the whole page (a run that could not start any prompt). */
  readonly message?: string;
  /** The run ended. */
  readonly done?: boolean;
}

/** What the page knows when applying a run's events. */
export interface RunEventContext {
  /** The run's id. */
  readonly runId: string;
  /** The cell id of a prompt name (as the document was when the run started). */
  idOf(prompt: string): string | undefined;
  /** Now, in ms since epoch (page clock). */
  readonly now: number;
}

const NO_EFFECT: RunEventEffect = { cells: [] };

/**
 * What a run event does to the cells: a pure function of the event (tested
 * without a browser). A cancelled run keeps the text it streamed, marked
 * cancelled; the stored outputs stay as they were (as in the SDK).
 */
export function applyRunEvent(event: RunEvent, ctx: RunEventContext): RunEventEffect {
  const fresh = { streamed: [] as string[], message: undefined, durationMs: undefined, errorName: undefined, usage: undefined, chunks: 0 };
  if (event.type === "done") return { cells: [], done: true, ...(event.error ? { message: `not run: ${event.error}` } : {}) };
  if (event.type === "queued") {
    const cells = event.prompts.flatMap((name) => {
      const id = ctx.idOf(name);
      return id ? [{ id, change: { status: "queued" as const, runId: ctx.runId, ...fresh } }] : [];
    });
    return { cells };
  }
  if (event.type === "waiting") {
    const cells = event.prompts.flatMap((name) => {
      const id = ctx.idOf(name);
      return id ? [{ id, change: { status: "queued" as const, runId: ctx.runId, message: `busy, position ${event.position}` } }] : [];
    });
    return { cells };
  }
  const id = ctx.idOf(event.prompt);
  if (!id) return NO_EFFECT;
  switch (event.type) {
    case "start":
      return { cells: [{ id, change: { status: "running", runId: ctx.runId, startedAt: ctx.now, ...fresh } }] };
    case "delta":
      return { cells: [], delta: { id, index: event.index, delta: event.delta } };
    case "outputs":
      return {
        cells: [{ id, change: { status: "done", durationMs: event.durationMs, streamed: [] } }],
        outputs: { id, outputs: event.outputs },
      };
    case "error":
      return {
        cells: [
          {
            id,
            change: {
              status: "error",
              durationMs: event.durationMs,
              message: `${event.name}: ${event.message}`,
              errorName: event.name,
              streamed: [],
            },
          },
        ],
        ...(event.outputs ? { outputs: { id, outputs: event.outputs } } : {}),
      };
    case "cancelled":
      return { cells: [{ id, change: { status: "cancelled" } }] };
    case "skipped":
      return { cells: [{ id, change: { status: "skipped", message: event.reason, streamed: [] } }] };
  }
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

  /**
   * Applies a run event's effect to the cells (not the document: the caller
   * stores `effect.outputs` first).
   */
  apply(effect: RunEventEffect): void {
    if (effect.delta) this.delta(effect.delta.id, effect.delta.index, effect.delta.delta);
    for (const { id, change } of effect.cells) this.set(id, change);
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
