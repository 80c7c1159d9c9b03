import type { Attachment, JSONObject, JSONValue, ModelSettings, Prompt, PromptInputObject } from "@aiconfig-ts/core";
import { promptOwnModelName, promptOwnSettings } from "@aiconfig-ts/core/document";
import { memo, useCallback, useEffect, useMemo, useState } from "react";
import type { ProviderInfo } from "../../../src/api-types";
import { inputIsJson, inputText, setInputText, setPromptModel, setPromptParameters, setPromptSettings } from "../doc-state";
import { useNotebook } from "../notebook-context";
import { type CellRun, useCellRun } from "../run-store";
import { cellUsage, formatDuration, formatUsage } from "../usage";
import { AttachmentsEditor } from "./AttachmentsEditor";
import { InputEditor } from "./InputEditor";
import { ModelPicker } from "./ModelPicker";
import { OutputView } from "./OutputView";
import { ParametersEditor } from "./ParametersEditor";
import { SettingsEditor } from "./SettingsEditor";

/** Props of {@link Cell}. */
export interface CellProps {
  id: string;
  index: number;
  isLast: boolean;
  prompt: Prompt;
  active: boolean;
  /** Global parameter names (local ones are added by the cell). */
  globalParameters: ReadonlySet<string>;
  promptNames: ReadonlySet<string>;
  defaultModel: string | undefined;
  knownModels: ReadonlySet<string>;
  provider: ProviderInfo | undefined;
  /** The file's settings for the model this prompt runs on (`metadata.models[model]`), under the prompt's own. */
  fileModelSettings: ModelSettings | undefined;
}

type Panel = "settings" | "parameters" | "attachments" | undefined;

const EMPTY: JSONObject = {};
const NO_ATTACHMENTS: Attachment[] = [];

/** One prompt of the notebook: its name, model, input, settings, parameters, attachments, run controls and outputs. */
export const Cell = memo(function Cell(props: CellProps) {
  const { id, index, isLast, prompt, active, provider } = props;
  const { actions, readOnly, runs, modelGroups, staticPage } = useNotebook();
  const run = useCellRun(runs, id);
  const [panel, setPanel] = useState<Panel>();
  const model = promptOwnModelName(prompt);
  const settings = promptOwnSettings(prompt) ?? EMPTY;
  const parameters = (prompt.metadata?.parameters as JSONObject | undefined) ?? EMPTY;
  const attachments =
    typeof prompt.input === "object" && prompt.input !== null ? (prompt.input.attachments ?? NO_ATTACHMENTS) : NO_ATTACHMENTS;
  const parameterNames = useMemo(() => {
    const local = Object.keys(parameters);
    return local.length === 0 ? props.globalParameters : new Set([...props.globalParameters, ...local]);
  }, [parameters, props.globalParameters]);
  const running = run.status === "running" || run.status === "queued";

  const jsonInput = inputIsJson(prompt);
  const [jsonDraft, setJsonDraft] = useState<{ text: string; error?: string }>();
  useEffect(() => {
    // an undo or a reload replaces the draft of a JSON input unless the draft is what the document holds
    const data = typeof prompt.input === "object" && prompt.input !== null ? prompt.input.data : undefined;
    setJsonDraft((d) => {
      if (!d) return d;
      try {
        return JSON.stringify(JSON.parse(d.text)) === JSON.stringify(data) ? d : undefined;
      } catch {
        return d;
      }
    });
  }, [prompt.input]);
  const onInput = useCallback(
    (text: string) => {
      if (!jsonInput) {
        actions.editCell(id, (p) => setInputText(p, text), `input:${id}`);
        return;
      }
      // JSON input data stays JSON: applied only when it parses
      try {
        const data = JSON.parse(text) as JSONValue;
        setJsonDraft({ text });
        actions.editCell(id, (p) => ({ ...p, input: { ...(p.input as PromptInputObject), data } }), `input:${id}`);
      } catch (e) {
        setJsonDraft({ text, error: `the input is not valid JSON (${e instanceof Error ? e.message : e}); not applied` });
      }
    },
    [actions, id, jsonInput],
  );
  const onModel = useCallback((name: string) => actions.editCell(id, (p) => setPromptModel(p, name)), [actions, id]);
  const onSettings = useCallback(
    (s: ModelSettings, key?: string) => actions.editCell(id, (p) => setPromptSettings(p, s, props.defaultModel), key && `${key}:${id}`),
    [actions, id, props.defaultModel],
  );
  const onParameters = useCallback(
    (params: JSONObject, key?: string) => actions.editCell(id, (p) => setPromptParameters(p, params), key && `${key}:${id}`),
    [actions, id],
  );
  const onAttachments = useCallback(
    (list: Attachment[]) =>
      actions.editCell(id, (p) => {
        const input: PromptInputObject = typeof p.input === "string" ? { data: p.input } : { ...p.input };
        if (list.length > 0) input.attachments = list;
        else delete input.attachments;
        return { ...p, input };
      }),
    [actions, id],
  );
  const toggle = (which: Panel) => setPanel((p) => (p === which ? undefined : which));

  return (
    <section
      className={`cell ${active ? "active" : ""} status-${run.status}`}
      data-cell-id={id}
      data-cell-name={prompt.name}
      tabIndex={-1}
      aria-label={`prompt ${prompt.name}`}
      onFocus={() => {
        if (!active) actions.select(id);
      }}
    >
      <header className="cell-header">
        <span className="cell-index muted">[{index + 1}]</span>
        <NameField id={id} name={prompt.name} readOnly={readOnly} />
        <ModelPicker
          value={model}
          known={props.knownModels}
          groups={modelGroups}
          onChange={onModel}
          readOnly={readOnly}
          placeholder={props.defaultModel ? `${props.defaultModel} (default)` : "pick a model"}
          label={`model of ${prompt.name}`}
        />
        {!staticPage && (
          <span className={`provider-badge ${provider ? "" : "missing"}`} title={provider?.description}>
            {provider ? provider.id : model || props.defaultModel ? "no provider" : ""}
          </span>
        )}
        <span className="spacer" />
        {!readOnly &&
          (running ? (
            <button type="button" className="button danger" onClick={() => actions.cancel(id)} title="Cancel the run">
              ■ Cancel
            </button>
          ) : (
            <>
              <button type="button" className="button primary" onClick={() => actions.run(id, "one")} title="Run (Ctrl+Enter)">
                ▶ Run
              </button>
              <button
                type="button"
                className="button"
                onClick={() => actions.run(id, "deps")}
                title="Run the prompts this one refers to, then this one"
              >
                ▶▶ With dependencies
              </button>
            </>
          ))}
        {!readOnly && (
          <span className="cell-tools">
            <button
              type="button"
              className="icon-button"
              title="Move up"
              aria-label="move up"
              disabled={index === 0}
              onClick={() => actions.moveCell(id, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="icon-button"
              title="Move down"
              aria-label="move down"
              disabled={isLast}
              onClick={() => actions.moveCell(id, 1)}
            >
              ↓
            </button>
            <button
              type="button"
              className="icon-button"
              title="Insert a prompt below (B)"
              aria-label="insert below"
              onClick={() => actions.insertCell(index + 1)}
            >
              +
            </button>
            <button
              type="button"
              className="icon-button danger"
              title="Delete (D D)"
              aria-label="delete prompt"
              onClick={() => actions.deleteCell(id)}
            >
              ✕
            </button>
          </span>
        )}
      </header>
      <InputEditor
        value={jsonInput && jsonDraft ? jsonDraft.text : inputText(prompt)}
        onChange={onInput}
        readOnly={readOnly}
        parameters={parameterNames}
        prompts={props.promptNames}
        placeholder={
          inputIsJson(prompt) ? "JSON input" : "Write a prompt; use {{parameter}} for parameters and {{other_prompt.output}} for chaining"
        }
        label={`input of ${prompt.name}`}
      />
      {jsonInput && jsonDraft?.error && (
        <div className="field-error" role="alert">
          {jsonDraft.error}
        </div>
      )}
      <div className="cell-panels-bar">
        <button type="button" className={`tab ${panel === "settings" ? "open" : ""}`} onClick={() => toggle("settings")}>
          Settings{Object.keys(settings).length > 0 ? ` (${Object.keys(settings).length})` : ""}
        </button>
        <button type="button" className={`tab ${panel === "parameters" ? "open" : ""}`} onClick={() => toggle("parameters")}>
          Parameters{Object.keys(parameters).length > 0 ? ` (${Object.keys(parameters).length})` : ""}
        </button>
        <button type="button" className={`tab ${panel === "attachments" ? "open" : ""}`} onClick={() => toggle("attachments")}>
          Attachments{attachments.length > 0 ? ` (${attachments.length})` : ""}
        </button>
        <span className="spacer" />
        <RunStatus run={run} prompt={prompt} />
      </div>
      {panel === "settings" && (
        <SettingsEditor
          settings={settings}
          schema={provider?.settingsSchema}
          onChange={onSettings}
          readOnly={readOnly || (!model && !props.defaultModel)}
          label={`settings of ${prompt.name}`}
          inherited={props.fileModelSettings}
          model={model ?? props.defaultModel}
        />
      )}
      {panel === "parameters" && (
        <ParametersEditor
          parameters={parameters}
          onChange={onParameters}
          readOnly={readOnly}
          label={`parameters of ${prompt.name}`}
          onRenamed={(from, to) => actions.offerParameterRename(from, to, id)}
        />
      )}
      {panel === "attachments" && <AttachmentsEditor cellId={id} attachments={attachments} onChange={onAttachments} readOnly={readOnly} />}
      <Outputs id={id} prompt={prompt} run={run} />
    </section>
  );
});

function NameField({ id, name, readOnly }: { id: string; name: string; readOnly: boolean }) {
  const { actions } = useNotebook();
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<string>();
  useEffect(() => setDraft(name), [name]);
  const commit = () => {
    if (draft === name) {
      setError(undefined);
      return;
    }
    const problem = actions.renameCell(id, draft);
    if (problem) {
      setError(`${problem}; the name stays "${name}"`);
      setDraft(name);
    } else setError(undefined);
  };
  return (
    <span className="name-field">
      <input
        className={`cell-name ${error ? "invalid" : ""}`}
        aria-label="prompt name"
        value={draft}
        readOnly={readOnly}
        spellCheck={false}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            commit();
          }
        }}
      />
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}

function Elapsed({ since }: { since: number }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 100);
    return () => clearInterval(t);
  }, []);
  return <span className="duration">{formatDuration(Date.now() - since)}</span>;
}

const STATUS_TEXT: Record<CellRun["status"], string> = {
  idle: "",
  queued: "queued",
  running: "running",
  done: "done",
  error: "error",
  cancelled: "cancelled",
  skipped: "skipped",
};

function RunStatus({ run, prompt }: { run: CellRun; prompt: Prompt }) {
  const usage = cellUsage(run.usage, prompt.outputs);
  return (
    <span className="run-status" data-status={run.status}>
      {run.status !== "idle" && <span className={`status-badge status-${run.status}`}>{STATUS_TEXT[run.status]}</span>}
      {run.status === "running" && run.startedAt !== undefined && <Elapsed since={run.startedAt} />}
      {run.durationMs !== undefined && run.status !== "running" && <span className="duration">{formatDuration(run.durationMs)}</span>}
      {usage && run.status !== "running" && <span className="usage">{formatUsage(usage)}</span>}
      {run.message && run.status !== "error" && <span className="muted small">{run.message}</span>}
    </span>
  );
}

function Outputs({ id, prompt, run }: { id: string; prompt: Prompt; run: CellRun }) {
  const { actions, readOnly } = useNotebook();
  if (run.status === "running" || (run.status === "queued" && run.streamed.length > 0)) {
    return (
      <div className="outputs streaming" aria-live="off">
        {run.streamed.map((text, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: one stream per choice index
          <div key={i} className="output output-stream">
            {text}
            <span className="caret" />
          </div>
        ))}
        {run.streamed.length === 0 && <div className="output output-stream muted">waiting for the model…</div>}
      </div>
    );
  }
  const outputs = prompt.outputs ?? [];
  const cancelledText = run.status === "cancelled" ? run.streamed.filter((t) => t !== "") : [];
  if (outputs.length === 0 && cancelledText.length === 0 && !(run.status === "error" && run.message)) return null;
  return (
    <div className="outputs">
      {cancelledText.map((text, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: one stream per choice index
        <div key={`cancelled-${i}`} className="output output-stream output-cancelled" data-cancelled="true">
          <span className="status-badge status-cancelled">cancelled</span> {text}
          <div className="muted small">
            Cancelled while streaming: this text was not stored{outputs.length ? "; the outputs below are the ones kept" : ""}.
          </div>
        </div>
      ))}
      {outputs.map((o, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: outputs have no identity
        <OutputView key={i} output={o} />
      ))}
      {run.status === "error" && run.message && !outputs.some((o) => o.output_type === "error") && (
        <div className="output output-error" role="alert">
          {run.message}
        </div>
      )}
      {run.status === "error" && run.errorName === "MissingOutputError" && !readOnly && (
        <button type="button" className="button fix-run-deps" onClick={() => actions.run(id, "deps")}>
          ▶▶ Run with dependencies
        </button>
      )}
    </div>
  );
}
