/**
 * The registry a batch run's rows use: it hands out the runtime's providers
 * wrapped so that each request waits for its endpoint's rate limit, reports
 * the replies' rate-limit headers to it, and is retried when rate-limited or
 * overloaded. Offline providers (one model in memory) get one request at a time.
 *
 * @packageDocumentation
 */
import type { SharedTokenBudgets } from "./shared-token-budget.js";
import type { Provider, RunContext } from "../provider.js";
import type { Output } from "../types.js";
import { ProviderRegistry } from "../registry.js";
import { EndpointLimiter, type EndpointLimits, type TokenBucketClass } from "./endpoint-limiter.js";

/** HTTP statuses a batch retries: rate-limited, and the overloaded or briefly unavailable replies. */
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504, 529]);

/** The HTTP status of a provider's error (an SDK's `status`, here or on its `cause`), if any. */
export function errorStatus(error: unknown): number | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}

/** Counters a batch reports in its progress. */
export interface RetryCounters {
  /** Requests answered 429 (each then retried, or the row failed once retries ran out). */
  rateLimited: number;
  /** Requests retried (after a 429 or an overloaded reply). */
  retries: number;
}

/**
 * What the registry uses of a queue: the shape of the `p-queue` package's
 * `PQueue` (https://github.com/sindresorhus/p-queue), written here so that
 * core's published types name no library core bundles.
 */
export interface TaskQueue {
  /** Runs `task` when a slot is free; resolves or rejects as it does. */
  add<T>(task: () => Promise<T>): Promise<T | undefined>;
}

/** The `p-queue` package's `PQueue` class (default export). */
export type TaskQueueClass = new (options: { concurrency: number }) => TaskQueue;

/** Options of {@link RateLimitedRegistry}. */
export interface RateLimitedRegistryOptions {
  readonly limits: EndpointLimits;
  /** The shared token budgets that replace each endpoint's own token bucket (queue workers' `--tpm`). */
  readonly sharedTokens?: SharedTokenBudgets;
  /** Retries of one request after rate-limited or overloaded replies. */
  readonly maxRetries: number;
  readonly Bucket: TokenBucketClass;
  readonly PQueue: TaskQueueClass;
  readonly counters: RetryCounters;
}

/** A rough token count of a request before it is sent: its JSON length / 4, plus its `max_tokens` (which services count). */
function estimateTokens(request: unknown, settings: Readonly<Record<string, unknown>>): number {
  let length = 0;
  try {
    length = JSON.stringify(request)?.length ?? 0;
  } catch {
    length = 0;
  }
  const max = settings.max_tokens ?? settings.max_completion_tokens ?? settings.max_output_tokens;
  return Math.ceil(length / 4) + (typeof max === "number" ? max : 0);
}

/** Exponential backoff with jitter, in ms: 0.5 s, 1 s, 2 s… up to 30 s, each between half and all of that. */
function backoffMs(attempt: number): number {
  const full = Math.min(30_000, 500 * 2 ** (attempt - 1));
  return full / 2 + Math.random() * (full / 2);
}

/** A registry over a runtime's registry whose providers run under the batch's rate limits. */
export class RateLimitedRegistry extends ProviderRegistry {
  readonly #base: ProviderRegistry;
  readonly #options: RateLimitedRegistryOptions;
  readonly #wrapped = new Map<Provider, Map<string, Provider>>();
  readonly #limiters = new Map<string, EndpointLimiter>();
  readonly #offlineQueues = new Map<Provider, TaskQueue>();

  constructor(base: ProviderRegistry, options: RateLimitedRegistryOptions) {
    super(base);
    this.#base = base;
    this.#options = options;
  }

  /** The limiter of an endpoint (a provider id and model), made on first use. */
  limiter(providerId: string, model: string): EndpointLimiter {
    const key = `${providerId}\u0000${model}`;
    let limiter = this.#limiters.get(key);
    if (!limiter) {
      const shared = this.#options.sharedTokens?.({ provider: providerId, model });
      limiter = new EndpointLimiter(this.#options.Bucket, this.#options.limits, shared);
      this.#limiters.set(key, limiter);
    }
    return limiter;
  }

  override find(model: string, modelParsers?: Readonly<Record<string, string>>): Provider | undefined {
    const provider = this.#base.find(model, modelParsers);
    return provider && this.#wrap(provider, model);
  }

  override forModel(model: string, modelParsers?: Readonly<Record<string, string>>, prompt?: string): Provider {
    return this.#wrap(this.#base.forModel(model, modelParsers, prompt), model);
  }

  #wrap(provider: Provider, model: string): Provider {
    let byModel = this.#wrapped.get(provider);
    if (!byModel) this.#wrapped.set(provider, (byModel = new Map()));
    let wrapped = byModel.get(model);
    if (!wrapped) {
      const run = provider.capabilities?.offline ? this.#oneAtATime(provider) : this.#limited(provider, model);
      // Everything but `run` is the provider's own (its outputText, outputUsage, settings schema…),
      // its methods called on the provider itself.
      wrapped = new Proxy(provider, {
        get(target, property) {
          if (property === "run") return run;
          const value = Reflect.get(target, property, target);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      byModel.set(model, wrapped);
    }
    return wrapped;
  }

  /** An offline provider runs one request at a time through its one model in memory. */
  #oneAtATime(provider: Provider): Provider["run"] {
    let queue = this.#offlineQueues.get(provider);
    if (!queue) this.#offlineQueues.set(provider, (queue = new this.#options.PQueue({ concurrency: 1 })));
    const q = queue;
    return (request, context) => q.add(() => provider.run(request, context)) as Promise<Output[]>;
  }

  #limited(provider: Provider, model: string): Provider["run"] {
    const limiter = this.limiter(provider.id, model);
    const { maxRetries, counters } = this.#options;
    return async (request: unknown, context: RunContext): Promise<Output[]> => {
      const estimate = estimateTokens(request, context.settings as Record<string, unknown>);
      for (let attempt = 1; ; attempt++) {
        let reported = false;
        const ticket = await limiter.acquire(estimate, context.signal);
        const reporting: RunContext = {
          ...context,
          reportRateLimit: (report) => {
            reported = true;
            limiter.observe(report, ticket);
          },
        };
        try {
          const outputs = await provider.run(request, reporting);
          const usage = outputs[0] ? provider.outputUsage?.(outputs[0]) : undefined;
          // A correction a shared budget could not store only skews the count a little: the row's outputs stand.
          await Promise.resolve(limiter.settle(estimate, usage?.totalTokens ?? sum(usage?.inputTokens, usage?.outputTokens))).catch(
            () => {},
          );
          return outputs;
        } catch (error) {
          const status = errorStatus(error);
          if (status === 429) counters.rateLimited++;
          if (context.signal.aborted || status === undefined || !RETRIED_STATUSES.has(status) || attempt > maxRetries) throw error;
          counters.retries++;
          // A reported 429 has paused the endpoint (observe: its Retry-After, else 1 s) and the retry
          // waits for that in `acquire`; an unreported one pauses it here; an overloaded reply backs off this row only.
          if (status === 429 && !reported) limiter.pauseFor(backoffMs(attempt));
          await new Promise((r) => setTimeout(r, status === 429 ? Math.random() * 50 : backoffMs(attempt)));
        }
      }
    };
  }
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}
