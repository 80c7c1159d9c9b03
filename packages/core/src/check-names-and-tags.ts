/**
 * Rules of the AIConfig specification that its JSON Schema does not express:
 * prompt names are unique in a file (prompts refer to each other by name, as
 * `{{name.output}}`), and a prompt's tags are unique and contain no comma.
 *
 * Source: the AIConfig specification (`shared/seeds/specification.md`:
 * Prompt `name` "A unique identifier for the prompt"; schema description of
 * `tags` "Tags must be unique, and must not contain commas").
 *
 * @packageDocumentation
 */
import type { SchemaMessage } from "./explain-schema-errors.js";
import { formatPointer } from "./json-pointer.js";

/** A prompt name used again by a later prompt. */
export interface RepeatedPromptName {
  readonly name: string;
  /** Index of the first prompt of that name (the one `getPrompt` returns). */
  readonly first: number;
  /** Index of the later prompt. */
  readonly index: number;
}

/**
 * The prompts whose name an earlier prompt already has, in file order. Linear
 * in the number of prompts; builds no pointer or message for the others.
 */
export function repeatedPromptNames(data: unknown): RepeatedPromptName[] {
  if (!isObject(data) || !Array.isArray(data.prompts)) return [];
  const prompts: unknown[] = data.prompts;
  // Most files repeat nothing: one pass answers that, and lists are built only when a name repeats.
  return anyNameRepeats(prompts) ? listRepeatedNames(prompts) : [];
}

/**
 * {@link repeatedPromptNames} of a prompt list already known to repeat a
 * name (e.g. by a {@link PromptNameTable}): a `Map` of first indexes by name.
 */
export function listRepeatedNames(prompts: readonly unknown[]): RepeatedPromptName[] {
  const out: RepeatedPromptName[] = [];
  const firstByName = new Map<string, number>();
  for (let i = 0; i < prompts.length; i++) {
    const name = nameOf(prompts[i]);
    if (name === undefined) continue;
    const first = firstByName.get(name);
    if (first === undefined) firstByName.set(name, i);
    else out.push({ name, first, index: i });
  }
  return out;
}

/**
 * Whether two prompts share a name. An open-addressing table of prompt
 * indexes in an `Int32Array` (its memory is outside the JavaScript heap),
 * keyed by a hash of the name's characters: loading calls this right after
 * `JSON.parse`, and a `Set` of 20,000 names (about 1.3 MB of young objects)
 * could start a scavenge that copies the whole freshly parsed document.
 */
function anyNameRepeats(prompts: readonly unknown[]): boolean {
  const table = newNameTable(prompts.length);
  // Names crafted to collide would make probing quadratic: past this many probes, a Set answers instead.
  let probesLeft = 8 * prompts.length + 64;
  for (let i = 0; i < prompts.length; i++) {
    const probes = addPromptName(table, prompts, i);
    if (probes < 0) return true;
    probesLeft -= probes;
    if (probesLeft < 0) return anyNameRepeatsInSet(prompts);
  }
  return false;
}

/**
 * An empty table for {@link addPromptName}: prompt indexes + 1 (0: empty) in
 * an `Int32Array` at most half full for `count` prompts.
 */
export function newNameTable(count: number): Int32Array {
  let size = 16;
  while (size < count * 2) size *= 2;
  return new Int32Array(size);
}

/**
 * Adds prompt `index`'s name (skipped when it has no string name) to an
 * open-addressing `table` ({@link newNameTable}) holding earlier prompts of
 * the same list, keyed by a hash of the name's characters. Returns -1 when an
 * earlier prompt has the same name, else the number of slots probed past the
 * first (the caller bounds their total: names crafted to collide would make
 * probing quadratic).
 */
export function addPromptName(table: Int32Array, prompts: readonly unknown[], index: number): number {
  const name = nameOf(prompts[index]);
  if (name === undefined) return 0;
  const mask = table.length - 1;
  let slot = hashName(name) & mask;
  let probes = 0;
  for (let taken = table[slot]!; taken !== 0; taken = table[slot]!) {
    if (nameOf(prompts[taken - 1]) === name) return -1;
    probes++;
    slot = (slot + 1) & mask;
  }
  table[slot] = index + 1;
  return probes;
}

/**
 * The index of the prompt named `name` in a complete {@link newNameTable}
 * table of `prompts` (every name added, none repeated), or -1 when the table
 * has none: then no prompt had that name when the table was built (a prompt
 * renamed since can still have it). The prompt found has `name` now.
 */
export function findPromptName(table: Int32Array, prompts: readonly unknown[], name: string): number {
  const mask = table.length - 1;
  let slot = hashName(name) & mask;
  for (let taken = table[slot]!; taken !== 0; taken = table[slot]!) {
    if (nameOf(prompts[taken - 1]) === name) return taken - 1;
    slot = (slot + 1) & mask;
  }
  return -1;
}

/** {@link anyNameRepeats} with a `Set` (V8's own string hashing). */
function anyNameRepeatsInSet(prompts: readonly unknown[]): boolean {
  const seen = new Set<string>();
  for (const prompt of prompts) {
    const name = nameOf(prompt);
    if (name === undefined) continue;
    if (seen.has(name)) return true;
    seen.add(name);
  }
  return false;
}

/** FNV-1a over a name's UTF-16 code units (32 bits). */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function nameOf(prompt: unknown): string | undefined {
  return isObject(prompt) && typeof prompt.name === "string" ? prompt.name : undefined;
}

/**
 * Checks unique prompt names (unless `options.repeatedNames` is `false`) and
 * tags. Values of the wrong type are skipped (the schema reports them).
 * `where(pointer)` describes a place for messages that refer to a second
 * place, e.g. `line 3, column 5`. Pointers are formatted only for problems.
 */
export function checkNamesAndTags(
  data: unknown,
  where: (pointer: string) => string,
  options: { repeatedNames?: boolean } = {},
): SchemaMessage[] {
  const out: SchemaMessage[] = [];
  if (!isObject(data) || !Array.isArray(data.prompts)) return out;
  if (options.repeatedNames !== false) {
    for (const { name, first, index } of repeatedPromptNames(data)) {
      out.push({
        pointer: formatPointer(["prompts", index, "name"]),
        message: `prompt name "${name}" is already used by the prompt at ${where(formatPointer(["prompts", first, "name"]))}: prompt names must be unique, rename one of them`,
      });
    }
  }
  const prompts = data.prompts;
  for (let i = 0; i < prompts.length; i++) tagProblems(prompts[i], i, out);
  return out;
}

/**
 * Adds to `out` the problems of prompt `index`'s tags (`metadata.tags`): a
 * tag with a comma, a tag given twice. Allocates nothing for a prompt
 * without tags.
 */
export function tagProblems(prompt: unknown, index: number, out: SchemaMessage[]): void {
  if (!isObject(prompt)) return;
  const tags = isObject(prompt.metadata) ? prompt.metadata.tags : undefined;
  if (!Array.isArray(tags) || tags.length === 0) return;
  const seen = new Set<string>();
  tags.forEach((tag: unknown, j: number) => {
    if (typeof tag !== "string") return;
    if (tag.includes(",")) {
      out.push({
        pointer: formatPointer(["prompts", index, "metadata", "tags", j]),
        message: `tag ${JSON.stringify(tag)} contains a comma: tags must not contain commas, split it into separate tags`,
      });
    }
    if (seen.has(tag))
      out.push({
        pointer: formatPointer(["prompts", index, "metadata", "tags", j]),
        message: `tag ${JSON.stringify(tag)} appears twice on this prompt: tags must be unique, remove one`,
      });
    seen.add(tag);
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
