/**
 * What core's Node entry (`index.ts`) and browser entry (`browser.ts`) both
 * export: the format and the runtime, which reach the host only through
 * `#platform` (see `platform/platform.ts`).
 *
 * @packageDocumentation
 */
export * from "./types.js";
export * from "./document.js";
export * from "./provider.js";
export * from "./errors.js";
export * from "./registry.js";
export * from "./events.js";
export * from "./template.js";
export * from "./output-text.js";
export * from "./base64.js";
export * from "./host-platform.js";
export * from "./attachments.js";
export * from "./dependencies.js";
export * from "./env.js";
export * from "./redact.js";
export * from "./parse.js";
export * from "./validate.js";
export * from "./save.js";
export * from "./validate-settings.js";
export * from "./chat-turns.js";
export * from "./chat-turns-to-prompts.js";
export * from "./runtime.js";
export * from "./module-models.js";
export * from "./batch/rate-limit-report.js";
export * from "./batch/expect-checks.js";
export * from "./batch/rate-limit-headers.js";
export * from "./provider-utils/index.js";
export * from "./batch/provider-batch-api.js";
