/**
 * The document being edited, with undo and redo. Every edit makes a new
 * immutable state; cells keep stable client-side ids (a rename keeps the id).
 * Typing in one field within a second is one undo step. Which model and
 * settings a prompt names is core's rule (`@aiconfig-ts/core/document`).
 */
import type { AIConfig, JSONObject, ModelSettings, Output, Prompt, PromptMetadata } from "@aiconfig-ts/core";
import { promptOwnModelName, promptOwnSettings } from "@aiconfig-ts/core/document";

/** A document and the ids of its cells (parallel to `doc.prompts`). */
export interface DocState {
  readonly doc: AIConfig;
  readonly ids: readonly string[];
}

/** Undo history around the present state. */
export interface History {
  readonly past: readonly DocState[];
  readonly present: DocState;
  readonly future: readonly DocState[];
  /** The field last edited (for merging typing into one step) and when. */
  readonly lastKey?: string;
  readonly lastAt?: number;
}

const MAX_HISTORY = 300;
const MERGE_MS = 1000;
let nextId = 1;

/** A new cell id. */
export function newCellId(): string {
  return `c${nextId++}`;
}

/** Wraps a loaded document in a fresh history. */
export function initialHistory(doc: AIConfig): History {
  return { past: [], present: { doc, ids: doc.prompts.map(() => newCellId()) }, future: [] };
}

/**
 * Applies an edit. `key` names the field edited: consecutive edits of the same
 * field within a second replace the last undo step instead of adding one.
 */
export function edit(h: History, change: (s: DocState) => DocState, key?: string, now = Date.now()): History {
  const next = change(h.present);
  if (next === h.present) return h;
  const merge = key !== undefined && key === h.lastKey && h.lastAt !== undefined && now - h.lastAt < MERGE_MS;
  const past = merge ? h.past : [...h.past, h.present].slice(-MAX_HISTORY);
  return { past, present: next, future: [], lastKey: key, lastAt: now };
}

/** Steps back one edit. */
export function undo(h: History): History {
  const prev = h.past[h.past.length - 1];
  if (!prev) return h;
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] };
}

/** Steps forward one undone edit. */
export function redo(h: History): History {
  const next = h.future[0];
  if (!next) return h;
  return { past: [...h.past, h.present], present: next, future: h.future.slice(1) };
}

/**
 * Stores a cell's outputs in every state of the history that has the cell, so
 * that undoing an edit does not bring old outputs back. Not an undo step.
 */
export function applyOutputs(h: History, cellId: string, outputs: Output[] | undefined): History {
  const patch = (s: DocState): DocState => {
    const i = s.ids.indexOf(cellId);
    if (i < 0) return s;
    return updatePromptAt(s, i, (p) => withOutputs(p, outputs));
  };
  return { ...h, past: h.past.map(patch), present: patch(h.present), future: h.future.map(patch), lastKey: undefined };
}

function withOutputs(p: Prompt, outputs: Output[] | undefined): Prompt {
  const { outputs: _old, ...rest } = p;
  return outputs && outputs.length > 0 ? { ...rest, outputs } : { ...rest, outputs: [] };
}

/** Replaces the document (reload from disk): a new history. */
export function replaceDoc(doc: AIConfig): History {
  return initialHistory(doc);
}

// ---- edits (DocState -> DocState) ----

/** Changes one prompt. */
export function updatePromptAt(s: DocState, index: number, change: (p: Prompt) => Prompt): DocState {
  const old = s.doc.prompts[index];
  if (!old) return s;
  const next = change(old);
  if (next === old) return s;
  const prompts = s.doc.prompts.slice();
  prompts[index] = next;
  return { doc: { ...s.doc, prompts }, ids: s.ids };
}

/** Changes a prompt's metadata. */
export function updateMetadata(p: Prompt, change: (m: PromptMetadata) => PromptMetadata): Prompt {
  return { ...p, metadata: change(p.metadata ?? {}) };
}

/** Sets the model name, keeping the prompt's settings. An empty name removes the model. */
export function setPromptModel(p: Prompt, name: string): Prompt {
  return updateMetadata(p, (m) => {
    const { model: _old, ...rest } = m;
    if (name === "") return rest;
    const settings = promptOwnSettings(p) ?? {};
    return { ...rest, model: Object.keys(settings).length > 0 ? { name, settings } : name };
  });
}

/** Sets the prompt's settings (an empty object keeps just the model name). */
export function setPromptSettings(p: Prompt, settings: ModelSettings, fallbackModel: string | undefined): Prompt {
  const name = promptOwnModelName(p) ?? fallbackModel;
  if (name === undefined) return p;
  return updateMetadata(p, (m) => ({ ...m, model: Object.keys(settings).length > 0 ? { name, settings } : name }));
}

/** Sets the prompt's input text, keeping attachments and other input fields. */
export function setInputText(p: Prompt, text: string): Prompt {
  if (typeof p.input === "string" || p.input === undefined) return { ...p, input: text };
  return { ...p, input: { ...p.input, data: text } };
}

/** The editable text of a prompt input; non-string data is shown as JSON. */
export function inputText(p: Prompt): string {
  const input = p.input;
  if (typeof input === "string") return input;
  if (input && typeof input === "object") {
    if (typeof input.data === "string") return input.data;
    if (input.data === undefined) return "";
    return JSON.stringify(input.data, null, 2);
  }
  return "";
}

/** Whether the prompt's input data is JSON rather than text. */
export function inputIsJson(p: Prompt): boolean {
  const input = p.input;
  return typeof input === "object" && input !== null && input.data !== undefined && typeof input.data !== "string";
}

/** Sets the prompt's parameters. */
export function setPromptParameters(p: Prompt, parameters: JSONObject): Prompt {
  return updateMetadata(p, (m) => ({ ...m, parameters }));
}

/** A prompt name not used in the document: `prompt_N`. */
export function freshPromptName(doc: AIConfig): string {
  const names = new Set(doc.prompts.map((p) => p.name));
  for (let i = doc.prompts.length + 1; ; i++) {
    const name = `prompt_${i}`;
    if (!names.has(name)) return name;
  }
}

/** Inserts a new empty prompt at `index`, using the model of a neighbour (or the default model). */
export function insertPrompt(s: DocState, index: number, model?: string): DocState {
  const name = freshPromptName(s.doc);
  const prompt: Prompt = { name, input: "", metadata: { ...(model ? { model } : {}), parameters: {} } };
  const prompts = s.doc.prompts.slice();
  prompts.splice(index, 0, prompt);
  const ids = s.ids.slice();
  ids.splice(index, 0, newCellId());
  return { doc: { ...s.doc, prompts }, ids };
}

/** Deletes the prompt at `index`. */
export function deletePrompt(s: DocState, index: number): DocState {
  if (index < 0 || index >= s.doc.prompts.length) return s;
  const prompts = s.doc.prompts.slice();
  prompts.splice(index, 1);
  const ids = s.ids.slice();
  ids.splice(index, 1);
  return { doc: { ...s.doc, prompts }, ids };
}

/** Moves the prompt at `index` by `delta` places (-1 up, +1 down). */
export function movePrompt(s: DocState, index: number, delta: number): DocState {
  const to = index + delta;
  if (index < 0 || to < 0 || to >= s.doc.prompts.length || index >= s.doc.prompts.length) return s;
  const prompts = s.doc.prompts.slice();
  const ids = s.ids.slice();
  const [p] = prompts.splice(index, 1);
  const [id] = ids.splice(index, 1);
  prompts.splice(to, 0, p!);
  ids.splice(to, 0, id!);
  return { doc: { ...s.doc, prompts }, ids };
}

/** Removes every prompt's outputs. */
export function clearOutputs(s: DocState): DocState {
  if (!s.doc.prompts.some((p) => p.outputs && p.outputs.length > 0)) return s;
  return {
    doc: { ...s.doc, prompts: s.doc.prompts.map((p) => (p.outputs && p.outputs.length > 0 ? { ...p, outputs: [] } : p)) },
    ids: s.ids,
  };
}

/** Changes the root document (name, description, metadata). */
export function updateDoc(s: DocState, change: (d: AIConfig) => AIConfig): DocState {
  const doc = change(s.doc);
  return doc === s.doc ? s : { doc, ids: s.ids };
}

/**
 * Renames a prompt and the explicit references to it (`{{old.output}}`,
 * `{{old.input}}`) in the other prompts' text inputs.
 */
export function renamePrompt(s: DocState, index: number, name: string): DocState {
  const old = s.doc.prompts[index]?.name;
  if (old === undefined || old === name) return s;
  const escaped = old.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const ref = new RegExp(`(\\{\\{\\{?~?\\s*)${escaped}(\\.(?:output|input)\\b)`, "g");
  const prompts = s.doc.prompts.map((p, i) => {
    if (i === index) return { ...p, name };
    const text = typeof p.input === "string" ? p.input : typeof p.input?.data === "string" ? p.input.data : undefined;
    if (text === undefined || !ref.test(text)) return p;
    ref.lastIndex = 0;
    return setInputText(p, text.replace(ref, `$1${name}$2`));
  });
  return { doc: { ...s.doc, prompts }, ids: s.ids };
}

/**
 * Renames the uses of a parameter in prompt templates (`{{from}}`,
 * `{{from.field}}`, `{{#if from}}`, `{{helper from}}`) to `to`. A global
 * parameter (`cellIndex` undefined) is renamed in every prompt that has no
 * local parameter of that name; a local one in its own prompt only.
 * @returns the new state and how many prompts changed
 */
export function renameParameterUses(s: DocState, from: string, to: string, cellIndex?: number): { state: DocState; prompts: number } {
  const escaped = from.replace(/[$]/g, "\\$&");
  const word = new RegExp(`(^|[^\\w$.@/])${escaped}(?=$|[^\\w$=])`, "g");
  let changed = 0;
  const prompts = s.doc.prompts.map((p, i) => {
    if (cellIndex !== undefined ? i !== cellIndex : p.metadata?.parameters && from in p.metadata.parameters) return p;
    const text = typeof p.input === "string" ? p.input : typeof p.input?.data === "string" ? p.input.data : undefined;
    if (text === undefined) return p;
    const next = text.replace(/\{\{\{?[\s\S]*?\}?\}\}/g, (tag) => tag.replace(word, `$1${to}`));
    if (next === text) return p;
    changed++;
    return setInputText(p, next);
  });
  return changed === 0 ? { state: s, prompts: 0 } : { state: { doc: { ...s.doc, prompts }, ids: s.ids }, prompts: changed };
}
