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
  // One pass with a set (most files repeat nothing); positions only when a name repeats.
  const seen = new Set<string>();
  let repeats = false;
  for (let i = 0; i < prompts.length; i++) {
    const name = nameOf(prompts[i]);
    if (name === undefined) continue;
    const before = seen.size;
    seen.add(name);
    if (seen.size === before) {
      repeats = true;
      break;
    }
  }
  if (!repeats) return [];
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
  for (let i = 0; i < prompts.length; i++) {
    const prompt: unknown = prompts[i];
    if (!isObject(prompt)) continue;
    const tags = isObject(prompt.metadata) ? prompt.metadata.tags : undefined;
    if (!Array.isArray(tags) || tags.length === 0) continue;
    const seen = new Set<string>();
    tags.forEach((tag: unknown, j: number) => {
      if (typeof tag !== "string") return;
      if (tag.includes(",")) {
        out.push({
          pointer: formatPointer(["prompts", i, "metadata", "tags", j]),
          message: `tag ${JSON.stringify(tag)} contains a comma: tags must not contain commas, split it into separate tags`,
        });
      }
      if (seen.has(tag))
        out.push({
          pointer: formatPointer(["prompts", i, "metadata", "tags", j]),
          message: `tag ${JSON.stringify(tag)} appears twice on this prompt: tags must be unique, remove one`,
        });
      seen.add(tag);
    });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
