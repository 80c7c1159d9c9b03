/**
 * Reads the rate-limit headers of a provider's reply: how long to wait before
 * the next request, and how much of the limit is left.
 *
 * Sources: `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date);
 * OpenAI's `retry-after-ms`, `x-ratelimit-limit|remaining|reset-requests|tokens`
 * (resets as durations such as `1s`, `6m0s`, `20ms`;
 * https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers);
 * Anthropic's `anthropic-ratelimit-requests|tokens-limit|remaining|reset`
 * (resets as RFC 3339 times; https://docs.anthropic.com/en/api/rate-limits#response-headers).
 *
 * @packageDocumentation
 */
import type { RateLimitReport } from "../provider.js";

/** What a reply says about the rate limit. Times in milliseconds; absent when the reply does not say. */
export interface RateLimitState {
  /** Wait this long before the next request (`retry-after-ms`, else `retry-after`). */
  readonly retryAfterMs?: number;
  /** The limit of requests per minute. */
  readonly requestsLimit?: number;
  /** The limit of tokens per minute. */
  readonly tokensLimit?: number;
  /** Requests left in the current window. */
  readonly remainingRequests?: number;
  /** Tokens left in the current window. */
  readonly remainingTokens?: number;
  /** Time until the request allowance is full again. */
  readonly resetRequestsMs?: number;
  /** Time until the token allowance is full again. */
  readonly resetTokensMs?: number;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `6m0s`, `1.5s`, `20ms` → milliseconds; a bare number is seconds. */
function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  let total = 0;
  let matched = false;
  for (const [, amount, unit] of trimmed.matchAll(DURATION_PART)) {
    total += Number(amount) * UNIT_MS[unit!]!;
    matched = true;
  }
  return matched ? total : undefined;
}

/** A duration, or a date (RFC 3339 or HTTP date) as the time from `now` until it. */
function parseResetOrDate(text: string, now: number): number | undefined {
  const duration = parseDuration(text);
  if (duration !== undefined) return duration;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function count(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Reads a reply's rate-limit headers.
 * @param now the current time (ms since the epoch), for headers that give a date
 */
export function readRateLimitHeaders(report: RateLimitReport, now = Date.now()): RateLimitState {
  const h = report.headers;
  const state: { -readonly [K in keyof RateLimitState]: RateLimitState[K] } = {};
  const retryMs = count(h["retry-after-ms"]);
  if (retryMs !== undefined) state.retryAfterMs = retryMs;
  else if (h["retry-after"] !== undefined) state.retryAfterMs = parseResetOrDate(h["retry-after"], now);
  state.requestsLimit = count(h["x-ratelimit-limit-requests"] ?? h["anthropic-ratelimit-requests-limit"]);
  state.tokensLimit = count(h["x-ratelimit-limit-tokens"] ?? h["anthropic-ratelimit-tokens-limit"]);
  state.remainingRequests = count(h["x-ratelimit-remaining-requests"] ?? h["anthropic-ratelimit-requests-remaining"]);
  state.remainingTokens = count(h["x-ratelimit-remaining-tokens"] ?? h["anthropic-ratelimit-tokens-remaining"]);
  const resetRequests = h["x-ratelimit-reset-requests"] ?? h["anthropic-ratelimit-requests-reset"];
  const resetTokens = h["x-ratelimit-reset-tokens"] ?? h["anthropic-ratelimit-tokens-reset"];
  if (resetRequests !== undefined) state.resetRequestsMs = parseResetOrDate(resetRequests, now);
  if (resetTokens !== undefined) state.resetTokensMs = parseResetOrDate(resetTokens, now);
  for (const key of Object.keys(state) as (keyof RateLimitState)[]) if (state[key] === undefined) delete state[key];
  return state;
}
