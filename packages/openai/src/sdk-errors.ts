/**
 * Names the SDK's errors. The `openai` SDK's error classes (`RateLimitError`,
 * `BadRequestError`, `APIConnectionError`, …) keep `Error` as their `name`;
 * the runtime stores `name` as an error output's `ename`, so the class name
 * is put there instead.
 *
 * @packageDocumentation
 */
import { findProviderFault } from "@aiconfig-ts/core";

/**
 * The error a provider throws for `error`: the one-line fault core's
 * `providerFetch` found behind it (connection refused, a stall, HTML instead
 * of JSON, a reply too large), else `error` itself, its `name` set to its
 * class name (e.g. `RateLimitError`) when it is the generic `Error`.
 * Synchronous, for a provider's own `catch` (no extra async layer per run).
 */
export function namedProviderError(error: unknown): unknown {
  const fault = findProviderFault(error);
  if (fault) return fault;
  if (error instanceof Error && error.name === "Error" && error.constructor.name !== "Error") {
    Object.defineProperty(error, "name", { value: error.constructor.name, configurable: true, writable: true });
  }
  return error;
}

/**
 * Runs `work`; what it throws is rethrown as {@link namedProviderError} makes it
 * (a server fault's one-line error, or the SDK's error under its class name).
 */
export async function withNamedErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw namedProviderError(error);
  }
}
