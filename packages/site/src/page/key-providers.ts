/**
 * The key-based providers the page runs with the visitor's key, each called
 * from the browser to its own endpoint (the endpoints the page's
 * Content-Security-Policy allows): OpenAI, Anthropic, Google Gemini and
 * Hugging Face.
 */
import type { ProviderRegistry } from "@aiconfig-ts/core";
import { register as registerAnthropic } from "@aiconfig-ts/anthropic";
import { register as registerGemini } from "@aiconfig-ts/gemini";
import { register as registerHuggingFace } from "@aiconfig-ts/huggingface";
import { register as registerOpenAI } from "@aiconfig-ts/openai";

/**
 * Registers the key-based providers into `registry`, without the
 * OpenAI-compatible presets (`openai-compatible:*`: local servers and other
 * services whose endpoints the page may not reach).
 */
export function registerKeyProviders(registry: ProviderRegistry): ProviderRegistry {
  registerOpenAI(registry);
  for (const p of registry.list()) if (p.id.startsWith("openai-compatible:")) registry.unregister(p.id);
  registerAnthropic(registry);
  registerGemini(registry);
  registerHuggingFace(registry);
  return registry;
}
