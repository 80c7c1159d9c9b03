/**
 * The rate limit of one endpoint (a provider and model) in a batch run,
 * shared by all its rows: token buckets of requests and tokens per minute
 * (the `limiter` package), and a pause that replies set when they say to wait
 * (`Retry-After`, a 429, an allowance used up).
 *
 * @packageDocumentation
 */
import type { TokenBucket } from "limiter";
import type { RateLimitReport } from "../provider.js";
import { readRateLimitHeaders } from "./rate-limit-headers.js";

/** The `limiter` package's `TokenBucket` class. */
export type TokenBucketClass = typeof TokenBucket;

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

/** The limiter of one endpoint. */
export class EndpointLimiter {
  #requests: TokenBucket | undefined;
  #tokens: TokenBucket | undefined;
  #pausedUntil = 0;
  readonly #Bucket: TokenBucketClass;
  readonly #limits: EndpointLimits;

  /** @param Bucket the `limiter` package's `TokenBucket` (loaded by the caller) */
  constructor(Bucket: TokenBucketClass, limits: EndpointLimits) {
    this.#Bucket = Bucket;
    this.#limits = limits;
    if (limits.requestsPerMinute) this.#requests = requestBucket(Bucket, limits.requestsPerMinute);
    if (limits.tokensPerMinute) this.#tokens = tokenBucket(Bucket, limits.tokensPerMinute);
  }

  /**
   * Waits until a request of about `tokens` tokens may be sent: past any pause,
   * then for a request and the tokens from the buckets (first come, first served).
   * Returns early when `signal` aborts.
   */
  async acquire(tokens: number, signal?: AbortSignal): Promise<void> {
    while (Date.now() < this.#pausedUntil && !signal?.aborted) await sleep(this.#pausedUntil - Date.now(), signal);
    if (this.#requests) await this.#requests.removeTokens(1);
    if (this.#tokens && tokens > 0) await this.#tokens.removeTokens(Math.min(Math.ceil(tokens), this.#tokens.bucketSize));
    while (Date.now() < this.#pausedUntil && !signal?.aborted) await sleep(this.#pausedUntil - Date.now(), signal);
  }

  /** Corrects the token bucket once a request's real usage is known (`estimated` was taken by {@link acquire}). */
  settle(estimated: number, used: number | undefined): void {
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
   * on a 429 that does not say), pauses until the reset when an allowance is
   * used up and the caller set no limit of that kind (a caller's limit paces
   * the requests itself: a reset is the time until the allowance is whole
   * again, so pausing for all of it after each reply that used the last
   * request halved the rate a `--rpm` allowed), and adopts the limits the
   * headers give when the caller set none.
   */
  observe(report: RateLimitReport): void {
    const state = readRateLimitHeaders(report);
    if (state.retryAfterMs !== undefined) this.pauseFor(state.retryAfterMs);
    else if (report.status === 429) this.pauseFor(1000);
    if (state.remainingRequests === 0 && state.resetRequestsMs !== undefined && !this.#limits.requestsPerMinute)
      this.pauseFor(state.resetRequestsMs);
    if (state.remainingTokens === 0 && state.resetTokensMs !== undefined && !this.#limits.tokensPerMinute)
      this.pauseFor(state.resetTokensMs);
    if (!this.#requests && !this.#limits.requestsPerMinute && state.requestsLimit)
      this.#requests = requestBucket(this.#Bucket, state.requestsLimit);
    if (!this.#tokens && !this.#limits.tokensPerMinute && state.tokensLimit) this.#tokens = tokenBucket(this.#Bucket, state.tokensLimit);
  }
}
