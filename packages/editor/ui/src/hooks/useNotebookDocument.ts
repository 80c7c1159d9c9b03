/**
 * The document being edited: loading it from the server (or a static page's
 * state), the undo history, the version last saved, saving with conflict
 * detection, reloading from disk, and downloads.
 */
import type { AIConfig } from "@aiconfig-ts/core";
import { useCallback, useEffect, useRef, useState } from "react";
import type { EditorState } from "../../../src/api-types";
import { ApiError, type EditorApi } from "../api-client";
import type { Banner } from "../banner";
import { downloadText as download } from "../download-text";
import { type DocState, type History, edit, initialHistory, replaceDoc } from "../doc-state";

/** A file name's stem: `story.aiconfig.json` -> `story`. */
export function baseName(fileName: string): string {
  return fileName.replace(/\.(aiconfig\.)?(json|ya?ml)$/i, "") || "aiconfig";
}

/** What {@link useNotebookDocument} gives the notebook. */
export interface NotebookDocument {
  meta: EditorState | undefined;
  loadError: string | undefined;
  history: History | undefined;
  /** Always the latest history (for callbacks that must not re-create on every edit). */
  historyRef: { readonly current: History | undefined };
  setHistory(update: (h: History | undefined) => History | undefined): void;
  /** Applies an edit; `key` merges typing in one field into one undo step. */
  change(fn: (s: DocState) => DocState, key?: string): void;
  readOnly: boolean;
  readOnlyRef: { readonly current: boolean };
  /** Edits not saved yet. */
  dirty: boolean;
  /** The file changed on disk since it was loaded here (a save was refused). */
  conflict: boolean;
  setConflict(conflict: boolean): void;
  save(force?: boolean): Promise<void>;
  /**
   * Reads the state again for what it says about the backend (providers, which keys are set, `hosted`),
   * keeping the document, its history and the runs going: e.g. after the visitor enters a key.
   */
  refreshMeta(): Promise<void>;
  reload(): Promise<void>;
  downloadAs(format: "json" | "yaml"): Promise<void>;
  exportHtml(): Promise<void>;
  copyJson(): Promise<void>;
}

/**
 * Loads and holds the document.
 * @param onLoaded called with the first cell's id once loaded (to select it)
 * @param report shows a message (errors of saving, reloading, downloads)
 */
export function useNotebookDocument(
  api: EditorApi,
  staticState: EditorState | undefined,
  report: (banner: Banner | undefined) => void,
  reportError: (e: unknown) => void,
  onLoaded: (firstCellId: string | undefined) => void,
): NotebookDocument {
  const isStatic = staticState !== undefined;
  const [meta, setMeta] = useState<EditorState | undefined>(staticState);
  const [loadError, setLoadError] = useState<string>();
  const [history, setHistoryState] = useState<History | undefined>(() => (staticState ? initialHistory(staticState.config) : undefined));
  const [saved, setSaved] = useState<{ doc: AIConfig | undefined; version: string }>({
    doc: history?.present.doc,
    version: staticState?.version ?? "",
  });
  const [conflict, setConflict] = useState(false);
  const historyRef = useRef(history);
  historyRef.current = history;
  const savedRef = useRef(saved);
  savedRef.current = saved;
  const metaRef = useRef(meta);
  metaRef.current = meta;
  const readOnly = isStatic || (meta?.readOnly ?? true);
  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;
  const doc = history?.present.doc;
  const dirty = !readOnly && doc !== undefined && doc !== saved.doc;
  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;

  const setHistory = useCallback((update: (h: History | undefined) => History | undefined) => setHistoryState(update), []);
  const change = useCallback((fn: (s: DocState) => DocState, key?: string) => {
    setHistoryState((h) => (h ? edit(h, fn, key) : h));
  }, []);

  useEffect(() => {
    if (isStatic) return;
    let stop = false;
    api.state().then(
      (state) => {
        if (stop) return;
        setMeta(state);
        const h = initialHistory(state.config);
        setHistoryState(h);
        setSaved({ doc: state.config, version: state.version });
        onLoadedRef.current(h.present.ids[0]);
        if (state.warning) report({ kind: "error", message: state.warning });
      },
      (e: unknown) => !stop && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stop = true;
    };
  }, [api, isStatic, report]);

  // warn before leaving with unsaved edits
  useEffect(() => {
    if (!dirty) return;
    const h = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", h);
    return () => window.removeEventListener("beforeunload", h);
  }, [dirty]);

  const save = useCallback(
    async (force = false) => {
      const h = historyRef.current;
      if (!h || readOnlyRef.current) return;
      const sent = h.present.doc;
      try {
        const res = await api.save(sent, savedRef.current.version, force);
        setSaved({ doc: sent, version: res.version });
        setConflict(false);
        report(undefined);
      } catch (e) {
        if (e instanceof ApiError && e.body?.conflict) setConflict(true);
        else reportError(e);
      }
    },
    [api, report, reportError],
  );
  const refreshMeta = useCallback(async () => {
    try {
      const state = await api.state();
      setMeta((m) => (m ? { ...state, config: m.config, version: m.version } : m));
    } catch (e) {
      reportError(e);
    }
  }, [api, reportError]);
  const reload = useCallback(async () => {
    try {
      const disk = await api.disk();
      const h = replaceDoc(disk.config);
      setHistoryState(h);
      setSaved({ doc: disk.config, version: disk.version });
      onLoadedRef.current(h.present.ids[0]);
      setConflict(false);
      report({ kind: "info", message: "Reloaded the file from disk." });
    } catch (e) {
      reportError(e);
    }
  }, [api, report, reportError]);
  const downloadAs = useCallback(
    async (format: "json" | "yaml") => {
      const h = historyRef.current;
      if (!h) return;
      const name = `${baseName(metaRef.current?.fileName ?? "aiconfig")}.aiconfig.${format}`;
      if (format === "json") return download(name, `${JSON.stringify(h.present.doc, null, 2)}\n`, "application/json");
      try {
        download(name, await api.serialize(h.present.doc, "yaml"), "application/yaml");
      } catch (e) {
        reportError(e);
      }
    },
    [api, reportError],
  );
  const exportHtml = useCallback(async () => {
    const h = historyRef.current;
    if (!h) return;
    try {
      download(`${baseName(metaRef.current?.fileName ?? "aiconfig")}.html`, await api.exportHtml(h.present.doc), "text/html");
    } catch (e) {
      reportError(e);
    }
  }, [api, reportError]);
  const copyJson = useCallback(async () => {
    const h = historyRef.current;
    if (!h) return;
    try {
      await navigator.clipboard.writeText(JSON.stringify(h.present.doc, null, 2));
      report({ kind: "info", message: "Copied the config (JSON) to the clipboard." });
    } catch (e) {
      report({ kind: "error", message: `cannot copy: ${e instanceof Error ? e.message : e}; use Download JSON` });
    }
  }, [report]);

  return {
    meta,
    loadError,
    history,
    historyRef,
    setHistory,
    change,
    readOnly,
    readOnlyRef,
    dirty,
    conflict,
    setConflict,
    save,
    refreshMeta,
    reload,
    downloadAs,
    exportHtml,
    copyJson,
  };
}
