/**
 * Middleware and error handling shared by the notebook's routes.
 *
 * @packageDocumentation
 */
import type { ErrorHandler, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { redactText } from "./redact-secrets.js";
import { type NotebookContext, type NotebookEnv, notebookError } from "./notebook-context.js";

/** Refuses (403) a mutating request on a read-only notebook, before its body is read. */
export const refuseWhenReadOnly: MiddlewareHandler<NotebookEnv> = async (c, next) => {
  if (c.var.notebook.readOnly) throw notebookError(403, "this notebook is read-only: it cannot be saved, run or given attachments here");
  await next();
};

/**
 * Middleware giving the routes their notebook: `c.set("notebook", ...)` from a
 * fixed context or a function of the request (a visitor's session).
 */
export function provideNotebook(
  notebook: NotebookContext | ((c: Parameters<MiddlewareHandler>[0]) => NotebookContext | Promise<NotebookContext>),
): MiddlewareHandler<NotebookEnv> {
  return async (c, next) => {
    c.set("notebook", typeof notebook === "function" ? await notebook(c) : notebook);
    await next();
  };
}

/**
 * `onError` of a notebook app: an `HTTPException` answers with its response
 * (the JSON error of `notebookError`, or `{error}` from its message); anything
 * else is a 500 whose body is the error's first line (never a stack trace).
 */
export const notebookErrorHandler: ErrorHandler = (error, c) => {
  if (error instanceof HTTPException) {
    const res = error.getResponse();
    if ((res.headers.get("content-type") ?? "").includes("application/json")) return res;
    return c.json({ error: error.message || res.statusText || "bad request" }, error.status);
  }
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  const secrets = (c.get("notebook") as NotebookContext | undefined)?.secrets ?? [];
  return c.json({ error: redactText(message, secrets) }, 500);
};
