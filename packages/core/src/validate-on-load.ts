/**
 * The checks a load makes on a freshly parsed document, in one pass over its
 * prompts: the nesting depth (what reads the data later recurses), the
 * AIConfig JSON Schema, the specification's rules on tags, and repeated
 * prompt names. Each prompt is visited while it is in the CPU's caches; four
 * separate walks over a 15 MB document each paid for bringing it from memory
 * again (about 3 ms apiece for 20,000 prompts). What is found, and every
 * message, is what the separate checks give: `nestsDeeperThan`,
 * `validateConfig` (with `repeatedNames: false`) and `repeatedPromptNames`.
 *
 * Sources: the AIConfig specification (`shared/seeds/specification.md`) and
 * its schema (see `validate.ts`).
 *
 * @packageDocumentation
 */
import type { ErrorObject } from "ajv";
import {
  addPromptName,
  listRepeatedNames,
  newNameTable,
  type RepeatedPromptName,
  repeatedPromptNames,
  tagProblems,
} from "./check-names-and-tags.js";
import type { Problem } from "./errors.js";
import type { SchemaMessage } from "./explain-schema-errors.js";
import { MAX_NESTING_DEPTH, nestsDeeperThan } from "./nesting-depth.js";
import type { ParsedDocument } from "./parse.js";
import { promptSchemaErrors, rootSchemaErrors } from "./schema-errors.js";
import { placeProblems } from "./place-problems.js";

/** What {@link checkOnLoad} checks. */
export interface LoadCheckOptions {
  /** Check the schema and the tags (a load's `validate` option). */
  readonly validate: boolean;
  /** Check the nesting depth (`false` when the parser checked it already). */
  readonly nesting: boolean;
}

/** What {@link checkOnLoad} found. */
export type LoadCheck =
  /** The data nests deeper than {@link MAX_NESTING_DEPTH} levels: nothing else was checked. */
  | { readonly tooDeep: true }
  | {
      readonly tooDeep: false;
      /** The problems `validateConfig` gives with `repeatedNames: false` (empty when valid or not validated). */
      readonly problems: Problem[];
      /** The prompts whose name an earlier prompt has (`repeatedPromptNames`). */
      readonly repeated: RepeatedPromptName[];
      /**
       * The table of every prompt's name built on the way ({@link newNameTable}; for
       * `findPromptName`), when it is complete: the prompts are a list and no name repeats.
       */
      readonly names?: Int32Array;
    };

const TOO_DEEP = Object.freeze({ tooDeep: true as const });

/**
 * Checks freshly parsed data in one pass over its prompts (see the module's
 * comment). The depth of each part is checked before the schema's validators
 * (which recurse) see it.
 *
 * @param data - the parsed data.
 * @param doc - the parsed document, to place problems at a line and column.
 * @param file - the file named in problems.
 */
export function checkOnLoad(
  data: unknown,
  doc: ParsedDocument | undefined,
  file: string | undefined,
  { validate, nesting }: LoadCheckOptions,
): LoadCheck {
  const prompts = isObject(data) && Array.isArray(data.prompts) ? (data.prompts as unknown[]) : undefined;
  if (nesting && topLevelTooDeep(data)) return TOO_DEEP;
  const errors: ErrorObject[] = [];
  const rules: SchemaMessage[] = [];
  if (validate) rootSchemaErrors(data, errors);
  // Repeated names: "yes", "no", or "unknown" when names crafted to collide used up the probes (then a Set decides).
  let repeats: boolean | undefined = false;
  let names: Int32Array | undefined;
  if (prompts) {
    names = newNameTable(prompts.length);
    let probesLeft = 8 * prompts.length + 64;
    for (let i = 0; i < prompts.length; i++) {
      const prompt = prompts[i];
      // A prompt is level 3: the document is level 1, `prompts` level 2.
      if (nesting && nestsDeeperThan(prompt, MAX_NESTING_DEPTH, 3)) return TOO_DEEP;
      if (validate) {
        promptSchemaErrors(prompt, i, errors);
        tagProblems(prompt, i, rules);
      }
      if (repeats === false) {
        const probes = addPromptName(names, prompts, i);
        if (probes < 0) repeats = true;
        else if ((probesLeft -= probes) < 0) repeats = undefined;
      }
    }
  }
  let repeated: RepeatedPromptName[] = [];
  if (repeats === true && prompts) repeated = listRepeatedNames(prompts);
  else if (repeats === undefined) repeated = repeatedPromptNames(data);
  return {
    tooDeep: false,
    problems: validate ? placeProblems(data, errors, rules, doc, file) : [],
    repeated,
    ...(repeats === false && names ? { names } : {}),
  };
}

/** Whether the document nests too deep outside its prompts (each prompt is checked in the pass over them). */
function topLevelTooDeep(data: unknown): boolean {
  if (!isObject(data)) return nestsDeeperThan(data);
  for (const key in data) {
    const value = data[key];
    if (key === "prompts" && Array.isArray(value)) continue;
    if (nestsDeeperThan(value, MAX_NESTING_DEPTH, 2)) return true;
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
