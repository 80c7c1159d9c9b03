import { memo, useState } from "react";

/** Props of {@link Toolbar}. */
export interface ToolbarProps {
  fileName: string;
  dirty: boolean;
  readOnly: boolean;
  busy: boolean;
  canUndo: boolean;
  canRedo: boolean;
  offline: boolean;
  /** An exported page with no server: no control that needs one (YAML, export). */
  staticPage?: boolean;
  /**
   * A hosted notebook's page (`aiconfig serve`): `session` is a visitor's copy, `snapshot` a shared one. The hosted bar
   * holds what a visitor can do with the file (download, open, share), and edits are stored in the session as they
   * happen, so the toolbar shows no Save, no save state, no downloads and no HTML export.
   */
  hosted?: "session" | "snapshot";
  theme: "light" | "dark";
  onSave(): void;
  /** Runs every cell; `continueOnError`: a failure skips only the cells that depend on it. */
  onRunAll(continueOnError: boolean): void;
  onCancelAll(): void;
  onClearOutputs(): void;
  onUndo(): void;
  onRedo(): void;
  onDownload(format: "json" | "yaml"): void;
  onExport(): void;
  onTheme(): void;
  onHelp(): void;
}

/**
 * The notebook's toolbar: file name and save state, run all, clear, undo/redo, download, export, theme. On a hosted
 * notebook (`hosted`), only what a visitor uses beside the hosted bar: run all, clear, undo/redo, theme.
 */
export const Toolbar = memo(function Toolbar(p: ToolbarProps) {
  const [stopAtFirstError, setStopAtFirstError] = useState(false);
  return (
    <div className="toolbar" role="toolbar" aria-label="notebook">
      <span className="brand">AI Workbook</span>
      <span className="file-name" title={p.fileName}>
        {p.fileName}
      </span>
      {p.hosted === "session" ? (
        <span className="save-state hosted" title="Edits are kept in this session only: download the notebook to keep them">
          your copy · this session
        </span>
      ) : p.readOnly ? (
        <span className="save-state read-only">{p.staticPage ? "exported page" : "read-only"}</span>
      ) : (
        <span className={`save-state ${p.dirty ? "dirty" : "clean"}`} data-dirty={p.dirty ? "true" : "false"} aria-live="polite">
          {p.dirty ? "● unsaved changes" : "saved"}
        </span>
      )}
      {p.offline && <span className="save-state offline">server unreachable</span>}
      <span className="spacer" />
      {!p.readOnly && (
        <>
          {!p.hosted && (
            <button type="button" className="button primary" onClick={p.onSave} disabled={!p.dirty} title="Save (Ctrl+S)">
              Save
            </button>
          )}
          {p.busy ? (
            <button type="button" className="button danger" onClick={p.onCancelAll}>
              ■ Cancel all
            </button>
          ) : (
            <button
              type="button"
              className="button"
              onClick={() => p.onRunAll(!stopAtFirstError)}
              title="Run every prompt, independent ones at the same time; a failure skips only the prompts that use its output"
            >
              ▶ Run all
            </button>
          )}
          <label className="toggle small" title="Run all: start no new prompt after one fails">
            <input
              type="checkbox"
              checked={stopAtFirstError}
              onChange={(e) => setStopAtFirstError(e.target.checked)}
              aria-label="stop at the first error"
            />{" "}
            stop at the first error
          </label>
          <button type="button" className="button" onClick={p.onClearOutputs}>
            Clear outputs
          </button>
          <button
            type="button"
            className="icon-button"
            onClick={p.onUndo}
            disabled={!p.canUndo}
            title="Undo (Ctrl+Z, or Z)"
            aria-label="undo"
          >
            ↶
          </button>
          <button
            type="button"
            className="icon-button"
            onClick={p.onRedo}
            disabled={!p.canRedo}
            title="Redo (Ctrl+Shift+Z)"
            aria-label="redo"
          >
            ↷
          </button>
        </>
      )}
      {!p.hosted && (
        <button type="button" className="button" onClick={() => p.onDownload("json")} title="Download the config as JSON">
          ⤓ JSON
        </button>
      )}
      {!p.staticPage && !p.hosted && (
        <>
          <button
            type="button"
            className="button"
            onClick={() => p.onDownload("yaml")}
            title="Download the config as YAML"
            disabled={p.offline}
          >
            ⤓ YAML
          </button>
          <button
            type="button"
            className="button"
            onClick={p.onExport}
            title="One self-contained HTML page of the notebook with its outputs"
            disabled={p.offline}
          >
            Export HTML
          </button>
        </>
      )}
      <button
        type="button"
        className="icon-button"
        onClick={p.onTheme}
        title={`Switch to ${p.theme === "dark" ? "light" : "dark"} theme`}
        aria-label="theme"
      >
        {p.theme === "dark" ? "☀" : "☾"}
      </button>
      <button type="button" className="icon-button" onClick={p.onHelp} title="Keyboard shortcuts" aria-label="keyboard shortcuts">
        ?
      </button>
    </div>
  );
});

/** The keyboard shortcuts, as shown by the help panel. */
export const SHORTCUTS: [string, string][] = [
  ["Shift+Enter", "run the prompt and go to the next"],
  ["Ctrl/Cmd+Enter", "run the prompt"],
  ["Ctrl/Cmd+S", "save"],
  ["Esc", "command mode (leave the text field)"],
  ["Enter", "edit the selected prompt (command mode)"],
  ["A / B", "insert a prompt above / below (command mode)"],
  ["D D", "delete the selected prompt (command mode)"],
  ["Z / Ctrl+Z", "undo"],
  ["Shift+Z / Ctrl+Shift+Z", "redo"],
  ["↑ ↓ / K J", "select the previous / next prompt (command mode)"],
];

/**
 * The shortcuts the help panel lists for a page: Ctrl/Cmd+S saves the file only in the editor; on a hosted
 * notebook (`aiconfig serve`) it stores the visitor's copy in the session, on the static site in the tab, and a
 * read-only page (a shared notebook, an exported one) has nothing to save.
 * @param where `file` (the editor), `session` (the hosted notebook), `tab` (the static site) or `none` (read-only)
 */
export function shortcutsFor(where: "file" | "session" | "tab" | "none"): [string, string][] {
  if (where === "file") return SHORTCUTS;
  if (where === "none") return SHORTCUTS.filter(([k]) => k !== "Ctrl/Cmd+S");
  const stores =
    where === "session"
      ? "store your copy in this session (Download keeps it for good)"
      : "keep your copy in this tab (Download keeps it for good)";
  return SHORTCUTS.map(([k, v]) => [k, k === "Ctrl/Cmd+S" ? stores : v]);
}
