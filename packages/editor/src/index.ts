/**
 * `@aiconfig-ts/editor`: the AI Workbook, a notebook editor for aiconfig
 * files. The server is a function of a runtime ({@link createEditorApp}, a
 * Hono app); {@link startEditor} serves it for `aiconfig edit FILE`. The web
 * UI (a React component taking a backend URL) is built into `dist/ui`.
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
export { type ExportOptions, exportNotebookHtml } from "./server/export-html.js";
export {
  DEFAULT_PROVIDERS_MODULES,
  findProvidersModule,
  loadProvidersModule,
  ProvidersModuleError,
} from "./server/load-providers-module.js";
export { openBrowser } from "./server/open-browser.js";
export { type RunningEditor, type StartEditorOptions, newConfigDocument, startEditor } from "./server/start-editor.js";
export { defaultUiDir, loadUiAssets, UiNotBuiltError } from "./server/ui-assets.js";
export { editedConfigProblems } from "./server/validate-edited-config.js";
