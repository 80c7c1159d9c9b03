import type { AIConfig } from "@aiconfig-ts/core";
import { startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { flushSync } from "react-dom";
import type { EditorState, ProviderInfo, RunEvent } from "../../../src/api-types";
import { ApiError, EditorApi } from "../api-client";
import {
  type DocState,
  type History,
  applyOutputs,
  clearOutputs,
  deletePrompt,
  edit,
  initialHistory,
  insertPrompt,
  movePrompt,
  promptModelName,
  redo,
  renamePrompt,
  replaceDoc,
  undo,
  updateDoc,
  updatePromptAt,
} from "../doc-state";
import { type NotebookActions, NotebookContext, type NotebookContextValue } from "../notebook-context";
import { RunStore } from "../run-store";
import { Cell } from "./Cell";
import { ConfigHeader } from "./ConfigHeader";
import { MODELS_DATALIST_ID } from "./ModelPicker";
import { SHORTCUTS, Toolbar } from "./Toolbar";

/** Props of {@link AIConfigNotebook}. */
export interface AIConfigNotebookProps {
  /** Where the editor's server is, e.g. `http://127.0.0.1:8080/` (the page's own origin when served by it). */
  backendUrl: string;
  /** The server's token, when the page has no cookie for it (an app embedding the notebook). */
  token?: string;
  /**
   * A state to show without a server (an exported page): shown read-only, with
   * no runs and no saving.
   */
  staticState?: EditorState;
}

type Banner = { kind: "error" | "info"; message: string; problems?: string[] } | undefined;

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function baseName(fileName: string): string {
  return fileName.replace(/\.(aiconfig\.)?(json|ya?ml)$/i, "") || "aiconfig";
}

function readFileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

function initialTheme(): "light" | "dark" {
  try {
    const saved = localStorage.getItem("aiconfig-editor-theme");
    if (saved === "light" || saved === "dark") return saved;
  } catch {
    // storage unavailable
  }
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

const IDENTIFIER_FREE = /\S/;

/** Cells rendered at once when a notebook opens; the rest follow in interruptible chunks. */
const FIRST_CELLS = 30;
const CELL_CHUNK = 120;

/**
 * The AI Workbook: a notebook editor for one aiconfig file, talking to the
 * editor's server at `backendUrl` (see `createEditorApp`). A component, so
 * that other apps can embed it.
 */
export function AIConfigNotebook({ backendUrl, token, staticState }: AIConfigNotebookProps) {
  const api = useMemo(() => new EditorApi(backendUrl, token), [backendUrl, token]);
  const isStatic = staticState !== undefined;
  const [meta, setMeta] = useState<EditorState | undefined>(staticState);
  const [loadError, setLoadError] = useState<string>();
  const [history, setHistory] = useState<History | undefined>(() => (staticState ? initialHistory(staticState.config) : undefined));
  const [saved, setSaved] = useState<{ doc: AIConfig | undefined; version: string }>({
    doc: history?.present.doc,
    version: staticState?.version ?? "",
  });
  const [activeId, setActiveId] = useState<string>();
  const [banner, setBanner] = useState<Banner>();
  const [conflict, setConflict] = useState(false);
  const [offline, setOffline] = useState(false);
  const [help, setHelp] = useState(false);
  const [theme, setTheme] = useState<"light" | "dark">(initialTheme);
  const [modelMap, setModelMap] = useState<Record<string, string | null>>({});
  const [renderLimit, setRenderLimit] = useState(FIRST_CELLS);
  const runs = useRef(new RunStore()).current;
  const busy = useSyncExternalStore(
    (l) => runs.subscribeAll(l),
    () => runs.busy(),
  );

  const historyRef = useRef(history);
  historyRef.current = history;
  const savedRef = useRef(saved);
  savedRef.current = saved;
  const metaRef = useRef(meta);
  metaRef.current = meta;
  const activeRef = useRef(activeId);
  activeRef.current = activeId;
  const pendingFocus = useRef<{ id: string; edit: boolean } | undefined>(undefined);
  const followers = useRef(new Map<string, () => void>());
  const lastD = useRef(0);

  const readOnly = isStatic || (meta?.readOnly ?? true);
  const doc = history?.present.doc;
  const ids = history?.present.ids ?? [];
  const dirty = !readOnly && doc !== undefined && doc !== saved.doc;

  // ---- loading ----
  useEffect(() => {
    if (isStatic) return;
    let stop = false;
    api.state().then(
      (state) => {
        if (stop) return;
        setMeta(state);
        const h = initialHistory(state.config);
        setHistory(h);
        setSaved({ doc: state.config, version: state.version });
        setActiveId(h.present.ids[0]);
      },
      (e: unknown) => !stop && setLoadError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stop = true;
    };
  }, [api, isStatic]);

  // ---- large notebooks: render the first cells at once, the rest in chunks that typing can interrupt ----
  const cellCount = history?.present.ids.length ?? 0;
  useEffect(() => {
    if (renderLimit >= cellCount) return;
    const t = setTimeout(() => startTransition(() => setRenderLimit((l) => l + CELL_CHUNK)), 0);
    return () => clearTimeout(t);
  }, [renderLimit, cellCount]);

  // ---- server reachability: poll; edits stay in the page meanwhile ----
  useEffect(() => {
    if (isStatic) return;
    const t = setInterval(async () => setOffline(!(await api.health())), 4000);
    return () => clearInterval(t);
  }, [api, isStatic]);

  // ---- warn before leaving with unsaved edits ----
  useEffect(() => {
    if (!dirty) return;
    const h = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    window.addEventListener("beforeunload", h);
    return () => window.removeEventListener("beforeunload", h);
  }, [dirty]);

  // ---- model -> provider, as the server resolves it ----
  const modelNamesKey = useMemo(() => {
    if (!doc) return "";
    const names = new Set<string>();
    if (doc.metadata?.default_model) names.add(doc.metadata.default_model);
    for (const m of Object.keys(doc.metadata?.models ?? {})) names.add(m);
    for (const p of doc.prompts) {
      const m = promptModelName(p);
      if (m) names.add(m);
    }
    return [...names].sort().join("\n");
  }, [doc]);
  const modelNames = useMemo(() => (modelNamesKey === "" ? [] : modelNamesKey.split("\n")), [modelNamesKey]);
  const parsersKey = JSON.stringify(doc?.metadata?.model_parsers ?? {});
  useEffect(() => {
    if (isStatic || !meta || modelNames.length === 0) return;
    const t = setTimeout(() => {
      api.resolveModels(modelNames, JSON.parse(parsersKey) as Record<string, string>).then(
        (found) => setModelMap(found),
        () => {},
      );
    }, 150);
    return () => clearTimeout(t);
  }, [api, isStatic, meta, modelNames, parsersKey]);

  const providers = meta?.providers ?? [];
  const providerFor = useCallback(
    (model: string | undefined): ProviderInfo | undefined => {
      if (!model) return undefined;
      const id = modelMap[model] ?? meta?.models.find((m) => m.name === model)?.provider ?? model;
      return providers.find((p) => p.id === id);
    },
    [modelMap, providers, meta],
  );
  const knownModels = useMemo(() => new Set([...(meta?.models.map((m) => m.name) ?? []), ...modelNames]), [meta, modelNames]);

  // ---- edits ----
  const notify = useCallback((message: string, kind: "error" | "info" = "info") => setBanner({ kind, message }), []);
  const change = useCallback((fn: (s: DocState) => DocState, key?: string) => {
    setHistory((h) => (h ? edit(h, fn, key) : h));
  }, []);

  const readOnlyRef = useRef(readOnly);
  readOnlyRef.current = readOnly;

  const reportError = useCallback((e: unknown) => {
    if (e instanceof ApiError) {
      if (e.unreachable) setOffline(true);
      setBanner({
        kind: "error",
        message: e.message,
        problems: e.body?.problems && e.body.problems.length > 1 ? e.body.problems : undefined,
      });
    } else setBanner({ kind: "error", message: e instanceof Error ? e.message : String(e) });
  }, []);

  const startRun = useCallback(
    async (mode: "one" | "deps" | "all", cellId?: string, continueOnError = false) => {
      const h = historyRef.current;
      if (!h || readOnlyRef.current) return;
      const current = h.present;
      const nameToId = new Map(current.doc.prompts.map((p, i) => [p.name, current.ids[i]!]));
      const prompt = cellId ? current.doc.prompts[current.ids.indexOf(cellId)]?.name : undefined;
      if (mode !== "all" && !prompt) return;
      if (prompt) runs.set(cellId!, { status: "queued", streamed: [], message: undefined, durationMs: undefined, chunks: 0 });
      let runId: string;
      try {
        ({ runId } = await api.startRun({ config: current.doc, mode, prompt, continueOnError }));
      } catch (e) {
        if (cellId) runs.set(cellId, { status: "error", message: e instanceof Error ? e.message : String(e) });
        reportError(e);
        return;
      }
      const idOf = (name: string) => nameToId.get(name);
      const stop = api.followRun(
        runId,
        (ev: RunEvent) => {
          if (ev.type === "done") {
            followers.current.delete(runId);
            if (ev.error) setBanner({ kind: "error", message: `not run: ${ev.error}` });
            return;
          }
          if (ev.type === "queued") {
            for (const name of ev.prompts) {
              const id = idOf(name);
              if (id) runs.set(id, { status: "queued", runId, streamed: [], message: undefined, durationMs: undefined, chunks: 0 });
            }
            return;
          }
          const id = idOf(ev.prompt);
          if (!id) return;
          switch (ev.type) {
            case "start":
              runs.set(id, { status: "running", runId, startedAt: Date.now(), streamed: [], chunks: 0, message: undefined });
              break;
            case "delta":
              runs.delta(id, ev.index, ev.delta);
              break;
            case "outputs":
              // outputs first, then the status, so the streamed text is never replaced by nothing
              flushSync(() => setHistory((hh) => (hh ? applyOutputs(hh, id, ev.outputs) : hh)));
              runs.set(id, { status: "done", durationMs: ev.durationMs, streamed: [] });
              break;
            case "error":
              if (ev.outputs) flushSync(() => setHistory((hh) => (hh ? applyOutputs(hh, id, ev.outputs) : hh)));
              runs.set(id, { status: "error", durationMs: ev.durationMs, message: `${ev.name}: ${ev.message}`, streamed: [] });
              break;
            case "cancelled":
              runs.set(id, { status: "cancelled", streamed: [] });
              break;
            case "skipped":
              runs.set(id, { status: "skipped", message: ev.reason, streamed: [] });
              break;
          }
        },
        () => {
          followers.current.delete(runId);
          for (const id of nameToId.values()) {
            const r = runs.get(id);
            if (r.runId === runId && (r.status === "running" || r.status === "queued"))
              runs.set(id, { status: "error", message: "the connection to the editor's server was lost", streamed: [] });
          }
          void api.health().then((ok) => setOffline(!ok));
        },
      );
      followers.current.set(runId, stop);
    },
    [api, runs, reportError],
  );
  const actions = useMemo<NotebookActions>(
    () => ({
      editCell(id, fn, key) {
        change((s) => updatePromptAt(s, s.ids.indexOf(id), fn), key);
      },
      renameCell(id, name) {
        const h = historyRef.current;
        if (!h) return "not loaded";
        if (!IDENTIFIER_FREE.test(name)) return "a prompt needs a name";
        const i = h.present.ids.indexOf(id);
        if (h.present.doc.prompts.some((p, j) => j !== i && p.name === name)) return `a prompt named "${name}" already exists`;
        change((s) => renamePrompt(s, s.ids.indexOf(id), name));
        return undefined;
      },
      insertCell(at) {
        const h = historyRef.current;
        if (!h || readOnlyRef.current) return;
        const near = h.present.doc.prompts[Math.min(at, h.present.doc.prompts.length - 1)] ?? h.present.doc.prompts[at - 1];
        const model = near ? promptModelName(near) : undefined;
        const next = insertPrompt(h.present, at, model && model !== h.present.doc.metadata?.default_model ? model : undefined);
        change(() => next);
        pendingFocus.current = { id: next.ids[at]!, edit: true };
        setActiveId(next.ids[at]);
      },
      deleteCell(id) {
        if (readOnlyRef.current) return;
        const i = historyRef.current?.present.ids.indexOf(id) ?? -1;
        if (i < 0) return;
        const ids = historyRef.current!.present.ids;
        const neighbour = ids[i + 1] ?? ids[i - 1];
        change((s) => deletePrompt(s, s.ids.indexOf(id)));
        if (neighbour) {
          setActiveId(neighbour);
          pendingFocus.current = { id: neighbour, edit: false };
        }
      },
      moveCell(id, delta) {
        change((s) => movePrompt(s, s.ids.indexOf(id), delta));
        pendingFocus.current = { id, edit: false };
      },
      run(id, mode) {
        void startRun(mode, id);
      },
      cancel(id) {
        const r = runs.get(id);
        const h = historyRef.current;
        const name = h?.present.doc.prompts[h.present.ids.indexOf(id)]?.name;
        if (r.runId) api.cancelRun(r.runId, name).catch(reportError);
      },
      select(id) {
        if (activeRef.current !== id) setActiveId(id);
      },
      async attach(id, file, mode) {
        try {
          const base64 = await readFileBase64(file);
          const mimeType = file.type || "application/octet-stream";
          const data =
            mode === "base64"
              ? { kind: "base64" as const, value: base64 }
              : {
                  kind: "file_uri" as const,
                  ...(await api.uploadAttachment({ name: file.name, mimeType, base64 }).then((r) => ({ value: r.file_uri }))),
                };
          change((s) =>
            updatePromptAt(s, s.ids.indexOf(id), (p) => {
              const input = typeof p.input === "string" ? { data: p.input } : { ...p.input };
              input.attachments = [...(input.attachments ?? []), { data, mime_type: mimeType }];
              return { ...p, input };
            }),
          );
        } catch (e) {
          reportError(e);
        }
      },
      fileUrl(path) {
        return isStatic ? path : api.fileUrl(path);
      },
      notify,
    }),
    [api, change, startRun, runs, notify, reportError, isStatic],
  );

  // ---- save, reload, downloads ----
  const save = useCallback(
    async (force = false) => {
      const h = historyRef.current;
      if (!h || readOnlyRef.current) return;
      const sent = h.present.doc;
      try {
        const res = await api.save(sent, savedRef.current.version, force);
        setSaved({ doc: sent, version: res.version });
        setConflict(false);
        setBanner(undefined);
      } catch (e) {
        if (e instanceof ApiError && e.body?.conflict) setConflict(true);
        else reportError(e);
      }
    },
    [api, reportError],
  );
  const reload = useCallback(async () => {
    try {
      const disk = await api.disk();
      runs.reset();
      const h = replaceDoc(disk.config);
      setHistory(h);
      setSaved({ doc: disk.config, version: disk.version });
      setActiveId(h.present.ids[0]);
      setConflict(false);
      setBanner({ kind: "info", message: "Reloaded the file from disk." });
    } catch (e) {
      reportError(e);
    }
  }, [api, runs, reportError]);
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
      setBanner({ kind: "info", message: "Copied the config (JSON) to the clipboard." });
    } catch (e) {
      setBanner({ kind: "error", message: `cannot copy: ${e instanceof Error ? e.message : e}; use Download JSON` });
    }
  }, []);
  const cancelAll = useCallback(() => {
    for (const runId of followers.current.keys()) api.cancelRun(runId).catch(() => {});
  }, [api]);

  // ---- focus after structural edits ----
  useLayoutEffect(() => {
    const f = pendingFocus.current;
    if (!f) return;
    pendingFocus.current = undefined;
    const el = document.querySelector<HTMLElement>(`[data-cell-id="${f.id}"]`);
    if (!el) return;
    (f.edit ? (el.querySelector<HTMLElement>(".input-text") ?? el) : el).focus();
    el.scrollIntoView({ block: "nearest" });
  });

  // ---- keyboard: Jupyter conventions ----
  useEffect(() => {
    const focusCell = (id: string | undefined, editMode: boolean) => {
      if (!id) return;
      setActiveId(id);
      pendingFocus.current = { id, edit: editMode };
      const el = document.querySelector<HTMLElement>(`[data-cell-id="${id}"]`);
      if (el) {
        (editMode ? (el.querySelector<HTMLElement>(".input-text") ?? el) : el).focus();
        el.scrollIntoView({ block: "nearest" });
        pendingFocus.current = undefined;
      }
    };
    const onKey = (e: KeyboardEvent) => {
      const h = historyRef.current;
      if (!h) return;
      const mod = e.ctrlKey || e.metaKey;
      const target = e.target as HTMLElement | null;
      const editing = !!target?.closest("input, textarea, select, [contenteditable=true]");
      const cellEl = target?.closest<HTMLElement>("[data-cell-id]");
      const cellId = cellEl?.dataset.cellId ?? activeRef.current;
      const ids = h.present.ids;
      const ro = readOnlyRef.current;
      if (mod && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void save();
        return;
      }
      if (mod && e.key.toLowerCase() === "z" && !ro) {
        e.preventDefault();
        setHistory((x) => (x ? (e.shiftKey ? redo(x) : undo(x)) : x));
        return;
      }
      if (mod && e.key.toLowerCase() === "y" && !ro) {
        e.preventDefault();
        setHistory((x) => (x ? redo(x) : x));
        return;
      }
      if (e.key === "Enter" && (e.shiftKey || mod) && cellId && ids.includes(cellId)) {
        e.preventDefault();
        if (!ro) void startRun("one", cellId);
        if (e.shiftKey) {
          const next = ids[ids.indexOf(cellId) + 1];
          if (next) focusCell(next, false);
          else if (!ro) actions.insertCell(ids.length);
        }
        return;
      }
      if (e.key === "Escape") {
        if (editing && cellEl) {
          e.preventDefault();
          cellEl.focus();
        } else if (editing) (target as HTMLElement).blur();
        setHelp(false);
        return;
      }
      if (editing || mod || e.altKey) return;
      // command mode
      const i = cellId ? ids.indexOf(cellId) : -1;
      switch (e.key) {
        case "Enter":
          if (cellId) {
            e.preventDefault();
            focusCell(cellId, true);
          }
          break;
        case "ArrowUp":
        case "k":
          if (i > 0) {
            e.preventDefault();
            focusCell(ids[i - 1], false);
          }
          break;
        case "ArrowDown":
        case "j":
          if (i >= 0 && i < ids.length - 1) {
            e.preventDefault();
            focusCell(ids[i + 1], false);
          }
          break;
        case "a":
        case "b":
          if (!ro) {
            e.preventDefault();
            actions.insertCell(e.key === "a" ? Math.max(i, 0) : i + 1);
          }
          break;
        case "d":
          if (!ro && cellId) {
            const now = Date.now();
            if (now - lastD.current < 800) {
              lastD.current = 0;
              actions.deleteCell(cellId);
            } else lastD.current = now;
          }
          break;
        case "z":
        case "Z":
          if (!ro) setHistory((x) => (x ? (e.shiftKey ? redo(x) : undo(x)) : x));
          break;
        case "?":
          setHelp((v) => !v);
          break;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [actions, save, startRun]);

  // ---- derived props for cells ----
  const globalParams = doc?.metadata?.parameters;
  const globalParameters = useMemo(() => new Set(Object.keys(globalParams ?? {})), [globalParams]);
  const promptNamesKey = doc?.prompts.map((p) => p.name).join("\n") ?? "";
  const promptNames = useMemo(() => new Set(promptNamesKey === "" ? [] : promptNamesKey.split("\n")), [promptNamesKey]);
  const onHeader = useCallback((fn: (d: AIConfig) => AIConfig, key?: string) => change((s) => updateDoc(s, fn), key), [change]);

  const context = useMemo<NotebookContextValue>(
    () => ({ actions, runs, readOnly, providers, providerFor }),
    [actions, runs, readOnly, providers, providerFor],
  );

  if (loadError)
    return (
      <div className="aiw" data-theme={theme}>
        <div className="banner error">Cannot load the notebook: {loadError}</div>
      </div>
    );
  if (!history || !meta || !doc)
    return (
      <div className="aiw" data-theme={theme}>
        <div className="loading">Loading…</div>
      </div>
    );
  const defaultModel = doc.metadata?.default_model;

  return (
    <NotebookContext.Provider value={context}>
      <div className="aiw" data-theme={theme} data-ready="true" data-all-cells={renderLimit >= doc.prompts.length ? "true" : "false"}>
        <Toolbar
          fileName={meta.fileName}
          dirty={dirty}
          readOnly={readOnly}
          busy={busy}
          canUndo={history.past.length > 0}
          canRedo={history.future.length > 0}
          offline={offline}
          theme={theme}
          onSave={() => void save()}
          onRunAll={(c) => void startRun("all", undefined, c)}
          onCancelAll={cancelAll}
          onClearOutputs={() => {
            change(clearOutputs);
            runs.reset();
          }}
          onUndo={() => setHistory((x) => (x ? undo(x) : x))}
          onRedo={() => setHistory((x) => (x ? redo(x) : x))}
          onDownload={(f) => void downloadAs(f)}
          onExport={() => void exportHtml()}
          onTheme={() =>
            setTheme((t) => {
              const next = t === "dark" ? "light" : "dark";
              try {
                localStorage.setItem("aiconfig-editor-theme", next);
              } catch {
                // storage unavailable
              }
              return next;
            })
          }
          onHelp={() => setHelp((v) => !v)}
        />
        {offline && (
          <div className="banner error" role="alert">
            The editor's server is not reachable. Your edits are kept in this page{dirty ? " (unsaved)" : ""}:{" "}
            <button type="button" className="button" onClick={() => void copyJson()}>
              Copy JSON
            </button>{" "}
            <button type="button" className="button" onClick={() => void downloadAs("json")}>
              Download JSON
            </button>
          </div>
        )}
        {conflict && (
          <div className="banner warning conflict" role="alert">
            <strong>{meta.fileName} changed on disk</strong> since it was loaded here. Saving now would overwrite those changes.{" "}
            <button type="button" className="button" onClick={() => void reload()}>
              Reload from disk (drop my edits)
            </button>{" "}
            <button type="button" className="button danger" onClick={() => void save(true)}>
              Overwrite with my version
            </button>{" "}
            <button type="button" className="button" onClick={() => setConflict(false)}>
              Cancel
            </button>
          </div>
        )}
        {banner && (
          <div className={`banner ${banner.kind}`} role={banner.kind === "error" ? "alert" : "status"}>
            <span className="banner-message">{banner.message}</span>
            {banner.problems && (
              <ul>
                {banner.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            )}
            <button type="button" className="icon-button" aria-label="dismiss" onClick={() => setBanner(undefined)}>
              ×
            </button>
          </div>
        )}
        {help && (
          <div className="help" role="dialog" aria-label="keyboard shortcuts">
            <strong>Keyboard shortcuts</strong>
            <table>
              <tbody>
                {SHORTCUTS.map(([k, v]) => (
                  <tr key={k}>
                    <td>
                      <kbd>{k}</kbd>
                    </td>
                    <td>{v}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <main className="notebook">
          <ConfigHeader doc={doc} knownModels={knownModels} onChange={onHeader} />
          <datalist id={MODELS_DATALIST_ID}>
            {[...knownModels].sort().map((m) => (
              <option key={m} value={m}>
                {providerFor(m)?.id ?? ""}
              </option>
            ))}
          </datalist>
          <div className="cells">
            {doc.prompts.map((p, i) =>
              i >= renderLimit && ids[i] !== activeId ? (
                <div key={ids[i]} className="cell cell-placeholder" />
              ) : (
                <Cell
                  key={ids[i]}
                  id={ids[i]!}
                  index={i}
                  isLast={i === doc.prompts.length - 1}
                  prompt={p}
                  active={ids[i] === activeId}
                  globalParameters={globalParameters}
                  promptNames={promptNames}
                  defaultModel={defaultModel}
                  knownModels={knownModels}
                  provider={providerFor(promptModelName(p) ?? defaultModel)}
                />
              ),
            )}
          </div>
          {!readOnly && (
            <button type="button" className="button add-cell" onClick={() => actions.insertCell(doc.prompts.length)}>
              + Add prompt
            </button>
          )}
        </main>
      </div>
    </NotebookContext.Provider>
  );
}
