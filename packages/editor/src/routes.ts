/**
 * `@aiconfig-ts/editor/routes`: the notebook's routes and an in-memory
 * notebook with no `node:` import reachable, for a page that answers the
 * notebook's API itself (the static site) on `@aiconfig-ts/core`'s browser entry.
 *
 * ```ts
 * const notebook = createMemoryNotebook({ config, registry, environment: () => keys, onSave: keep });
 * const app = new Hono<NotebookEnv>().use("*", provideNotebook(notebook)).route("/", createNotebookRoutes());
 * <AIConfigNotebook fetch={(request) => Promise.resolve(app.fetch(request))} />
 * ```
 *
 * Here `createNotebookRoutes()` is the API without HTML export and, unless `assets` are given,
 * without the built UI (the page is the UI). In Node, `@aiconfig-ts/editor`'s `createNotebookRoutes` adds both.
 *
 * @packageDocumentation
 */
export type * from "./api-types.js";
export {
  createNotebookApiRoutes,
  createNotebookApiRoutes as createNotebookRoutes,
  type NotebookApiRoutesOptions,
} from "./server/notebook-api-routes.js";
export { type NotebookContext, type NotebookEnv, type NotebookFile, notebookError, type SaveResult } from "./server/notebook-context.js";
export { notebookErrorHandler, provideNotebook, refuseWhenReadOnly } from "./server/notebook-middleware.js";
export { type NotebookSecurityOptions, notebookSecureHeaders } from "./server/notebook-secure-headers.js";
export { createMemoryNotebook, fileAttachmentProblems, type MemoryNotebook, type MemoryNotebookOptions } from "./server/memory-notebook.js";
export { RunRegistry } from "./server/run-registry.js";
export { type RunMode, RunSession } from "./server/run-session.js";
