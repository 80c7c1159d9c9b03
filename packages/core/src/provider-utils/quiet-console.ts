/**
 * Keeps an SDK's own console output (e.g. `@anthropic-ai/sdk`'s deprecation
 * notices, written with `console.warn` as a request is made) off the
 * terminal: what it writes during the synchronous part of a call goes, as one
 * line, to the provider's warning hook instead. Browser-safe.
 *
 * @packageDocumentation
 */
import { warnOnStderr } from "./provider-fetch.js";

function oneLine(args: readonly unknown[]): string {
  return args
    .map((a) => (a instanceof Error ? a.message : typeof a === "string" ? a : JSON.stringify(a)))
    .join(" ")
    .split("\n")[0]!
    .trim();
}

/**
 * Calls `call` with `console.log`, `console.warn` and `console.error`
 * redirected to `warn` (each call as its first line, prefixed with
 * `service`), and restores them before returning. Only the synchronous part
 * of `call` is covered (JavaScript runs nothing else meanwhile), which is
 * where SDKs write such notices.
 * @param warn the run's warning hook (default: a line on stderr)
 */
export function callQuietly<T>(service: string, warn: ((message: string) => void) | undefined, call: () => T): T {
  const saved = { log: console.log, warn: console.warn, error: console.error };
  // without a hook: stderr in Node; in a page the console's own warn (warnOnStderr would call the replaced one: endless)
  const hasStderr = (globalThis as { process?: { stderr?: unknown } }).process?.stderr !== undefined;
  const fallback = hasStderr ? warnOnStderr : (message: string) => saved.warn.call(console, message);
  const forward = (...args: unknown[]) => (warn ?? fallback)(`${service}: ${oneLine(args)}`);
  console.log = forward;
  console.warn = forward;
  console.error = forward;
  try {
    return call();
  } finally {
    Object.assign(console, saved);
  }
}
