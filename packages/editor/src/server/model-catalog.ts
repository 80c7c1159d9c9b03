/**
 * What the page may offer in its pickers: the registered providers (with
 * their settings schemas, capabilities, and whether their key is set) and the
 * model names they serve. Models of retired services (PaLM, Bedrock ids) are
 * offered only when the document uses them.
 *
 * @packageDocumentation
 */
import { type AIConfig, type ProviderRegistry, modelsRegisteredByModules } from "@aiconfig-ts/core";
import { promptModelName } from "@aiconfig-ts/core/document";
import type { ModelInfo, ProviderInfo } from "../api-types.js";

/**
 * The registered providers as the page sees them.
 * @param hasCredential whether a key variable (e.g. `OPENAI_API_KEY`) is set for runs; default: none is
 */
export function providerInfos(registry: ProviderRegistry, hasCredential: (name: string) => boolean = () => false): ProviderInfo[] {
  return registry.list().map((p) => {
    const credentials = p.capabilities?.credentials ?? [];
    return {
      id: p.id,
      ...(p.description ? { description: p.description } : {}),
      ...(p.chat !== undefined ? { chat: p.chat } : {}),
      ...(p.settingsSchema ? { settingsSchema: p.settingsSchema } : {}),
      ...(p.capabilities ? { capabilities: p.capabilities } : {}),
      ...(credentials.length > 0 ? { keySet: credentials.some(hasCredential) } : {}),
    };
  });
}

/** The model names a document uses (its prompts', its default model, its model settings). */
export function modelsUsedBy(config: AIConfig): Set<string> {
  const names = new Set<string>();
  if (config.metadata?.default_model) names.add(config.metadata.default_model);
  for (const n of Object.keys(config.metadata?.models ?? {})) names.add(n);
  for (const p of config.prompts ?? []) {
    const n = promptModelName(config, p);
    if (n) names.add(n);
  }
  return names;
}

/**
 * The model names to offer, each with the provider that serves it: the
 * models each provider's capabilities list, the names providers modules
 * registered, and those the document uses; a retired provider's models only
 * when the document uses them.
 */
export function modelInfos(registry: ProviderRegistry, config: AIConfig): ModelInfo[] {
  const used = modelsUsedBy(config);
  const names = new Set<string>(used);
  for (const p of registry.list()) for (const m of p.capabilities?.models ?? []) names.add(m);
  for (const n of modelsRegisteredByModules(registry)) names.add(n);
  const out: ModelInfo[] = [];
  for (const name of names) {
    const provider = registry.find(name, config.metadata?.model_parsers);
    if (!provider) continue;
    const retired = provider.capabilities?.retired === true;
    if (retired && !used.has(name)) continue;
    out.push({ name, provider: provider.id, ...(retired ? { retired } : {}) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
