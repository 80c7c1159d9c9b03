/**
 * The scheduling that several batch runs can share: the endpoints' rate
 * limits (with what replies' headers taught them) and the one-at-a-time
 * queue of each offline model. A batch run makes its own unless given one;
 * a queue worker, which runs each row as its own batch run, gives all the
 * rows of a batch the same one, so its offline model still runs one row at a
 * time and a limit learnt from one reply holds for the next row.
 *
 * @packageDocumentation
 */
import type { ProviderRegistry } from "../registry.js";
import type { BatchRateLimit } from "./run-batch.js";
import { RateLimitedRegistry, type RetryCounters } from "./rate-limited-registry.js";

/** Rate limits and offline queues shared by the batch runs given it (`BatchOptions.scheduler`). */
export class BatchScheduler {
  /** Requests answered 429 and requests retried, over every run that used it. */
  readonly counters: RetryCounters = { rateLimited: 0, retries: 0 };
  readonly #rateLimit: BatchRateLimit;
  readonly #registries = new WeakMap<ProviderRegistry, Promise<RateLimitedRegistry>>();

  /** @param rateLimit the limits per endpoint (requests and tokens per minute, retries), as in `BatchOptions.rateLimit` */
  constructor(rateLimit: BatchRateLimit = {}) {
    this.#rateLimit = rateLimit;
  }

  /**
   * The registry whose providers run under this scheduler, over `base` (one per
   * base registry; `p-queue` and `limiter` are loaded on first use).
   */
  registryFor(base: ProviderRegistry): Promise<ProviderRegistry> {
    let registry = this.#registries.get(base);
    if (!registry) {
      registry = Promise.all([import("p-queue"), import("limiter")]).then(
        ([{ default: PQueue }, { TokenBucket }]) =>
          new RateLimitedRegistry(base, {
            limits: { requestsPerMinute: this.#rateLimit.requestsPerMinute, tokensPerMinute: this.#rateLimit.tokensPerMinute },
            sharedTokens: this.#rateLimit.tokensPerMinute ? this.#rateLimit.sharedTokens : undefined,
            maxRetries: this.#rateLimit.maxRetries ?? 10,
            Bucket: TokenBucket,
            PQueue,
            counters: this.counters,
          }),
      );
      this.#registries.set(base, registry);
    }
    return registry;
  }
}
