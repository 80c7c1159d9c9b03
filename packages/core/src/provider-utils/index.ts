/**
 * The provider kit: what every provider package shares (keys and where they
 * may go, settings read by their schema, the first media attachment, the
 * `fetch` that handles a server's faults, tool calls and results across chat turns). Also exported from
 * `@aiconfig-ts/core` itself.
 *
 * @packageDocumentation
 */
export * from "./environment-sources.js";
export * from "./first-attachment.js";
export * from "./provider-fetch.js";
export * from "./read-credential.js";
export * from "./read-settings.js";
export * from "./quiet-console.js";
export * from "./tool-call-turns.js";
