/**
 * `@aiconfig-ts/core` in a browser (the `browser` export condition, also
 * `@aiconfig-ts/core/browser`): the same format and runtime as the Node entry
 * on the browser platform (`platform/browser.ts`): load a document from text
 * or objects (`parseConfigText`, `new AIConfigRuntime(config)`), save it to
 * text (`serializeConfig`), attachments as data or URLs, the environment from
 * {@link setBrowserEnvironment}. Node-only parts are left out: loading
 * providers modules, trusted folders, atomic file writes. Batch runs work
 * (`runtime.runBatch`, rows keyed by the same SHA-256 as in Node).
 *
 * Bundle it with the `browser` condition (esbuild `platform: "browser"`,
 * vite): its modules import `#platform`, which that condition maps to the
 * browser platform; no `node:` module is reached.
 *
 * @packageDocumentation
 */
export * from "./portable.js";
export { platformName, setBrowserEnvironment } from "./platform/browser.js";
