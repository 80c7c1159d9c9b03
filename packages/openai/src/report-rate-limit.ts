/**
 * Reports the rate-limit headers of the `openai` SDK's responses to a caller
 * that schedules requests (`RunContext.reportRateLimit`, set by a batch run).
 *
 * Source: the SDK's `APIPromise.withResponse()` (the raw `Response`) and
 * `APIError` (`status`, `headers`); OpenAI's rate-limit headers
 * (https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers).
 *
 * @packageDocumentation
 */
import { type RunContext, rateLimitReport } from "@aiconfig-ts/core";

/**
 * The per-request options for a run: its signal (unless nothing can cancel
 * the run: the SDK then makes no listener for it), and, when the caller
 * schedules against rate limits, no SDK retries (the caller retries).
 * @returns `undefined` when there is nothing to say
 */
export function requestOptions(ctx: RunContext): { signal?: AbortSignal; maxRetries?: number } | undefined {
  const signal = ctx.cancellable === false ? undefined : ctx.signal;
  if (ctx.reportRateLimit) return signal ? { signal, maxRetries: 0 } : { maxRetries: 0 };
  return signal ? { signal } : undefined;
}

/**
 * Awaits an SDK call made with `.withResponse()` and reports its response's
 * status and headers to `ctx.reportRateLimit` (when present); on an `APIError`
 * reports its status and headers, then rethrows.
 * @returns the SDK's parsed `data`
 */
export async function reportingRateLimit<T>(ctx: RunContext, call: Promise<{ data: T; response: Response }>): Promise<T> {
  try {
    const { data, response } = await call;
    ctx.reportRateLimit?.(rateLimitReport(response.status, response.headers));
    return data;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number") ctx.reportRateLimit?.(rateLimitReport(status, (error as { headers?: unknown }).headers));
    throw error;
  }
}
