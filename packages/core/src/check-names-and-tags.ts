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

/**
 * Checks unique prompt names and tags. Values of the wrong type are skipped
 * (the schema reports them). `where(pointer)` describes a place for messages
 * that refer to a second place, e.g. `line 3, column 5`.
 */
export function checkNamesAndTags(data: unknown, where: (pointer: string) => string): SchemaMessage[] {
  const out: SchemaMessage[] = [];
  if (!isObject(data) || !Array.isArray(data.prompts)) return out;
  const firstByName = new Map<string, string>();
  data.prompts.forEach((prompt: unknown, i: number) => {
    if (!isObject(prompt)) return;
    if (typeof prompt.name === "string") {
      const pointer = formatPointer(["prompts", i, "name"]);
      const first = firstByName.get(prompt.name);
      if (first === undefined) firstByName.set(prompt.name, pointer);
      else
        out.push({
          pointer,
          message: `prompt name "${prompt.name}" is already used by the prompt at ${where(first)}: prompt names must be unique, rename one of them`,
        });
    }
    const tags = isObject(prompt.metadata) ? prompt.metadata.tags : undefined;
    if (!Array.isArray(tags)) return;
    const seen = new Set<string>();
    tags.forEach((tag: unknown, j: number) => {
      if (typeof tag !== "string") return;
      const pointer = formatPointer(["prompts", i, "metadata", "tags", j]);
      if (tag.includes(",")) {
        out.push({
          pointer,
          message: `tag ${JSON.stringify(tag)} contains a comma: tags must not contain commas, split it into separate tags`,
        });
      }
      if (seen.has(tag))
        out.push({ pointer, message: `tag ${JSON.stringify(tag)} appears twice on this prompt: tags must be unique, remove one` });
      seen.add(tag);
    });
  });
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
