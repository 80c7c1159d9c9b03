/**
 * Registration of this package's providers.
 *
 * @packageDocumentation
 */
import { defaultRegistry, type ProviderRegistry } from "@aiconfig-ts/core";
import { anthropicProvider } from "./anthropic-provider.js";
import { BEDROCK_MODEL_NAMES, claudeBedrockProvider } from "./bedrock-provider.js";

/**
 * Registers the Anthropic provider (every `claude-*` model, by `servesModel`)
 * and the Bedrock one of old files (`ClaudeBedrockModelParser`, `claudev2:1`,
 * `anthropic.claude-*` ids).
 * @param registry where to register (default: the shared default registry)
 * @returns the registry
 */
export function register(registry: ProviderRegistry = defaultRegistry): ProviderRegistry {
  registry.register(claudeBedrockProvider, BEDROCK_MODEL_NAMES);
  registry.register(anthropicProvider);
  return registry;
}
