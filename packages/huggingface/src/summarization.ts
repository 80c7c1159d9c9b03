/**
 * The "Summarization" task on Hugging Face Inference.
 * Source: the Hugging Face summarization task specification
 * (`@huggingface/tasks`, `SummarizationInput`) and `summarization` of
 * `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { GENERATION_SETTINGS, connectionSettings, settingsSchema } from "./settings-schema.js";
import { type TextToTextRequest, textToTextProvider } from "./text-to-text-task.js";

/** Default model of {@link summarizationProvider}. */
export const SUMMARIZATION_DEFAULT_MODEL = "facebook/bart-large-cnn";

/** Settings of {@link summarizationProvider} (JSON Schema draft-07). */
export const summarizationSettingsSchema = settingsSchema("Summarization", "Summarizes the prompt's text.", {
  ...connectionSettings(SUMMARIZATION_DEFAULT_MODEL),
  clean_up_tokenization_spaces: { type: "boolean", description: "Remove extra spaces from the text." },
  truncation: {
    type: "string",
    enum: ["do_not_truncate", "longest_first", "only_first", "only_second"],
    description: "How the input is truncated to the model's length.",
  },
  ...GENERATION_SETTINGS,
});

/** A summarization request: `{inputs, parameters}`. */
export type SummarizationRequest = TextToTextRequest;

/**
 * Summarizes the prompt's text (`ctx.input.text`); one text output.
 * The hf-inference wire format: `POST .../models/{model}` with
 * `{"inputs": TEXT, "parameters": {...}}`, answered `[{"summary_text": ...}]`.
 */
export const summarizationProvider: Provider<SummarizationRequest> = textToTextProvider({
  id: "Summarization",
  aliases: ["HuggingFaceTextSummarizationTransformer", "HuggingFaceTextSummarizationRemoteInference"],
  description: "Summarization on Hugging Face Inference (default facebook/bart-large-cnn)",
  task: "summarization",
  defaultModel: SUMMARIZATION_DEFAULT_MODEL,
  settingsSchema: summarizationSettingsSchema,
  topLevel: ["clean_up_tokenization_spaces", "truncation"],
  sdkCall: (sdk) => sdk.summarization,
  field: "summary_text",
});
