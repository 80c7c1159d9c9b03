/**
 * The runs of one notebook: each {@link RunSession} by id, kept a minute
 * after it ends (so a page that connects late still gets its events), and
 * which prompts are running (a prompt never runs twice at once).
 *
 * @packageDocumentation
 */
import type { AIConfigRuntime, Output } from "@aiconfig-ts/core";
import { type NotebookContext, notebookError } from "./notebook-context.js";
import { type RunMode, RunSession } from "./run-session.js";

/** How long a finished run's events stay available, in ms. */
export const FINISHED_RUN_KEPT_MS = 60_000;

/** The runs of one notebook. */
export class RunRegistry {
  readonly #sessions = new Map<string, RunSession>();
  readonly #runningPrompts = new Map<string, string>();

  /** The runs in progress or finished less than {@link FINISHED_RUN_KEPT_MS} ago, by id. */
  get sessions(): ReadonlyMap<string, RunSession> {
    return this.#sessions;
  }

  /** A run by id. */
  get(id: string): RunSession | undefined {
    return this.#sessions.get(id);
  }

  /**
   * Starts a run on a runtime of its own (it runs in the background).
   * @param secrets values redacted from the run's events
   * @param storeOutputs changes a prompt's outputs before they are sent (see {@link NotebookContext.storeOutputs})
   * @throws {HTTPException} 409 when a prompt it would run is already running
   */
  start(
    runtime: AIConfigRuntime,
    what: RunMode,
    secrets: readonly string[],
    storeOutputs?: (prompt: string, outputs: Output[]) => Output[],
  ): RunSession {
    const names = what.mode === "all" ? runtime.config.prompts.map((p) => p.name) : [what.prompt];
    const busy = names.find((n) => this.#runningPrompts.has(n));
    if (busy) throw notebookError(409, `prompt "${busy}" is already running: wait for it or cancel it`);
    const id = globalThis.crypto.randomUUID();
    const session = new RunSession(id, secrets, storeOutputs);
    for (const n of names) this.#runningPrompts.set(n, id);
    this.#sessions.set(id, session);
    void session.execute(runtime, what).finally(() => {
      for (const [n, owner] of this.#runningPrompts) if (owner === id) this.#runningPrompts.delete(n);
      const forget = setTimeout(() => this.#sessions.delete(id), FINISHED_RUN_KEPT_MS);
      // Node: do not keep the process alive for it (a browser's timer id is a number)
      if (typeof forget === "object") forget.unref();
    });
    return session;
  }

  /** Cancels every run in progress. */
  cancelAll(): void {
    for (const s of this.#sessions.values()) if (!s.done) s.controller.abort();
  }
}
