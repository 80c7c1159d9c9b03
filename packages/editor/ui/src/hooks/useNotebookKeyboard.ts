/**
 * The notebook's keyboard, in Jupyter's conventions: Ctrl/Cmd+S saves,
 * Ctrl/Cmd+Z / Shift+Z / Y undo and redo, Shift+Enter runs and moves on,
 * Ctrl/Cmd+Enter runs, Esc leaves the text field; in command mode Enter
 * edits, ↑/K and ↓/J move, A/B insert, D D deletes, Z undoes, ? shows help.
 */
import { useEffect, useRef } from "react";
import { type History, redo, undo } from "../doc-state";
import type { NotebookActions } from "../notebook-context";

/** What the keyboard acts on. */
export interface NotebookKeyboardTarget {
  historyRef: { readonly current: History | undefined };
  readOnlyRef: { readonly current: boolean };
  /** The selected cell's id. */
  activeRef: { readonly current: string | undefined };
  setHistory(update: (h: History | undefined) => History | undefined): void;
  /** Selects a cell and focuses it (its text field when `edit`). */
  focusCell(id: string | undefined, edit: boolean): void;
  actions: NotebookActions;
  save(): Promise<void>;
  run(cellId: string): void;
  toggleHelp(show?: boolean): void;
}

/** Time within which a second D deletes the cell, in ms. */
export const DOUBLE_D_MS = 800;

/** Listens to the document's keys while mounted. */
export function useNotebookKeyboard(t: NotebookKeyboardTarget): void {
  const target = useRef(t);
  target.current = t;
  const lastD = useRef(0);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { historyRef, readOnlyRef, activeRef, setHistory, focusCell, actions, save, run, toggleHelp } = target.current;
      const h = historyRef.current;
      if (!h) return;
      const mod = e.ctrlKey || e.metaKey;
      const el = e.target as HTMLElement | null;
      const editing = !!el?.closest("input, textarea, select, [contenteditable=true]");
      const cellEl = el?.closest<HTMLElement>("[data-cell-id]");
      const cellId = cellEl?.dataset.cellId ?? activeRef.current;
      const ids = h.present.ids;
      const ro = readOnlyRef.current;
      const undoOrRedo = (again: boolean) => setHistory((x) => (x ? (again ? redo(x) : undo(x)) : x));
      if (mod && e.key.toLowerCase() === "s") {
        e.preventDefault();
        void save();
        return;
      }
      if (mod && e.key.toLowerCase() === "z" && !ro) {
        e.preventDefault();
        undoOrRedo(e.shiftKey);
        return;
      }
      if (mod && e.key.toLowerCase() === "y" && !ro) {
        e.preventDefault();
        undoOrRedo(true);
        return;
      }
      if (e.key === "Enter" && (e.shiftKey || mod) && cellId && ids.includes(cellId)) {
        e.preventDefault();
        if (!ro) run(cellId);
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
        } else if (editing) el?.blur();
        toggleHelp(false);
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
            if (now - lastD.current < DOUBLE_D_MS) {
              lastD.current = 0;
              actions.deleteCell(cellId);
            } else lastD.current = now;
          }
          break;
        case "z":
        case "Z":
          if (!ro) undoOrRedo(e.shiftKey);
          break;
        case "?":
          toggleHelp();
          break;
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}
