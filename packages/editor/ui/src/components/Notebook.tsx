import type { AIConfig } from "@aiconfig-ts/core";
import { promptOwnModelName } from "@aiconfig-ts/core/document";
import { type ReactNode, startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { EditorState, ModelInfo, ProviderInfo } from "../../../src/api-types";
import { ApiError, EditorApi, IN_PAGE_BACKEND_URL, type NotebookFetch } from "../api-client";
import type { Banner } from "../banner";
import {
  clearOutputs,
  deletePrompt,
  insertPrompt,
  movePrompt,
  redo,
  renameParameterUses,
  renamePrompt,
  replaceDoc,
  undo,
  updateDoc,
  updatePromptAt,
} from "../doc-state";
import { useNotebookDocument } from "../hooks/useNotebookDocument";
import { useNotebookKeyboard } from "../hooks/useNotebookKeyboard";
import { useRuns } from "../hooks/useRuns";
import { useServerHealth } from "../hooks/useServerHealth";
import { groupModels, providerReadiness } from "../model-catalog";
import { type NotebookActions, NotebookContext, type NotebookContextValue } from "../notebook-context";
import { Banners } from "./Banners";
import { Cell } from "./Cell";
import { ConfigHeader } from "./ConfigHeader";
import { HostedBar } from "./HostedBar";
import { MODELS_DATALIST_ID } from "./ModelPicker";
import { TaskPicker } from "./TaskPicker";
import { shortcutsFor, Toolbar } from "./Toolbar";

/** Props of {@link AIConfigNotebook}. */
export interface AIConfigNotebookProps {
  /**
   * Where the editor's server is, e.g. `http://127.0.0.1:8080/` (the page's own origin when served by it).
   * Default: with `fetch`, {@link IN_PAGE_BACKEND_URL}; else the folder of the page's own URL.
   */
  backendUrl?: string;
  /** The server's token, when the page has no cookie for it (an app embedding the notebook). */
  token?: string;
  /**
   * Answers the notebook's API calls in the page instead of a server: a web-standard
   * `(Request) => Promise<Response>`, e.g. `createNotebookRoutes()`'s `app.fetch` over
   * `createMemoryNotebook(...)` (from `@aiconfig-ts/editor/routes`). Run events are read from its streamed answers.
   * Files the document names by a relative `file_uri` are then shown from the page's own folder.
   */
  fetch?: NotebookFetch;
  /**
   * A state to show without a server (an exported page): shown read-only, with
   * no runs and no saving.
   */
  staticState?: EditorState;
  /**
   * Renders the bar under the toolbar instead of the hosted notebook's bar (e.g. the static site's:
   * keys, download, open, share). Called on every render with the page's current document.
   */
  bar?: (props: NotebookBarProps) => ReactNode;
}

/** What {@link AIConfigNotebookProps.bar} is given. */
export interface NotebookBarProps {
  /** The page's current document, unsaved edits included. */
  doc: AIConfig;
  /** The state the page loaded (file name, format, providers, `hosted`). */
  meta: EditorState;
  api: EditorApi;
  /** Whether the page holds edits not saved to the backend. */
  dirty: boolean;
  /** Saves the page's document to the backend. */
  save(): Promise<void>;
  /** Replaces the page's notebook (an opened file). */
  onOpen(config: AIConfig): void;
  /**
   * Reads the backend's state again (providers, which keys are set) without touching the document or the
   * runs going, so the pickers see a key entered in the bar. Errors are shown in the notebook's banner.
   */
  refreshState(): Promise<void>;
  /** Shows a one-line message in the notebook's banner. */
  notify(message: string, kind?: "error" | "info"): void;
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
const NO_MODELS: readonly ModelInfo[] = [];

/** Cells rendered at once when a notebook opens; the rest follow in interruptible chunks. */
const FIRST_CELLS = 30;
const CELL_CHUNK = 120;

/**
 * The AI Workbook: a notebook editor for one aiconfig file, talking to the
 * editor's server at `backendUrl` (see `createNotebookRoutes`), or to the same
 * routes answering in the page through `fetch`. A component, so that other apps can embed it.
 */
export function AIConfigNotebook({ backendUrl, token, fetch, staticState, bar }: AIConfigNotebookProps) {
  const api = useMemo(
    () => new EditorApi(backendUrl ?? (fetch ? IN_PAGE_BACKEND_URL : new URL(".", location.href).toString()), { token, fetch }),
    [backendUrl, token, fetch],
  );
  const isStatic = staticState !== undefined;
  const [activeId, setActiveId] = useState<string>();
  const [banner, setBanner] = useState<Banner>();
  const [help, setHelp] = useState(false);
  const [theme, setTheme] = useState<"light" | "dark">(initialTheme);
  const [modelMap, setModelMap] = useState<Record<string, string | null>>({});
  const [renderLimit, setRenderLimit] = useState(FIRST_CELLS);
  const activeRef = useRef(activeId);
  activeRef.current = activeId;
  const pendingFocus = useRef<{ id: string; edit: boolean } | undefined>(undefined);

  const { offline, setOffline } = useServerHealth(api, !isStatic);
  const reportError = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError) {
        if (e.unreachable) setOffline(true);
        setBanner({
          kind: "error",
          message: e.message,
          problems: e.body?.problems && e.body.problems.length > 1 ? e.body.problems : undefined,
        });
      } else setBanner({ kind: "error", message: e instanceof Error ? e.message : String(e) });
    },
    [setOffline],
  );
  const runsReset = useRef<() => void>(() => {});
  const document_ = useNotebookDocument(api, staticState, setBanner, reportError, (first) => {
    runsReset.current();
    setActiveId(first);
  });
  const { meta, loadError, history, historyRef, setHistory, change, readOnly, readOnlyRef, dirty, conflict, setConflict } = document_;
  const onLost = useCallback(() => void api.health().then((ok) => setOffline(!ok)), [api, setOffline]);
  const { runs, busy, startRun, cancel, cancelAll } = useRuns({
    api,
    historyRef,
    readOnlyRef,
    setHistory,
    report: setBanner,
    reportError,
    onLost,
  });
  runsReset.current = () => runs.reset();

  const doc = history?.present.doc;
  const ids = history?.present.ids ?? [];

  // ---- large notebooks: render the first cells at once, the rest in chunks that typing can interrupt ----
  const cellCount = history?.present.ids.length ?? 0;
  useEffect(() => {
    if (renderLimit >= cellCount) return;
    const t = setTimeout(() => startTransition(() => setRenderLimit((l) => l + CELL_CHUNK)), 0);
    return () => clearTimeout(t);
  }, [renderLimit, cellCount]);

  // ---- model -> provider, as the server resolves it ----
  const modelNamesKey = useMemo(() => {
    if (!doc) return "";
    const names = new Set<string>();
    if (doc.metadata?.default_model) names.add(doc.metadata.default_model);
    for (const m of Object.keys(doc.metadata?.models ?? {})) names.add(m);
    for (const p of doc.prompts) {
      const m = promptOwnModelName(p);
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
  const offeredModels = meta?.models ?? NO_MODELS;
  const modelGroups = useMemo(() => groupModels(providers, offeredModels), [providers, offeredModels]);

  // ---- edits ----
  const notify = useCallback((message: string, kind: "error" | "info" = "info") => setBanner({ kind, message }), []);
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
      insertCell(at, picked) {
        const h = historyRef.current;
        if (!h || readOnlyRef.current) return;
        const near = h.present.doc.prompts[Math.min(at, h.present.doc.prompts.length - 1)] ?? h.present.doc.prompts[at - 1];
        const model = picked ?? (near ? promptOwnModelName(near) : undefined);
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
      cancel,
      select(id) {
        if (activeRef.current !== id) setActiveId(id);
      },
      async attach(id, file, mode) {
        try {
          const base64 = await readFileBase64(file);
          const mimeType = file.type || "application/octet-stream";
          const data =
            mode === "base64" || api.inPage
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
      offerParameterRename(from, to, cellId) {
        const h = historyRef.current;
        if (!h) return;
        const index = cellId === undefined ? undefined : h.present.ids.indexOf(cellId);
        const { prompts } = renameParameterUses(h.present, from, to, index);
        if (prompts === 0) return;
        setBanner({
          kind: "info",
          message: `"${from}" is now "${to}": ${prompts === 1 ? "1 prompt uses" : `${prompts} prompts use`} {{${from}}}.`,
          action: {
            label: `Rename the uses to {{${to}}}`,
            run() {
              change((s) => renameParameterUses(s, from, to, cellId === undefined ? undefined : s.ids.indexOf(cellId)).state);
              setBanner(undefined);
            },
          },
        });
      },
      fileUrl(path) {
        // an exported page and an in-page backend (the static site) show files from the page's own folder
        return isStatic || api.inPage ? path : api.fileUrl(path);
      },
      notify,
    }),
    [api, change, startRun, cancel, notify, reportError, isStatic, historyRef, readOnlyRef],
  );

  // ---- hosted notebook (aiconfig serve): an opened file or a reset replaces the notebook ----
  const openDoc = useCallback(
    (config: AIConfig) => {
      runs.reset();
      const h = replaceDoc(config);
      setHistory(() => h);
      setActiveId(h.present.ids[0]);
    },
    [runs, setHistory],
  );

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
  const focusCell = useCallback((id: string | undefined, editMode: boolean) => {
    if (!id) return;
    setActiveId(id);
    pendingFocus.current = { id, edit: editMode };
    const el = document.querySelector<HTMLElement>(`[data-cell-id="${id}"]`);
    if (el) {
      (editMode ? (el.querySelector<HTMLElement>(".input-text") ?? el) : el).focus();
      el.scrollIntoView({ block: "nearest" });
      pendingFocus.current = undefined;
    }
  }, []);

  useNotebookKeyboard({
    historyRef,
    readOnlyRef,
    activeRef,
    setHistory,
    focusCell,
    actions,
    save: () => document_.save(),
    run: (cellId) => void startRun("one", cellId),
    toggleHelp: (show) => setHelp((v) => show ?? !v),
  });

  // ---- derived props for cells ----
  const globalParams = doc?.metadata?.parameters;
  const globalParameters = useMemo(() => new Set(Object.keys(globalParams ?? {})), [globalParams]);
  const promptNamesKey = doc?.prompts.map((p) => p.name).join("\n") ?? "";
  const promptNames = useMemo(() => new Set(promptNamesKey === "" ? [] : promptNamesKey.split("\n")), [promptNamesKey]);
  const onHeader = useCallback((fn: (d: AIConfig) => AIConfig, key?: string) => change((s) => updateDoc(s, fn), key), [change]);

  const context = useMemo<NotebookContextValue>(
    () => ({
      actions,
      runs,
      readOnly,
      staticPage: isStatic,
      inlineAttachmentsOnly: api.inPage,
      providers,
      models: offeredModels,
      modelGroups,
      providerFor,
    }),
    [actions, runs, readOnly, isStatic, api, providers, offeredModels, modelGroups, providerFor],
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
          staticPage={isStatic}
          hosted={meta.hosted?.mode}
          theme={theme}
          onSave={() => void document_.save()}
          onRunAll={(c) => void startRun("all", undefined, c)}
          onCancelAll={cancelAll}
          onClearOutputs={() => {
            change(clearOutputs);
            runs.reset();
          }}
          onUndo={() => setHistory((x) => (x ? undo(x) : x))}
          onRedo={() => setHistory((x) => (x ? redo(x) : x))}
          onDownload={(f) => void document_.downloadAs(f)}
          onExport={() => void document_.exportHtml()}
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
        {bar
          ? bar({ doc, meta, api, dirty, save: () => document_.save(), onOpen: openDoc, notify, refreshState: document_.refreshMeta })
          : meta.hosted && (
              <HostedBar
                hosted={meta.hosted}
                api={api}
                dirty={dirty}
                busy={busy}
                save={document_.save}
                onOpen={openDoc}
                notify={notify}
                onKeysChanged={() => void document_.refreshMeta()}
              />
            )}
        <Banners
          fileName={meta.fileName}
          offline={offline}
          dirty={dirty}
          conflict={conflict && !meta.hosted}
          banner={banner}
          onCopyJson={() => void document_.copyJson()}
          onDownloadJson={() => void document_.downloadAs("json")}
          onReload={() => void document_.reload()}
          onOverwrite={() => void document_.save(true)}
          onCancelConflict={() => setConflict(false)}
          onDismiss={() => setBanner(undefined)}
        />
        {help && (
          <div className="help" role="dialog" aria-label="keyboard shortcuts">
            <strong>Keyboard shortcuts</strong>
            <table>
              <tbody>
                {shortcutsFor(readOnly ? "none" : meta.hosted ? (api.inPage ? "tab" : "session") : "file").map(([k, v]) => (
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
            {[...knownModels].sort().map((m) => {
              const provider = providerFor(m);
              const needs = providerReadiness(provider).label;
              return (
                <option key={m} value={m}>
                  {provider ? `${provider.id}${needs ? ` · ${needs}` : ""}` : ""}
                </option>
              );
            })}
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
                  provider={providerFor(promptOwnModelName(p) ?? defaultModel)}
                  fileModelSettings={doc.metadata?.models?.[promptOwnModelName(p) ?? defaultModel ?? ""]}
                />
              ),
            )}
          </div>
          {!readOnly && (
            <TaskPicker
              providers={providers}
              models={offeredModels}
              onPick={(_task, model) => actions.insertCell(doc.prompts.length, model)}
            />
          )}
        </main>
      </div>
    </NotebookContext.Provider>
  );
}
