/**
 * Turns ajv's JSON Schema errors into messages a user understands: one
 * message per place, `anyOf` alternatives collapsed (the alternative the
 * value was clearly meant to be is explained, else the accepted forms are
 * named), property names instead of schema paths.
 *
 * Source: ajv's error objects (https://ajv.js.org/api.html#error-objects).
 *
 * @packageDocumentation
 */
import type { ErrorObject } from "ajv";
import { parsePointer, valueAtPointer } from "./json-pointer.js";

/** A schema problem before it is placed in a file: what and where (JSON pointer). */
export interface SchemaMessage {
  pointer: string;
  message: string;
}

/**
 * The accepted forms of each `anyOf` of the AIConfig schema, keyed by the
 * place in the document with indexes as `*` (ajv gives schema paths relative
 * to a `$ref`'d definition, so the place is what identifies the anyOf).
 */
const ANY_OF_FORMS: Record<string, string> = {
  "/schema_version": 'must be "latest", "v1" or an object {"major": number, "minor": number}',
  "/prompts/*/input": 'must be a string or an object with data/attachments (e.g. {"data": "...", "attachments": [...]})',
  "/prompts/*/metadata/model": 'must be a model name (a string) or an object {"name": "...", "settings": {...}}',
  "/prompts/*/outputs/*":
    'must be an output: {"output_type": "execute_result", "data": ...} or {"output_type": "error", "ename": "...", "evalue": "...", "traceback": [...]}',
};

/**
 * Explains ajv errors (from a validator compiled with `allErrors: true`) on
 * `data`. The result is in the order of the errors, one entry per distinct
 * pointer and message.
 */
export function explainSchemaErrors(errors: readonly ErrorObject[], data: unknown): SchemaMessage[] {
  const out: SchemaMessage[] = [];
  const seen = new Set<string>();
  const push = (m: SchemaMessage) => {
    const key = `${m.pointer}\u0000${m.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(m);
    }
  };

  const explainGroup = (errs: readonly ErrorObject[]): void => {
    // Each error belongs to the outermost anyOf it was produced in (looked up by
    // the anyOf errors at the places enclosing it: linear in the number of errors).
    const alternativesAt = new Map<string, ErrorObject[]>();
    for (const e of errs) {
      if (!isAlternatives(e)) continue;
      const list = alternativesAt.get(e.instancePath);
      if (list) list.push(e);
      else alternativesAt.set(e.instancePath, [e]);
    }
    const members = new Map<ErrorObject, ErrorObject[]>();
    const owner = new Map<ErrorObject, ErrorObject>();
    if (alternativesAt.size > 0) {
      for (const e of errs) {
        const a = outermostAlternatives(e, alternativesAt);
        if (!a) continue;
        owner.set(e, a);
        const list = members.get(a);
        if (list) list.push(e);
        else members.set(a, [e]);
      }
    }
    for (const e of errs) {
      if (owner.has(e)) continue;
      if (!isAlternatives(e)) {
        push(explainOne(e, data));
        continue;
      }
      const mine = members.get(e) ?? [];
      const branch = chooseBranch(e, mine);
      const value = valueAtPointer(data, e.instancePath);
      const forms = ANY_OF_FORMS[e.instancePath.replace(/\/\d+(?=\/|$)/g, "/*")] ?? "has none of the allowed forms";
      const summary = `${label(e.instancePath)} ${forms} (found ${describeValue(value)})`;
      const chosen = branch === undefined ? [] : mine.filter((m) => branchIndex(m, e) === branch);
      // No clear branch, or one that only fails on the value itself (its enum/const): name the accepted forms.
      if (branch === undefined || chosen.every((m) => m.instancePath === e.instancePath && m.keyword !== "required")) {
        push({ pointer: e.instancePath, message: summary });
      } else explainGroup(chosen);
    }
  };

  explainGroup(errors);
  return out;
}

function isAlternatives(e: ErrorObject): boolean {
  return e.keyword === "anyOf" || e.keyword === "oneOf";
}

/** The outermost anyOf error (other than `e`) whose alternatives produced `e`, if any. */
function outermostAlternatives(e: ErrorObject, alternativesAt: ReadonlyMap<string, ErrorObject[]>): ErrorObject | undefined {
  const path = e.instancePath;
  for (let end = 0; end !== -1; end = path.indexOf("/", end + 1)) {
    for (const a of alternativesAt.get(path.slice(0, end)) ?? []) if (isBranchErrorOf(e, a)) return a;
  }
  for (const a of alternativesAt.get(path) ?? []) if (isBranchErrorOf(e, a)) return a;
  return undefined;
}

/** Whether `e` was produced inside one of the alternatives of the anyOf error `a`. */
function isBranchErrorOf(e: ErrorObject, a: ErrorObject): boolean {
  return (
    e !== a &&
    e.schemaPath.startsWith(`${a.schemaPath}/`) &&
    (e.instancePath === a.instancePath || e.instancePath.startsWith(`${a.instancePath}/`))
  );
}

function branchIndex(e: ErrorObject, a: ErrorObject): number {
  return Number(e.schemaPath.slice(a.schemaPath.length + 1).split("/")[0]);
}

/**
 * The alternative the value was meant to be: among those whose type matches
 * and whose discriminating constants (e.g. `output_type`) match, the one with
 * the fewest errors; `undefined` when none or a tie.
 */
function chooseBranch(a: ErrorObject, members: readonly ErrorObject[]): number | undefined {
  const byBranch = new Map<number, ErrorObject[]>();
  for (const e of members) {
    const i = branchIndex(e, a);
    if (!byBranch.has(i)) byBranch.set(i, []);
    byBranch.get(i)!.push(e);
  }
  const compatible = [...byBranch.entries()].filter(
    ([i, errs]) =>
      !errs.some(
        (e) =>
          (e.keyword === "type" && e.instancePath === a.instancePath && e.schemaPath === `${a.schemaPath}/${i}/type`) ||
          (e.keyword === "const" && isDirectChild(e.instancePath, a.instancePath)),
      ),
  );
  if (compatible.length === 0) return undefined;
  compatible.sort((x, y) => x[1].length - y[1].length);
  if (compatible.length > 1 && compatible[0]![1].length === compatible[1]![1].length) return undefined;
  return compatible[0]![0];
}

function isDirectChild(child: string, parent: string): boolean {
  return child.startsWith(`${parent}/`) && !child.slice(parent.length + 1).includes("/");
}

/** One error, in words. */
function explainOne(e: ErrorObject, data: unknown): SchemaMessage {
  const what = label(e.instancePath);
  const value = valueAtPointer(data, e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": {
      const where = e.instancePath === "" ? "" : ` in ${what}`;
      return { pointer: e.instancePath, message: `missing required property "${String(params.missingProperty)}"${where}` };
    }
    case "type": {
      const fix = value === null ? ": remove the property or give it a value" : "";
      return { pointer: e.instancePath, message: `${what} must be ${typePhrase(params.type)} (found ${describeValue(value)})${fix}` };
    }
    case "const":
      return { pointer: e.instancePath, message: `${what} must be ${JSON.stringify(params.allowedValue)} (found ${describeValue(value)})` };
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ");
      return { pointer: e.instancePath, message: `${what} must be one of ${allowed} (found ${describeValue(value)})` };
    }
    case "additionalProperties":
      return { pointer: e.instancePath, message: `${what} has an unknown property "${String(params.additionalProperty)}"` };
    default:
      return { pointer: e.instancePath, message: `${what} ${e.message ?? "is invalid"}` };
  }
}

/** How a value is named in messages: `"input"`, `"prompts[2]"`, `the document`. */
export function label(pointer: string): string {
  const segs = parsePointer(pointer);
  if (segs.length === 0) return "the document";
  const last = segs[segs.length - 1]!;
  if (/^\d+$/.test(last)) {
    const parent = segs.length > 1 ? segs[segs.length - 2]! : "";
    return parent && !/^\d+$/.test(parent) ? `"${parent}[${last}]"` : `item ${last}`;
  }
  return `"${last}"`;
}

const TYPE_WORDS: Record<string, string> = {
  object: "an object",
  array: "a list (JSON array)",
  string: "a string",
  number: "a number",
  integer: "an integer",
  boolean: "true or false",
  null: "null",
};

function typePhrase(type: unknown): string {
  const types = (Array.isArray(type) ? type : [type]).map((t) => TYPE_WORDS[String(t)] ?? String(t));
  return types.length > 1 ? `${types.slice(0, -1).join(", ")} or ${types[types.length - 1]}` : types[0]!;
}

/** A short description of a value for "found ..." in messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return value.length > 40 ? `a string "${value.slice(0, 37)}..."` : `${JSON.stringify(value)}`;
    case "number":
      return `the number ${value}`;
    case "boolean":
      return String(value);
    case "object":
      return "an object";
    default:
      return "nothing";
  }
}
