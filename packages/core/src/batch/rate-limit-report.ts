/**
 * Builds a {@link RateLimitReport} from an HTTP reply, for providers that
 * report to a caller scheduling against rate limits
 * (`RunContext.reportRateLimit`).
 *
 * @packageDocumentation
 */
import type { RateLimitReport } from "../provider.js";

/** Names of the headers a report keeps (the rest of a reply's headers are dropped). */
const RATE_LIMIT_HEADER = /^(retry-after(-ms)?|x-ratelimit-|anthropic-ratelimit-)/;

/**
 * The report of one HTTP reply: its status and its rate-limit headers (names
 * in lower case; other headers are not kept).
 * @param headers a fetch `Headers` object or a plain record of header names to values
 */
export function rateLimitReport(status: number, headers: unknown): RateLimitReport {
  const out: Record<string, string> = {};
  const keep = (name: string, value: unknown) => {
    const lower = name.toLowerCase();
    if (typeof value === "string" && RATE_LIMIT_HEADER.test(lower)) out[lower] = value;
  };
  if (headers && typeof headers === "object") {
    if (typeof (headers as Headers).forEach === "function" && typeof (headers as Headers).get === "function") {
      (headers as Headers).forEach((value, name) => {
        keep(name, value);
      });
    } else for (const [name, value] of Object.entries(headers as Record<string, unknown>)) keep(name, value);
  }
  return { status, headers: out };
}
