/**
 * What the cells need from the notebook: stable actions (they read the latest
 * state through refs, so passing them never re-renders a cell) and lookups.
 */
import type { Prompt } from "@aiconfig-ts/core";
import { createContext, useContext } from "react";
import type { ProviderInfo } from "../../src/api-types";
import type { RunStore } from "./run-store";

/** Actions on cells and the document. */
export interface NotebookActions {
  /** Changes a cell; `key` merges typing in one field into one undo step. */
  editCell(id: string, change: (p: Prompt) => Prompt, key?: string): void;
  /** Renames a cell; returns a message when the name is not allowed. */
  renameCell(id: string, name: string): string | undefined;
  insertCell(at: number): void;
  deleteCell(id: string): void;
  moveCell(id: string, delta: number): void;
  run(id: string, mode: "one" | "deps"): void;
  cancel(id: string): void;
  select(id: string): void;
  /** Stores a picked file as an attachment: under the file's folder, or inline base64. */
  attach(id: string, file: File, mode: "file" | "base64"): Promise<void>;
  /** URL to show a stored `file_uri` (relative to the aiconfig file's folder). */
  fileUrl(path: string): string;
  /** Shows a message in the page. */
  notify(message: string, kind?: "error" | "info"): void;
}

/** The notebook's context value. */
export interface NotebookContextValue {
  actions: NotebookActions;
  runs: RunStore;
  readOnly: boolean;
  providers: readonly ProviderInfo[];
  /** The provider serving a model name (as the server resolved it), if known. */
  providerFor(model: string | undefined): ProviderInfo | undefined;
}

export const NotebookContext = createContext<NotebookContextValue | null>(null);

/** The notebook context (inside `AIConfigNotebook`). */
export function useNotebook(): NotebookContextValue {
  const value = useContext(NotebookContext);
  if (!value) throw new Error("useNotebook() outside AIConfigNotebook");
  return value;
}
