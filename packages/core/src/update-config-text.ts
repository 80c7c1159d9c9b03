/**
 * Saving that changes only what changed: the file's text is edited in place
 * where the document differs from what the text holds, so indentation,
 * compact arrays, key order, comments and blank lines elsewhere are kept and a
 * diff in source control shows only the change.
 *
 * JSON (with comments) is edited through `jsonc-parser`'s `modify` and
 * `applyEdits` (https://github.com/microsoft/node-jsonc-parser), with the
 * file's own indentation and line ends; YAML through the `yaml` package's
 * Document API (`parseDocument`, `setIn`, `deleteIn`, `addIn`;
 * https://eemeli.org/yaml/#documents): a scalar that changes is replaced at
 * its node's source range; other changes go through the Document (which keeps
 * comments) when its output options reproduce the file. The result is always checked: when it does
 * not read back as the document, the caller falls back to a full serialization.
 *
 * @packageDocumentation
 */
import { isDeepStrictEqual } from "#platform";
import type { ConfigFormat } from "./config-format.js";
import { loadJsoncParser, loadYaml } from "./lazy-libraries.js";
import { parseConfigText } from "./parse.js";

type Path = (string | number)[];
/** One change: the value at `path` becomes `value` (`undefined`: removed); `insert` appends to an array. */
interface Change {
  path: Path;
  value: unknown;
  insert?: boolean;
}

/** More changes than this: rewriting the whole text is cheaper than editing it in place. */
const MAX_CHANGES = 2000;

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The changes that turn `before` into `after` (both JSON data), deepest first where possible. */
function diff(before: unknown, after: unknown, path: Path, out: Change[]): void {
  if (out.length > MAX_CHANGES || isDeepStrictEqual(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) out.push({ path: [...path, key], value: undefined });
    for (const [key, value] of Object.entries(after)) {
      if (Object.hasOwn(before, key)) diff(before[key], value, [...path, key], out);
      else out.push({ path: [...path, key], value });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i++) diff(before[i], after[i], [...path, i], out);
    for (let i = before.length - 1; i >= common; i--) out.push({ path: [...path, i], value: undefined });
    for (let i = common; i < after.length; i++) out.push({ path: [...path, i], value: after[i], insert: true });
    return;
  }
  out.push({ path, value: after });
}

/** The indentation and line end a JSON text uses (default two spaces, `\n`). */
function jsonFormatting(text: string) {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const indent = /\n([ \t]+)["}\]]/.exec(text)?.[1] ?? "  ";
  const insertSpaces = !indent.startsWith("\t");
  return { eol, insertSpaces, tabSize: insertSpaces ? indent.length : 1 };
}

function updateJson(text: string, changes: Change[]): string {
  const jsonc = loadJsoncParser();
  const formattingOptions = jsonFormatting(text);
  let out = text;
  for (const change of changes) {
    const edits = jsonc.modify(out, change.path, change.value, { formattingOptions, isArrayInsertion: change.insert === true });
    out = jsonc.applyEdits(out, edits);
  }
  return out;
}

/** Output options of `yaml` that reproduce a text unchanged, if any do. */
function yamlOptionsFor(doc: import("yaml").Document, text: string) {
  for (const indentSeq of [true, false]) {
    for (const indent of [2, 4]) {
      const options = { lineWidth: 0, indent, indentSeq, aliasDuplicateObjects: false } as const;
      if (doc.toString(options) === text) return options;
    }
  }
  return undefined;
}

/** A scalar as YAML text that reads back the same in any block context: plain when unambiguous, else double-quoted (JSON). */
function yamlScalar(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string") return undefined;
  const plain =
    /^[A-Za-z_][^:#\n\r\t"'`{}[\],&*!|>%@]*$/.test(value) &&
    !/\s$/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(value) &&
    loadYaml().parse(value) === value;
  return plain ? value : JSON.stringify(value);
}

/**
 * Replaces scalar values in place, by the source range of each node, when
 * every change is one scalar becoming another: nothing else of the text moves.
 */
function replaceYamlScalars(text: string, doc: import("yaml").Document, changes: Change[]): string | undefined {
  const yaml = loadYaml();
  const edits: Array<{ start: number; end: number; text: string }> = [];
  for (const change of changes) {
    if (change.insert || change.value === undefined) return undefined;
    const node = doc.getIn(change.path, true);
    const replacement = yamlScalar(change.value);
    if (!yaml.isScalar(node) || !node.range || replacement === undefined) return undefined;
    edits.push({ start: node.range[0], end: node.range[1], text: replacement });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function updateYaml(text: string, changes: Change[]): string | undefined {
  const yaml = loadYaml();
  const doc = yaml.parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) return undefined;
  const replaced = replaceYamlScalars(text, doc, changes);
  if (replaced !== undefined) return replaced;
  const options = yamlOptionsFor(doc, text);
  const rendering = { lineWidth: 0, indent: 2, indentSeq: true, aliasDuplicateObjects: false } as const;
  const before = options ? text : doc.toString(rendering);
  for (const change of changes) {
    if (change.value === undefined) doc.deleteIn(change.path);
    else if (change.insert) doc.addIn(change.path.slice(0, -1), doc.createNode(change.value));
    else doc.setIn(change.path, doc.createNode(change.value));
  }
  const after = doc.toString(options ?? rendering);
  if (options) return after;
  // The library renders some untouched lines differently (e.g. flow spacing): take from
  // its rendering only the lines the change touched, onto the file's own lines.
  return spliceChangedLines(text, before, after);
}

/**
 * Applies to `text` the lines that differ between `before` (a rendering of
 * the same data, line for line like `text`) and `after`: the span from the
 * first to the last changed line; `undefined` when `text` and `before` do not
 * have the same lines count (their lines cannot be matched).
 */
function spliceChangedLines(text: string, before: string, after: string): string | undefined {
  const original = text.split("\n");
  const a = before.split("\n");
  const b = after.split("\n");
  if (original.length !== a.length) return undefined;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return [...original.slice(0, start), ...b.slice(start, endB), ...original.slice(endA)].join("\n");
}

/**
 * A new text for `data`, made by editing `oldText` (the file as it is on
 * disk) only where its data differs, or `undefined` when that cannot be done
 * faithfully (the old text does not parse as `format`, too many changes, or
 * the edited text would not read back as `data`); the caller then serializes
 * the whole document.
 *
 * @param oldText - the file's current text.
 * @param format - the format of both texts.
 * @param data - the document to write (JSON-compatible; `undefined` properties are left out, as `JSON.stringify` does).
 * @returns `oldText` itself when nothing changed
 */
export function updateConfigText(oldText: string, format: ConfigFormat, data: unknown): string | undefined {
  let before: unknown;
  try {
    const parsed = parseConfigText(oldText, undefined, format);
    if (parsed.format !== format) return undefined;
    before = parsed.data;
  } catch {
    return undefined;
  }
  const after = JSON.parse(JSON.stringify(data)) as unknown;
  const changes: Change[] = [];
  diff(before, after, [], changes);
  if (changes.length === 0) return oldText;
  if (changes.length > MAX_CHANGES) return undefined;
  let text: string | undefined;
  try {
    text = format === "json" ? updateJson(oldText, changes) : updateYaml(oldText, changes);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  try {
    return isDeepStrictEqual(parseConfigText(text, undefined, format).data, after) ? text : undefined;
  } catch {
    return undefined;
  }
}
