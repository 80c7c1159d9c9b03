/**
 * Names the SDK's errors. The `openai` SDK's error classes (`RateLimitError`,
 * `BadRequestError`, `APIConnectionError`, …) keep `Error` as their `name`;
 * the runtime stores `name` as an error output's `ename`, so the class name
 * is put there instead.
 *
 * @packageDocumentation
 */
import { withProviderFaults } from "@aiconfig-ts/core";

/**
 * Runs `work`; an error it throws whose `name` is the generic `Error` gets its
 * class name (e.g. `RateLimitError`) and is rethrown. An error caused by a
 * server fault that core's `providerFetch` found (connection refused, a stall,
 * HTML instead of JSON, a reply too large) is replaced by that fault's
 * one-line error, which names the URL.
 */
export async function withNamedErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await withProviderFaults(work);
  } catch (error) {
    if (error instanceof Error && error.name === "Error" && error.constructor.name !== "Error") {
      Object.defineProperty(error, "name", { value: error.constructor.name, configurable: true, writable: true });
    }
    throw error;
  }
}
