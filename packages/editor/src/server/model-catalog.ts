/**
 * What the page may offer in its pickers: the registered providers (with
 * their settings schemas) and the model names they serve.
 *
 * @packageDocumentation
 */
import type { AIConfig, ProviderRegistry } from "@aiconfig-ts/core";
import { promptModelName } from "@aiconfig-ts/core/document";
import type { ModelInfo, ProviderInfo } from "../api-types.js";
import { modelsRegisteredByModules } from "./load-providers-module.js";

/** Model names commonly used with the built-in providers; offered when a registered provider serves them. */
const WELL_KNOWN_MODELS = [
  "stories260K",
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4",
  "gpt-3.5-turbo",
  "o3-mini",
  "dall-e-3",
  "tts-1",
  "whisper-1",
  "claude-sonnet-4-5",
  "claude-3-5-haiku-latest",
  "claude-3-5-sonnet-latest",
  "gemini-2.0-flash",
  "gemini-1.5-pro",
  "gemini-pro",
];

/** The registered providers as the page sees them. */
export function providerInfos(registry: ProviderRegistry): ProviderInfo[] {
  return registry.list().map((p) => ({
    id: p.id,
    ...(p.description ? { description: p.description } : {}),
    ...(p.chat !== undefined ? { chat: p.chat } : {}),
    ...(p.settingsSchema ? { settingsSchema: p.settingsSchema } : {}),
  }));
}

/** The model names a registered provider serves: well-known names, registered names, and those the document uses. */
export function modelInfos(registry: ProviderRegistry, config: AIConfig): ModelInfo[] {
  const names = new Set<string>(WELL_KNOWN_MODELS);
  const listed = (registry as unknown as { modelNames?: () => string[] }).modelNames?.();
  for (const n of listed ?? []) names.add(n);
  for (const n of modelsRegisteredByModules(registry)) names.add(n);
  for (const n of Object.keys(config.metadata?.models ?? {})) names.add(n);
  for (const p of config.prompts ?? []) {
    const n = promptModelName(config, p);
    if (n) names.add(n);
  }
  const out: ModelInfo[] = [];
  for (const name of names) {
    const provider = registry.find(name, config.metadata?.model_parsers);
    if (provider) out.push({ name, provider: provider.id });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
