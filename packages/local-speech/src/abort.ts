/**
 * Stopping a run that was cancelled.
 *
 * @packageDocumentation
 */

/**
 * Throws when the signal is aborted: its reason when that is an Error, else
 * an `AbortError`.
 */
export function throwIfAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  const reason: unknown = signal.reason;
  if (reason instanceof Error) throw reason;
  throw new DOMException("the run was cancelled", "AbortError");
}
