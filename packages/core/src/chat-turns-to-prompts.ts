/**
 * The shared half of a chat provider's `serialize`: prompts from the user
 * turns of a request, each with the reply that followed it as its output.
 *
 * @packageDocumentation
 */
import type { SerializeContext } from "./provider.js";
import type { Output, Prompt, PromptInput, PromptModel } from "./types.js";

/** A user turn read from a provider request, and the model's reply after it, if any. */
export interface ChatTurnToSerialize {
  input: PromptInput;
  output?: Output;
}

/**
 * Makes one prompt per turn, named `NAME_1`, `NAME_2`, ... and the last one
 * `NAME` (`context.promptName`), as the original AIConfig SDK's chat
 * serializers name them. Each prompt gets its own copy of `model`, the
 * context's parameters, and `remember_chat_context: true`, so that resolving
 * the last prompt sends the whole conversation again.
 * @param model the prompts' `metadata.model`: a name, or `{name, settings}`
 */
export function chatTurnsToPrompts(
  turns: readonly ChatTurnToSerialize[],
  context: SerializeContext,
  model: string | PromptModel,
): Prompt[] {
  const prompts = turns.map((turn, i): Prompt => {
    const prompt: Prompt = {
      name: `${context.promptName}_${i + 1}`,
      input: turn.input,
      metadata: { model: structuredClone(model), parameters: { ...context.parameters }, remember_chat_context: true },
    };
    if (turn.output) prompt.outputs = [turn.output];
    return prompt;
  });
  const last = prompts[prompts.length - 1];
  if (last) last.name = context.promptName;
  return prompts;
}
