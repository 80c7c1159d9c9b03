/**
 * A tokens-per-minute limit shared beyond one process: the queue workers of
 * one `aiconfig batch --queue --tpm N` run take their tokens from one budget
 * (in Redis), where a batch run in one process keeps its own token bucket.
 *
 * @packageDocumentation
 */

/** The tokens of one endpoint (a provider and model) a batch run may send, shared by every process running it. */
export interface SharedTokenBudget {
  /** The most one request may take at once (a second's worth of the limit, at least 1), in tokens. */
  readonly capacity: number;
  /**
   * Waits until `tokens` (at most {@link capacity}) may be sent, and takes them.
   * Returns early, taking nothing more, when `signal` aborts.
   * @throws the store's error when it cannot be reached
   */
  take(tokens: number, signal?: AbortSignal): Promise<void>;
  /**
   * Corrects what a request took once its real usage is known: `delta` more
   * tokens are counted (without waiting) when positive, given back when negative.
   */
  correct(delta: number): Promise<void>;
}

/** Where a batch run's shared budgets come from ({@link BatchRateLimit.sharedTokens}). */
export type SharedTokenBudgets = (endpoint: { readonly provider: string; readonly model: string }) => SharedTokenBudget;
