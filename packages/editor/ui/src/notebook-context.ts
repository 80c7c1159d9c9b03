/**
 * What the cells need from the notebook: stable actions (they read the latest
 * state through refs, so passing them never re-renders a cell) and lookups.
 */
import type { Prompt } from "@aiconfig-ts/core";
import { createContext, useContext } from "react";
import type { ModelInfo, ProviderInfo } from "../../src/api-types";
import type { ModelGroup } from "./model-catalog";
import type { RunStore } from "./run-store";

/** Actions on cells and the document. */
export interface NotebookActions {
  /** Changes a cell; `key` merges typing in one field into one undo step. */
  editCell(id: string, change: (p: Prompt) => Prompt, key?: string): void;
  /** Renames a cell; returns a message when the name is not allowed. */
  renameCell(id: string, name: string): string | undefined;
  /** Inserts a cell at `at`, on `model` when given (else the model of a neighbour, or the default model). */
  insertCell(at: number, model?: string): void;
  deleteCell(id: string): void;
  moveCell(id: string, delta: number): void;
  run(id: string, mode: "one" | "deps"): void;
  cancel(id: string): void;
  select(id: string): void;
  /** Stores a picked file as an attachment: under the file's folder, or inline base64. */
  attach(id: string, file: File, mode: "file" | "base64"): Promise<void>;
  /**
   * URL to show a stored `file_uri` (relative to the aiconfig file's folder): the server's file route, or,
   * on an exported page and with an in-page backend (the static site), the path itself, read from the page's folder.
   */
  fileUrl(path: string): string;
  /**
   * After a parameter was renamed: offers to rename its `{{uses}}` in the
   * templates (of the cell `cellId` for a local parameter; of every cell without
   * a local one of that name for a global parameter).
   */
  offerParameterRename(from: string, to: string, cellId?: string): void;
  /** Shows a message in the page. */
  notify(message: string, kind?: "error" | "info"): void;
}

/** The notebook's context value. */
export interface NotebookContextValue {
  actions: NotebookActions;
  runs: RunStore;
  readOnly: boolean;
  /** An exported page with no server: no control that needs one, remote media as links. */
  staticPage: boolean;
  /** Attachments can only be stored inline (base64): the notebook answers in the page and has no files. */
  inlineAttachmentsOnly?: boolean;
  providers: readonly ProviderInfo[];
  /** The models the server offers. */
  models: readonly ModelInfo[];
  /** The models grouped by task and provider (see `groupModels`). */
  modelGroups: readonly ModelGroup[];
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
