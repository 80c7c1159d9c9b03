/**
 * `@aiconfig-ts/editor`: the AI Workbook, a notebook editor for aiconfig
 * files. The server is a function of a runtime ({@link createEditorApp}, a
 * Hono app); {@link startEditor} serves it for `aiconfig edit FILE`. The web
 * UI (a React component taking a backend URL) is built into `dist/ui`.
 *
 * The notebook's routes ({@link createNotebookRoutes}) read their document
 * from a {@link NotebookContext} per request, so another server (the hosted
 * notebook) mounts the same API and UI over its own sessions.
 *
 * ```ts
 * import { startEditor } from "@aiconfig-ts/editor";
 * const editor = await startEditor({ file: "my.aiconfig.json", open: true });
 * console.log(editor.url); // http://127.0.0.1:PORT/?token=...
 * await editor.close();
 * ```
 *
 * @packageDocumentation
 */
export type * from "./api-types.js";
export { checkHostAndOrigin, generateToken, type HostPolicy, hostPolicyFor, tokenCookieName } from "./server/auth.js";
export { createEditorApp, type EditorApp, type EditorAppOptions } from "./server/create-editor-app.js";
export { type ExportOptions, exportNotebookHtml, storedFilePaths } from "./server/export-html.js";
export { type FileNotebookOptions, fileNotebook } from "./server/file-notebook.js";
export {
  DEFAULT_PROVIDERS_MODULES,
  findProvidersModule,
  loadProvidersModule,
  ProvidersModuleError,
} from "./server/load-providers-module.js";
export { listenFailure } from "./server/listen-failure.js";
export { modelInfos, providerInfos } from "./server/model-catalog.js";
export {
  type NotebookContext,
  type NotebookEnv,
  type NotebookFile,
  notebookError,
  type SaveResult,
} from "./server/notebook-context.js";
export { notebookErrorHandler, provideNotebook, refuseWhenReadOnly } from "./server/notebook-middleware.js";
export {
  createNotebookRoutes,
  type NotebookRoutesOptions,
  type NotebookSecurityOptions,
  notebookSecureHeaders,
} from "./server/notebook-routes.js";
export { createNotebookApiRoutes, type NotebookApiRoutesOptions } from "./server/notebook-api-routes.js";
export { createMemoryNotebook, fileAttachmentProblems, type MemoryNotebook, type MemoryNotebookOptions } from "./server/memory-notebook.js";
export { openBrowser } from "./server/open-browser.js";
export { StreamRedactor, redactJSON, redactText, secretValues, writtenSecretValues } from "./server/redact-secrets.js";
export { MAX_BODY_DEPTH, documentProblems } from "./server/request-bodies.js";
export { FINISHED_RUN_KEPT_MS, RunRegistry } from "./server/run-registry.js";
export { type RunMode, RunSession } from "./server/run-session.js";
export { type RunningEditor, type StartEditorOptions, newConfigDocument, offlineDefaultModel, startEditor } from "./server/start-editor.js";
export { defaultUiDir, loadUiAssets, type UiAsset, UiNotBuiltError } from "./server/ui-assets.js";
export { editedConfigProblems } from "./server/validate-edited-config.js";
export {
  MEDIA_TYPES,
  WorkspacePathError,
  folderUnder,
  mediaFileUnder,
  safeFileName,
  writeAttachment,
  writeOutputFile,
} from "./server/workspace-files.js";
export { LARGE_OUTPUT_BYTES, type OutputFilesMode, storeLargeOutputs } from "./server/large-outputs.js";
export { editorMessage } from "./server/editor-messages.js";
