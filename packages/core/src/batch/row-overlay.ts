/**
 * The document a batch row runs on: the runtime's document with shallow
 * copies of its prompts, so that the outputs a row stores land on its own
 * copies (rows never see each other's outputs, and the document keeps its own)
 * while everything else (inputs, settings, parameters, earlier outputs) is
 * shared, not copied. Costs one small object per prompt per row.
 *
 * @packageDocumentation
 */
import type { AIConfig, Prompt } from "../types.js";

/**
 * The overlay of `config` for one row.
 * @param promptName the prompt the row runs
 * @param model when given, the model that prompt runs on instead of its own
 *   (its prompt-level settings are kept; the root `metadata.models[model]` settings apply)
 */
export function rowOverlay(config: AIConfig, promptName: string, model: string | undefined): AIConfig {
  const prompts: Prompt[] = config.prompts.map((prompt) => {
    if (prompt.name !== promptName || model === undefined) return { ...prompt };
    const own = prompt.metadata?.model;
    const settings = typeof own === "object" && own !== null ? own.settings : undefined;
    return { ...prompt, metadata: { ...prompt.metadata, model: settings ? { name: model, settings } : model } };
  });
  return { ...config, prompts };
}
