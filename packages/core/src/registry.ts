/**
 * Provider registries. Each runtime has its own registry, which falls back to
 * a shared default one: registering on a runtime does not leak into others
 * (the original SDK only had a global mutable registry).
 *
 * @packageDocumentation
 */
import { UnknownModelError } from "./errors.js";
import type { Provider } from "./provider.js";

/**
 * Maps provider ids (and aliases) and model names to providers.
 *
 * Lookup order for a model (see {@link ProviderRegistry.forModel}):
 * 1. the file's `metadata.model_parsers[model]`, a provider id or alias;
 * 2. a model name registered with {@link ProviderRegistry.register};
 * 3. the model name itself as a provider id or alias (old files do this);
 * 4. the first provider whose `servesModel(model)` is true, newest first;
 * each step looks in this registry, then in its parent.
 */
export class ProviderRegistry {
  readonly #byId = new Map<string, Provider>();
  readonly #byModel = new Map<string, Provider>();
  readonly #order: Provider[] = [];

  /** @param parent registry to fall back to (the shared default for runtimes). */
  constructor(readonly parent?: ProviderRegistry) {}

  /**
   * Registers a provider under its id and aliases, and for the given model names.
   * A later registration of the same id or model replaces the earlier one.
   */
  register(provider: Provider, models: readonly string[] = []): this {
    this.#byId.set(provider.id, provider);
    for (const alias of provider.aliases ?? []) this.#byId.set(alias, provider);
    for (const model of models) this.#byModel.set(model, provider);
    const at = this.#order.findIndex((p) => p.id === provider.id);
    if (at >= 0) this.#order.splice(at, 1);
    this.#order.push(provider);
    return this;
  }

  /** Removes a provider (by id) from this registry, not from its parent. */
  unregister(id: string): boolean {
    const provider = this.#byId.get(id);
    if (!provider) return false;
    for (const [key, p] of this.#byId) if (p === provider) this.#byId.delete(key);
    for (const [key, p] of this.#byModel) if (p === provider) this.#byModel.delete(key);
    this.#order.splice(this.#order.indexOf(provider), 1);
    return true;
  }

  /** The provider with this id or alias, or `undefined`. */
  get(id: string): Provider | undefined {
    return this.#byId.get(id) ?? this.parent?.get(id);
  }

  /** Every provider, this registry's first, without duplicates. */
  list(): Provider[] {
    const seen = new Set<string>();
    const out: Provider[] = [];
    for (const p of [...this.#order, ...(this.parent?.list() ?? [])]) {
      if (!seen.has(p.id)) {
        seen.add(p.id);
        out.push(p);
      }
    }
    return out;
  }

  /** Model names registered with {@link ProviderRegistry.register}, here and in the parent, without duplicates. */
  modelNames(): string[] {
    return [...new Set([...this.#byModel.keys(), ...(this.parent ? this.parent.modelNames() : [])])];
  }

  #lookupModel(model: string): Provider | undefined {
    const own = this.#byModel.get(model);
    if (own || !this.parent) return own;
    return this.parent.#lookupModel(model);
  }

  #matchModel(model: string): Provider | undefined {
    for (let i = this.#order.length - 1; i >= 0; i--) {
      const p = this.#order[i];
      if (p?.servesModel?.(model)) return p;
    }
    return this.parent ? this.parent.#matchModel(model) : undefined;
  }

  /**
   * The provider for a model, or `undefined` (see the class docs for the order).
   * @param modelParsers the file's `metadata.model_parsers`
   */
  find(model: string, modelParsers?: Readonly<Record<string, string>>): Provider | undefined {
    const mapped = modelParsers?.[model];
    if (mapped !== undefined) return this.get(mapped);
    return this.#lookupModel(model) ?? this.get(model) ?? this.#matchModel(model);
  }

  /**
   * The provider for a model.
   * @throws {UnknownModelError} naming the model and the registered providers.
   */
  forModel(model: string, modelParsers?: Readonly<Record<string, string>>, prompt?: string): Provider {
    const provider = this.find(model, modelParsers);
    if (provider) return provider;
    const mapped = modelParsers?.[model];
    const ids = this.list().map((p) => p.id);
    if (mapped !== undefined) {
      throw new UnknownModelError(
        model,
        prompt,
        ids,
        `metadata.model_parsers maps model "${model}" to provider "${mapped}", which is not registered${prompt ? ` (prompt "${prompt}")` : ""}; the registered providers are: ${ids.join(", ") || "(none)"}`,
      );
    }
    throw new UnknownModelError(model, prompt, ids);
  }
}

/** The shared registry that every runtime falls back to. */
export const defaultRegistry = new ProviderRegistry();
