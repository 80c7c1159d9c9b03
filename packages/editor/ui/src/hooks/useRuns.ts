/**
 * Runs started from the page: starts them on the server with the document as
 * edited, follows their events (applied through the pure `applyRunEvent`),
 * stores outputs in the document's history, and cancels them.
 */
import { useCallback, useRef, useSyncExternalStore } from "react";
import { flushSync } from "react-dom";
import type { EditorApi } from "../api-client";
import type { Banner } from "../banner";
import { type History, applyOutputs } from "../doc-state";
import { RunStore, applyRunEvent } from "../run-store";

/** What {@link useRuns} gives the notebook. */
export interface NotebookRuns {
  runs: RunStore;
  /** Whether any cell is queued or running. */
  busy: boolean;
  /** Runs one cell (`one`), a cell after the cells it refers to (`deps`), or every cell (`all`). */
  startRun(mode: "one" | "deps" | "all", cellId?: string, continueOnError?: boolean): Promise<void>;
  /** Cancels a cell's run. */
  cancel(cellId: string): void;
  /** Cancels every run the page follows. */
  cancelAll(): void;
}

/** Runs of the notebook's cells. */
export function useRuns(options: {
  api: EditorApi;
  historyRef: { readonly current: History | undefined };
  readOnlyRef: { readonly current: boolean };
  setHistory(update: (h: History | undefined) => History | undefined): void;
  report(banner: Banner | undefined): void;
  reportError(e: unknown): void;
  /** Called when a run's stream breaks (the server may be gone). */
  onLost(): void;
}): NotebookRuns {
  const { api, historyRef, readOnlyRef, setHistory, report, reportError, onLost } = options;
  const runs = useRef(new RunStore()).current;
  const followers = useRef(new Map<string, () => void>());
  const busy = useSyncExternalStore(
    (l) => runs.subscribeAll(l),
    () => runs.busy(),
  );

  const startRun = useCallback(
    async (mode: "one" | "deps" | "all", cellId?: string, continueOnError = false) => {
      const h = historyRef.current;
      if (!h || readOnlyRef.current) return;
      const current = h.present;
      const nameToId = new Map(current.doc.prompts.map((p, i) => [p.name, current.ids[i]!]));
      const prompt = cellId ? current.doc.prompts[current.ids.indexOf(cellId)]?.name : undefined;
      if (mode !== "all" && !prompt) return;
      if (prompt)
        runs.set(cellId!, { status: "queued", streamed: [], message: undefined, durationMs: undefined, errorName: undefined, chunks: 0 });
      let runId: string;
      try {
        ({ runId } = await api.startRun({ config: current.doc, mode, prompt, continueOnError }));
      } catch (e) {
        if (cellId) runs.set(cellId, { status: "error", message: e instanceof Error ? e.message : String(e) });
        reportError(e);
        return;
      }
      const stop = api.followRun(
        runId,
        (event) => {
          const effect = applyRunEvent(event, { runId, idOf: (name) => nameToId.get(name), now: Date.now() });
          if (effect.outputs) {
            const { id, outputs } = effect.outputs;
            flushSync(() => setHistory((hh) => (hh ? applyOutputs(hh, id, outputs) : hh)));
          }
          runs.apply(effect);
          if (effect.message) report({ kind: "error", message: effect.message });
          if (effect.done) followers.current.delete(runId);
        },
        () => {
          followers.current.delete(runId);
          for (const id of nameToId.values()) {
            const r = runs.get(id);
            if (r.runId === runId && (r.status === "running" || r.status === "queued"))
              runs.set(id, { status: "error", message: "the connection to the editor's server was lost", streamed: [] });
          }
          onLost();
        },
      );
      followers.current.set(runId, stop);
    },
    [api, runs, historyRef, readOnlyRef, setHistory, report, reportError, onLost],
  );

  const cancel = useCallback(
    (cellId: string) => {
      const r = runs.get(cellId);
      const h = historyRef.current;
      const name = h?.present.doc.prompts[h.present.ids.indexOf(cellId)]?.name;
      if (r.runId) api.cancelRun(r.runId, name).catch(reportError);
    },
    [api, runs, historyRef, reportError],
  );
  const cancelAll = useCallback(() => {
    for (const runId of followers.current.keys()) api.cancelRun(runId).catch(() => {});
  }, [api]);

  return { runs, busy, startRun, cancel, cancelAll };
}
