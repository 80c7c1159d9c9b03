/**
 * What the notebook's routes need to serve one document, given per request
 * (hono's `c.var.notebook`) instead of captured from one file: the editor
 * supplies one context for the file it edits (`file-notebook.ts`), the hosted
 * notebook one per visitor session.
 *
 * @packageDocumentation
 */
import type { AIConfig, AIConfigRuntime, Output } from "@aiconfig-ts/core";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorResponse } from "../api-types.js";
import type { RunRegistry } from "./run-registry.js";

/** A media file read for the page or an export: its bytes and MIME type. */
export interface NotebookFile {
  body: Uint8Array;
  /** MIME type, e.g. `image/png` or `text/plain; charset=utf-8`. */
  type: string;
}

/** What {@link NotebookContext.save} answers. */
export interface SaveResult {
  /** The new version of the saved document. */
  version: string;
  /** One-line warnings about the saved document (e.g. settings the provider does not know). */
  warnings?: string[];
}

/**
 * One notebook's document, runtime and rules, as the routes of
 * `createNotebookRoutes()` read them from `c.var.notebook`.
 *
 * Methods may throw {@link notebookError} (an `HTTPException` with a JSON body)
 * to answer with a status; any other error becomes a 500 with its first line.
 */
export interface NotebookContext {
  /** The saved document (`runtime.config`) and the registry that resolves its models to providers. */
  readonly runtime: AIConfigRuntime;
  /** The name the page shows and downloads use, e.g. `story.aiconfig.json`. */
  readonly fileName: string;
  /** Format the document is saved in. */
  readonly format: "json" | "yaml";
  /** Refuse saving, running and uploads (403). */
  readonly readOnly: boolean;
  /** Secret values (API keys the runs can see) replaced by `[redacted]` in everything sent to the page. */
  readonly secrets: readonly string[];
  /**
   * Whether a key variable (e.g. `OPENAI_API_KEY`) is set where this
   * notebook's runs read keys; the page is told yes or no, never the value.
   * Absent: no key is set.
   */
  hasCredential?(name: string): boolean;
  /** The runs of this notebook (in progress, or finished less than a minute ago). */
  readonly runs: RunRegistry;
  /** Version of the saved document (opaque; the page sends it back as `baseVersion`). */
  version(): string;
  /**
   * A new runtime for one run of the page's document (unsaved edits run):
   * the providers, environment, strictness and attachment rules of this
   * notebook. The run's outputs stay in it (nothing is saved). May be async (the in-memory notebook reads
   * the files the document names first).
   * @throws {HTTPException} 400 when the document cannot run here (e.g. it names a file that cannot be read)
   */
  runtimeFor(config: AIConfig): AIConfigRuntime | Promise<AIConfigRuntime>;
  /**
   * Saves a checked document.
   * @throws {HTTPException} 409 with `conflict: true` when the saved version is not `baseVersion` and `force` is false
   */
  save(config: AIConfig, request: { baseVersion: string; force: boolean }): SaveResult | Promise<SaveResult>;
  /**
   * Reads the saved document again from where it lives (`GET /api/disk`, the
   * page's "reload"). Absent: the route answers 404.
   * @throws {HTTPException} 422 when the stored document is not a valid aiconfig
   */
  reload?(): { config: AIConfig; version: string } | Promise<{ config: AIConfig; version: string }>;
  /**
   * Changes a prompt's outputs of a run before they are sent to the page
   * (the editor writes large binary outputs to files beside the aiconfig
   * file). Synchronous, so events keep their order.
   */
  storeOutputs?(prompt: string, outputs: Output[]): Output[];
  /**
   * Brings the saved document up to date before the page loads it
   * (`GET /api/state`): the editor reads its file again when it changed on
   * disk, so a reloaded page never shows a stale copy.
   * @returns a one-line warning for the page when the stored document could not be read (the last good one is served)
   */
  refresh?(): string | undefined | Promise<string | undefined>;
  /**
   * Reads an attachment or output file named by a relative `file_uri`
   * (`GET /api/files`, and inlining into HTML exports). Absent: 404.
   * @throws {HTTPException} 403 for a path outside the notebook's files, 404 for a missing one
   */
  readFile?(path: string): NotebookFile | Promise<NotebookFile>;
  /**
   * Stores a file picked in the page (`POST /api/attachments`) and returns
   * the relative `file_uri` that names it. Absent: 404 (the page then stores
   * attachments inline as base64).
   */
  writeAttachment?(name: string, mimeType: string, bytes: Uint8Array): string | Promise<string>;
}

/** Hono environment of the notebook's routes: `c.var.notebook`. */
export interface NotebookEnv {
  Variables: { notebook: NotebookContext };
}

/**
 * An `HTTPException` whose response is the API's JSON error
 * (`{error, problems?, conflict?}`, see {@link ErrorResponse}).
 * @param message one line naming what was refused and the fix
 */
export function notebookError(status: ContentfulStatusCode, message: string, extra: Omit<ErrorResponse, "error"> = {}): HTTPException {
  const body: ErrorResponse = { error: message, ...extra };
  return new HTTPException(status, {
    message,
    res: new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=UTF-8" } }),
  });
}
