/**
 * The model names providers modules registered on a registry (core's registry
 * does not list model names; the editor offers these in its model picker).
 * Browser-safe: the loading of a module itself is `providers-module.ts` (Node).
 *
 * @packageDocumentation
 */
import type { ProviderRegistry } from "./registry.js";

const recorded = new WeakMap<ProviderRegistry, Set<string>>();

/**
 * Model names that providers modules registered on a registry (core's
 * registry does not list model names; the editor offers these in its model picker).
 */
export function modelsRegisteredByModules(registry: ProviderRegistry): string[] {
  return [...(recorded.get(registry) ?? [])];
}

/** A view of the registry whose `register` also records the model names. */
export function recordingRegistry(registry: ProviderRegistry): ProviderRegistry {
  let names = recorded.get(registry);
  if (!names) recorded.set(registry, (names = new Set()));
  const seen = names;
  return new Proxy(registry, {
    get(target, key) {
      if (key === "register") {
        return (provider: Parameters<ProviderRegistry["register"]>[0], models: readonly string[] = []) => {
          for (const m of models) seen.add(m);
          target.register(provider, models);
          return target;
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
