/**
 * The request bodies of the notebook's API, checked with hono's `validator`
 * before a route sees them: a wrong shape, a document the editor refuses, or
 * JSON nested deeper than {@link MAX_BODY_DEPTH} (checked without recursion
 * by core's `nestsDeeperThan`) is a 400 with a one-line JSON error, and
 * nothing is saved or run.
 *
 * @packageDocumentation
 */
import { type AIConfig, MAX_NESTING_DEPTH, formatProblem, nestsDeeperThan, validateConfig } from "@aiconfig-ts/core";
import { validator } from "hono/validator";
import type { AttachmentUpload, RunRequest, SaveRequest } from "../api-types.js";
import { notebookError } from "./notebook-context.js";
import { editedConfigProblems } from "./validate-edited-config.js";

/** Deepest nesting of arrays and objects accepted in a request body: core's limit for files (a document is far shallower). */
export const MAX_BODY_DEPTH = MAX_NESTING_DEPTH;

/** The problems of a document sent by the page: the editor's checks, then the schema's. */
export function documentProblems(doc: unknown): string[] {
  const problems = editedConfigProblems(doc);
  if (problems.length > 0) return problems;
  return validateConfig(doc).map(formatProblem);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A `json` validator: refuses deep nesting, then applies `check`, which
 * returns the typed body or throws {@link notebookError}.
 */
function jsonBody<T>(check: (body: Record<string, unknown>) => T) {
  return validator("json", (value: unknown): T => {
    if (nestsDeeperThan(value, MAX_BODY_DEPTH))
      throw notebookError(400, `the request nests deeper than ${MAX_BODY_DEPTH} levels: not a document the editor sends`);
    return check(isObject(value) ? value : {});
  });
}

/** Throws a 400 naming the first problem of a document, with `prefix` ("not saved: "). */
function checkedDocument(doc: unknown, prefix: string): AIConfig {
  const problems = documentProblems(doc);
  if (problems.length > 0) throw notebookError(400, `${prefix}${problems[0]}`, { problems });
  return doc as AIConfig;
}

/** `POST /api/save`: `{config, baseVersion, force?}`. */
export const saveBody = jsonBody((b): SaveRequest => {
  if (typeof b.baseVersion !== "string") throw notebookError(400, "expected {config, baseVersion}");
  return { config: checkedDocument(b.config, "not saved: "), baseVersion: b.baseVersion, force: b.force === true };
});

/** `POST /api/serialize`: `{config, format: "json"|"yaml"}`. */
export const serializeBody = jsonBody((b) => {
  if (b.format !== "json" && b.format !== "yaml") throw notebookError(400, "expected {config, format: json|yaml}");
  return { config: checkedDocument(b.config, ""), format: b.format as "json" | "yaml" };
});

/** `POST /api/export`: `{config}`. */
export const exportBody = jsonBody((b) => ({ config: checkedDocument(b.config, "") }));

/** `POST /api/runs`: `{config, mode, prompt?, continueOnError?}`; the prompt must be in the document. */
export const runBody = jsonBody((b): RunRequest => {
  if (b.mode !== "one" && b.mode !== "deps" && b.mode !== "all") throw notebookError(400, "expected {config, mode: one|deps|all, prompt}");
  const config = checkedDocument(b.config, "not run: ");
  if (b.mode !== "all" && !config.prompts.some((p) => p.name === b.prompt))
    throw notebookError(400, `no prompt named "${String(b.prompt)}" in the document`);
  return {
    config,
    mode: b.mode,
    ...(typeof b.prompt === "string" ? { prompt: b.prompt } : {}),
    continueOnError: b.continueOnError === true,
  };
});

/** `POST /api/models`: `{models: [names], model_parsers?}` (at most 2,000 names). */
export const modelsBody = jsonBody((b) => {
  if (!Array.isArray(b.models)) throw notebookError(400, "expected {models: [names], model_parsers}");
  const parsers: Record<string, string> = {};
  if (isObject(b.model_parsers)) for (const [k, v] of Object.entries(b.model_parsers)) if (typeof v === "string") parsers[k] = v;
  return { models: b.models.slice(0, 2000).filter((m): m is string => typeof m === "string"), modelParsers: parsers };
});

/** `POST /api/attachments`: `{name, mimeType, base64}`. */
export const attachmentBody = jsonBody((b): AttachmentUpload => {
  if (typeof b.name !== "string" || typeof b.base64 !== "string") throw notebookError(400, "expected {name, mimeType, base64}");
  return { name: b.name, mimeType: typeof b.mimeType === "string" ? b.mimeType : "application/octet-stream", base64: b.base64 };
});

/** `POST /api/runs/:id/cancel`: `{prompt?}` (during Run all, that prompt and its dependents only); an empty body cancels the run. */
export const cancelBody = jsonBody((b) => (typeof b.prompt === "string" ? { prompt: b.prompt } : {}) as { prompt?: string });
