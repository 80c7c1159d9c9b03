/**
 * Reports the rate-limit headers of `@anthropic-ai/sdk` responses to a caller
 * that schedules requests (`RunContext.reportRateLimit`, set by a batch run).
 *
 * Source: the SDK's `APIPromise.withResponse()` (the raw `Response`) and
 * `APIError` (`status`, `headers`); Anthropic's `anthropic-ratelimit-*` and
 * `retry-after` headers (https://docs.anthropic.com/en/api/rate-limits#response-headers).
 *
 * @packageDocumentation
 */
import { type RunContext, rateLimitReport } from "@aiconfig-ts/core";

/**
 * The per-request options for a run: its signal, and, when the caller
 * schedules against rate limits, no SDK retries (the caller retries).
 */
export function requestOptions(ctx: RunContext): { signal: AbortSignal; maxRetries?: number } {
  return ctx.reportRateLimit ? { signal: ctx.signal, maxRetries: 0 } : { signal: ctx.signal };
}

/** Reports a response's status and headers to `ctx.reportRateLimit`, when present. */
export function reportResponse(ctx: RunContext, response: Response): void {
  ctx.reportRateLimit?.(rateLimitReport(response.status, response.headers));
}

/** Reports an SDK `APIError`'s status and headers to `ctx.reportRateLimit` (other errors are not HTTP replies). */
export function reportError(ctx: RunContext, error: unknown): void {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === "number") ctx.reportRateLimit?.(rateLimitReport(status, (error as { headers?: unknown }).headers));
}
