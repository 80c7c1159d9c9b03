/**
 * The `--tpm` of a queued batch run, shared by all its workers: one budget
 * per endpoint (provider and model) in Redis, counted in one-second windows
 * of a sixtieth of the limit (rate-limiter-flexible's `RateLimiterRedis`,
 * waited on in order through its `RateLimiterQueue`), so the workers together
 * send at most the limit a minute and at most a second's worth at once, as a
 * batch run in one process does with its own token bucket.
 *
 * Source: rate-limiter-flexible's `RateLimiterRedis` (`consume`, `reward`, `penalty`) and `RateLimiterQueue` (`removeTokens`).
 *
 * @packageDocumentation
 */
import type { SharedTokenBudget, SharedTokenBudgets } from "@aiconfig-ts/core";
import type { Redis } from "ioredis";
import { RateLimiterQueue, RateLimiterRedis } from "rate-limiter-flexible";

/**
 * The token budgets of a batch run submitted with `--tpm`: one per endpoint, under the run's id.
 * @param redis the worker's connection
 * @param batchId the run's id (its budgets are its own)
 * @param tokensPerMinute the `--tpm` the run was submitted with
 */
export function batchTokenBudgets(redis: Redis, batchId: string, tokensPerMinute: number): SharedTokenBudgets {
  const budgets = new Map<string, SharedTokenBudget>();
  return ({ provider, model }) => {
    const key = `aiconfig-batch:${batchId}:tpm:${provider}:${model}`;
    let budget = budgets.get(key);
    if (!budget) budgets.set(key, (budget = redisTokenBudget(redis, key, tokensPerMinute)));
    return budget;
  };
}

/**
 * A token budget of `tokensPerMinute` for one endpoint of a batch run, in Redis.
 * @param redis the worker's connection
 * @param key where the budget is counted in Redis (a prefix)
 * @param tokensPerMinute the `--tpm` the run was submitted with
 */
export function redisTokenBudget(redis: Redis, key: string, tokensPerMinute: number): SharedTokenBudget {
  const capacity = Math.max(1, Math.ceil(tokensPerMinute / 60));
  const limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: key, points: capacity, duration: 1 });
  const queue = new RateLimiterQueue(limiter);
  return {
    capacity,
    async take(tokens, signal) {
      if (signal?.aborted) return;
      const taken = queue.removeTokens(Math.min(capacity, Math.max(1, Math.ceil(tokens))));
      if (!signal) return void (await taken);
      let onAbort = () => {};
      const aborted = new Promise<void>((resolve) => {
        onAbort = resolve;
        signal.addEventListener("abort", onAbort, { once: true });
      });
      try {
        await Promise.race([taken, aborted]);
      } finally {
        signal.removeEventListener("abort", onAbort);
        taken.catch(() => {});
      }
    },
    async correct(delta) {
      // RateLimiterQueue counts under its default key, "limiter". Tokens given back go to the current
      // second, never below none used in it (as a token bucket holds at most its size).
      if (delta > 0) await limiter.penalty("limiter", Math.ceil(delta));
      else if (delta < 0) {
        const used = (await limiter.get("limiter"))?.consumedPoints ?? 0;
        const back = Math.min(Math.floor(-delta), used);
        if (back > 0) await limiter.reward("limiter", back);
      }
    },
  };
}
