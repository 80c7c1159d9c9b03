/**
 * The rate limit of one endpoint (a provider and model) in a batch run,
 * shared by all its rows: token buckets of requests and tokens per minute
 * (the `limiter` package), a pause that replies set when they say to wait
 * (`Retry-After`, a 429), and the allowance the last reply announced
 * (`x-ratelimit-remaining-*` / `anthropic-ratelimit-*-remaining` until the
 * reset): when it runs low, requests wait for the reset before the server
 * has to refuse them.
 *
 * @packageDocumentation
 */
import type { RateLimitReport } from "../provider.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";
import type { SharedTokenBudget } from "./shared-token-budget.js";

/**
 * What the limiter uses of a token bucket: the shape of the `limiter`
 * package's `TokenBucket` (v4, https://github.com/jhurliman/node-rate-limiter),
 * written here so that core's published types name no library core bundles.
 */
export interface TokenBucket {
  /** Most tokens the bucket holds. */
  readonly bucketSize: number;
  /** Tokens in the bucket now (may be set to give tokens back). */
  content: number;
  /** Waits until `count` tokens are available and takes them; resolves with the tokens left. */
  removeTokens(count: number): Promise<number>;
}

/** The `limiter` package's `TokenBucket` class (its constructor's options as the limiter passes them). */
export type TokenBucketClass = new (options: {
  bucketSize: number;
  tokensPerInterval: number;
  interval: "second" | "minute" | "hour" | "day" | number;
}) => TokenBucket;

/** Limits of an endpoint set by the caller. */
export interface EndpointLimits {
  /** Requests per minute; absent: learnt from the replies' headers, if they give one. */
  readonly requestsPerMinute?: number;
  /** Tokens per minute (prompt and completion); absent: learnt from the replies' headers, if they give one. */
  readonly tokensPerMinute?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * Requests per minute as a bucket that holds a tenth of a second's worth (at
 * least 1): requests are spread evenly (a service that counts per second, as
 * OpenAI's does, sees at most a tenth of a second's burst), and a timer that
 * fires late does not lose the requests it was due.
 */
function requestBucket(Bucket: TokenBucketClass, perMinute: number): TokenBucket {
  return new Bucket({ bucketSize: Math.max(1, Math.floor(perMinute / 600)), tokensPerInterval: perMinute, interval: "minute" });
}

/** Tokens per minute as a bucket that holds a second's worth (at least 1). */
function tokenBucket(Bucket: TokenBucketClass, perMinute: number): TokenBucket {
  return new Bucket({ bucketSize: Math.max(1, Math.ceil(perMinute / 60)), tokensPerInterval: perMinute, interval: "minute" });
}

/**
 * Where a request stood when {@link EndpointLimiter.acquire} let it go: the
 * requests and estimated tokens sent so far, itself included. A reply's
 * allowance counts only what the server had seen; what was sent after is
 * taken off it.
 */
export interface SendTicket {
  readonly requests: number;
  readonly tokens: number;
}

/**
 * An allowance a reply announced: `left` at time `at`, whole again at `until`
 * (ms since the epoch). When the reply also gave the limit, the allowance is
 * taken to refill evenly until then (`perMs`), as OpenAI's and Anthropic's do
 * (the reset is when it is whole again, not when the next request is allowed).
 */
interface Allowance {
  left: number;
  at: number;
  until: number;
  /** Refill per ms; 0 when the limit is unknown (then nothing is assumed back before `until`). */
  perMs: number;
  /** The ticket of the request whose reply announced it (a later reply's news wins). */
  seen: number;
}

/** The limiter of one endpoint. */
export class EndpointLimiter {
  #requests: TokenBucket | undefined;
  #tokens: TokenBucket | undefined;
  #pausedUntil = 0;
  #sent = { requests: 0, tokens: 0 };
  #requestAllowance: Allowance | undefined;
  #tokenAllowance: Allowance | undefined;
  readonly #Bucket: TokenBucketClass;
  readonly #limits: EndpointLimits;
  readonly #sharedTokens: SharedTokenBudget | undefined;

  /**
   * @param Bucket the `limiter` package's `TokenBucket` (loaded by the caller)
   * @param sharedTokens where `limits.tokensPerMinute` is counted when other processes share it (in place of a token bucket here)
   */
  constructor(Bucket: TokenBucketClass, limits: EndpointLimits, sharedTokens?: SharedTokenBudget) {
    this.#Bucket = Bucket;
    this.#limits = limits;
    this.#sharedTokens = limits.tokensPerMinute ? sharedTokens : undefined;
    if (limits.requestsPerMinute) this.#requests = requestBucket(Bucket, limits.requestsPerMinute);
    if (limits.tokensPerMinute && !this.#sharedTokens) this.#tokens = tokenBucket(Bucket, limits.tokensPerMinute);
  }

  /**
   * Waits until a request of about `tokens` tokens may be sent: past any pause,
   * then for a request and the tokens from the buckets (first come, first
   * served), then, while the allowance the last reply announced is used up
   * (no requests, or fewer tokens than this one needs, left), until its reset.
   * Returns early when `signal` aborts.
   * @returns the request's ticket, to give {@link observe} with its reply
   */
  async acquire(tokens: number, signal?: AbortSignal): Promise<SendTicket> {
    while (Date.now() < this.#pausedUntil && !signal?.aborted) await sleep(this.#pausedUntil - Date.now(), signal);
    if (this.#requests) await this.#requests.removeTokens(1);
    if (this.#tokens && tokens > 0) await this.#tokens.removeTokens(Math.min(Math.ceil(tokens), this.#tokens.bucketSize));
    if (this.#sharedTokens && tokens > 0) await this.#sharedTokens.take(Math.min(Math.ceil(tokens), this.#sharedTokens.capacity), signal);
    for (;;) {
      if (signal?.aborted) break;
      const now = Date.now();
      if (now < this.#pausedUntil) {
        await sleep(this.#pausedUntil - now, signal);
        continue;
      }
      const wait = Math.max(waitFor(this.#requestAllowance, 1, now), waitFor(this.#tokenAllowance, tokens, now));
      if (wait <= 0) break;
      await sleep(wait, signal);
    }
    if (this.#requestAllowance) this.#requestAllowance.left -= 1;
    if (this.#tokenAllowance) this.#tokenAllowance.left -= tokens;
    this.#sent = { requests: this.#sent.requests + 1, tokens: this.#sent.tokens + tokens };
    return this.#sent;
  }

  /** Corrects the token bucket once a request's real usage is known (`estimated` was taken by {@link acquire}). */
  settle(estimated: number, used: number | undefined): void | Promise<void> {
    if (this.#sharedTokens && used !== undefined)
      return this.#sharedTokens.correct(used - Math.min(Math.ceil(estimated), this.#sharedTokens.capacity));
    if (!this.#tokens || used === undefined) return;
    const taken = Math.min(Math.ceil(estimated), this.#tokens.bucketSize);
    this.#tokens.content = Math.min(this.#tokens.bucketSize, this.#tokens.content + taken - used);
  }

  /** Stops every request until `ms` from now (or later, if already paused longer). */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }

  /**
   * Takes in a reply's rate-limit headers: waits as `Retry-After` says (1 s
   * on a 429 that does not say); when the caller set no limit of that kind,
   * keeps the allowance the reply announces (remaining requests or tokens
   * until the reset, less what was sent after `ticket`'s request) so that
   * requests wait for the reset once it is used up, before a 429; and adopts
   * the limits the headers give when the caller set none. (A caller's limit
   * paces the requests itself: a reset is the time until the allowance is
   * whole again, so waiting for all of it each time the last request was used
   * halved the rate a `--rpm` allowed.)
   * @param ticket what {@link acquire} returned for the request this is the reply to
   */
  observe(report: RateLimitReport, ticket?: SendTicket): void {
    const state = readRateLimitHeaders(report);
    if (state.retryAfterMs !== undefined) this.pauseFor(state.retryAfterMs);
    else if (report.status === 429) this.pauseFor(1000);
    const now = Date.now();
    const seen = ticket?.requests ?? this.#sent.requests;
    const announced = (remaining: number | undefined, resetMs: number | undefined, limit: number | undefined, sentSince: number) =>
      remaining === undefined || resetMs === undefined
        ? undefined
        : { left: remaining - sentSince, at: now, until: now + resetMs, perMs: refill(limit, remaining, resetMs), seen };
    const requests = announced(state.remainingRequests, state.resetRequestsMs, state.requestsLimit, this.#sent.requests - seen);
    if (requests && !this.#limits.requestsPerMinute) this.#requestAllowance = newer(this.#requestAllowance, requests);
    const tokensSince = this.#sent.tokens - (ticket?.tokens ?? this.#sent.tokens);
    const tokens = announced(state.remainingTokens, state.resetTokensMs, state.tokensLimit, tokensSince);
    if (tokens && !this.#limits.tokensPerMinute) this.#tokenAllowance = newer(this.#tokenAllowance, tokens);
    if (!this.#requests && !this.#limits.requestsPerMinute && state.requestsLimit)
      this.#requests = requestBucket(this.#Bucket, state.requestsLimit);
    if (!this.#tokens && !this.#limits.tokensPerMinute && state.tokensLimit) this.#tokens = tokenBucket(this.#Bucket, state.tokensLimit);
  }
}

/** The allowance a reply announced, unless an allowance from a later request's reply is known. */
function newer(current: Allowance | undefined, next: Allowance): Allowance {
  return current && current.seen > next.seen && current.until > next.at ? current : next;
}

/** How fast an allowance refills until its reset (per ms): 0 when the limit is not known. */
function refill(limit: number | undefined, remaining: number, resetMs: number): number {
  return limit !== undefined && limit > remaining && resetMs > 0 ? (limit - remaining) / resetMs : 0;
}

/** How long a request of `amount` waits for an allowance (0: it may go now). */
function waitFor(allowance: Allowance | undefined, amount: number, now: number): number {
  if (!allowance || now >= allowance.until) return 0;
  const available = allowance.left + allowance.perMs * (now - allowance.at);
  if (available >= amount) return 0;
  const untilReset = allowance.until - now;
  return allowance.perMs > 0 ? Math.min(untilReset, Math.ceil((amount - available) / allowance.perMs)) : untilReset;
}
