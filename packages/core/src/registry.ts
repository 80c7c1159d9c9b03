/**
 * Provider registries. Each runtime has its own registry, which falls back to
 * a shared default one: registering on a runtime does not leak into others
 * (the original SDK only had a global mutable registry).
 *
 * @packageDocumentation
 */
import { ProviderVersionError, UnknownModelError } from "./errors.js";
import { PROVIDER_SPECIFICATION_VERSION, type Provider } from "./provider.js";

/**
 * A provider package known by its ids and model names but not imported yet
 * (see {@link ProviderRegistry.registerLazy}): an application such as the
 * CLI lists its installed provider packages this way and imports only the
 * ones a file's prompts need.
 */
export interface LazyProviderEntry {
  /** Provider ids and aliases the package registers (what `metadata.model_parsers` values name). */
  readonly ids: readonly string[];
  /** Model names the package registers by name. */
  readonly models?: readonly string[];
  /** Whether one of the package's providers serves a model name by pattern (its `servesModel`). */
  servesModel?(model: string): boolean;
  /** Imports the package; its `register(registry)` registers the real providers. */
  load(): Promise<{ register(registry: ProviderRegistry): unknown }>;
}

/**
 * Maps provider ids (and aliases) and model names to providers.
 *
 * Lookup order for a model (see {@link ProviderRegistry.forModel}):
 * 1. the file's `metadata.model_parsers[model]`: a provider id or alias, or
 *    else a model name a provider serves (steps 2 and 4 for that name: the
 *    original SDKs registered parsers under model names, so their files
 *    carry `{"gpt-3.5-turbo": "gpt-3.5-turbo"}`);
 * 2. a model name registered with {@link ProviderRegistry.register};
 * 3. the model name itself as a provider id or alias (old files do this);
 * 4. the first provider whose `servesModel(model)` is true, newest first;
 * each step looks in this registry, then in its parent.
 */
export class ProviderRegistry {
  readonly #byId = new Map<string, Provider>();
  readonly #byModel = new Map<string, Provider>();
  readonly #order: Provider[] = [];
  readonly #lazy: LazyProviderEntry[] = [];

  /** @param parent registry to fall back to (the shared default for runtimes). */
  constructor(readonly parent?: ProviderRegistry) {}

  /**
   * Registers a provider under its id and aliases, and for the given model names.
   * A later registration of the same id or model replaces the earlier one.
   * @throws {ProviderVersionError} when the provider's `specificationVersion` is not this core's.
   */
  register(provider: Provider, models: readonly string[] = []): this {
    const version: string = provider.specificationVersion ?? PROVIDER_SPECIFICATION_VERSION;
    if (version !== PROVIDER_SPECIFICATION_VERSION) throw new ProviderVersionError(provider.id, version, PROVIDER_SPECIFICATION_VERSION);
    this.#byId.set(provider.id, provider);
    for (const alias of provider.aliases ?? []) this.#byId.set(alias, provider);
    for (const model of models) this.#byModel.set(model, provider);
    const at = this.#order.findIndex((p) => p.id === provider.id);
    if (at >= 0) this.#order.splice(at, 1);
    this.#order.push(provider);
    return this;
  }

  /**
   * Registers a provider package to import only when a model needs it
   * ({@link ProviderRegistry.loadFor}). Lazy entries are asked after the
   * registered providers at each lookup step, the later entry first.
   */
  registerLazy(entry: LazyProviderEntry): this {
    this.#lazy.push(entry);
    return this;
  }

  /**
   * Imports the lazy entries that would serve these models (in parallel) and
   * registers them in the order they were added, so lookups then find the same
   * providers as if every entry had been registered up front. Pass every model
   * a file needs in one call: a package loaded by an earlier call is a
   * registered provider, asked before the entries still lazy. Models no entry
   * serves are left to {@link ProviderRegistry.forModel}'s error.
   * @param modelParsers the file's `metadata.model_parsers`
   * @throws the import error of an entry
   */
  async loadFor(models: Iterable<string>, modelParsers?: Readonly<Record<string, string>>): Promise<void> {
    const wanted = [...models];
    // An entry's patterns may be wider than its providers' servesModel: then the next entry that matches is loaded.
    for (;;) {
      const needed = new Set<LazyProviderEntry>();
      for (const model of wanted) {
        const entry = this.#lazyFor(model, modelParsers);
        if (entry) needed.add(entry);
      }
      if (needed.size === 0) return;
      const picked = this.#lazy.filter((e) => needed.has(e));
      const modules = await Promise.all(picked.map((e) => e.load()));
      for (const e of picked) this.#lazy.splice(this.#lazy.indexOf(e), 1);
      for (const m of modules) m.register(this);
    }
  }

  /** The lazy entry that {@link ProviderRegistry.find}'s order would pick for a model no registered provider wins, if any. */
  #lazyFor(model: string, modelParsers?: Readonly<Record<string, string>>): LazyProviderEntry | undefined {
    const last = (test: (e: LazyProviderEntry) => boolean | undefined) => this.#lazy.findLast((e) => test(e));
    const mapped = modelParsers?.[model];
    if (mapped !== undefined) {
      if (this.get(mapped)) return undefined;
      return last((e) => e.ids.includes(mapped)) ?? (mapped === model ? undefined : this.#lazyFor(mapped));
    }
    if (this.#lookupModel(model)) return undefined;
    const byName = last((e) => e.models?.includes(model));
    if (byName) return byName;
    if (this.get(model)) return undefined;
    const byId = last((e) => e.ids.includes(model));
    if (byId) return byId;
    return this.#matchModel(model) ? undefined : last((e) => e.servesModel?.(model));
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
    // A value that is no provider id may be a model name (the original SDKs registered parsers under model names).
    if (mapped !== undefined) return this.get(mapped) ?? this.#lookupModel(mapped) ?? this.#matchModel(mapped);
    return this.#lookupModel(model) ?? this.get(model) ?? this.#matchModel(model);
  }

  /**
   * The ids of the providers an error may name: those registered (here and in the parent) and, first of each
   * entry's ids, those of lazy entries not imported yet (an application such as the CLI registers every installed
   * provider package that way, so none may be registered yet).
   */
  #knownIds(): string[] {
    const ids = this.list().map((p) => p.id);
    for (const registry of this.parent ? [this, this.parent] : [this]) {
      for (const entry of registry.#lazy) {
        const id = entry.ids[0];
        if (id !== undefined && !ids.includes(id)) ids.push(id);
      }
    }
    return ids;
  }

  /**
   * The provider for a model.
   * @throws {UnknownModelError} naming the model and the providers registered or known by a lazy entry.
   */
  forModel(model: string, modelParsers?: Readonly<Record<string, string>>, prompt?: string): Provider {
    const provider = this.find(model, modelParsers);
    if (provider) return provider;
    const mapped = modelParsers?.[model];
    const ids = this.#knownIds();
    if (mapped !== undefined) {
      throw new UnknownModelError(
        model,
        prompt,
        ids,
        `metadata.model_parsers maps model "${model}" to provider "${mapped}", which is not registered and no registered provider serves a model of that name${prompt ? ` (prompt "${prompt}")` : ""}; the registered providers are: ${ids.join(", ") || "(none)"}`,
      );
    }
    throw new UnknownModelError(model, prompt, ids);
  }
}

/** The shared registry that every runtime falls back to. */
export const defaultRegistry = new ProviderRegistry();
