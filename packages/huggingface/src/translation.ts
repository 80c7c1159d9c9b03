/**
 * The "Translation" task on Hugging Face Inference.
 * Source: the Hugging Face translation task specification
 * (`@huggingface/tasks`, `TranslationInput`) and `translation` of
 * `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { Provider } from "@aiconfig-ts/core";
import { GENERATION_SETTINGS, connectionSettings, settingsSchema } from "./settings-schema.js";
import { type TextToTextRequest, textToTextProvider } from "./text-to-text-task.js";

/** Default model of {@link translationProvider} (English to French). */
export const TRANSLATION_DEFAULT_MODEL = "Helsinki-NLP/opus-mt-en-fr";

/** Settings of {@link translationProvider} (JSON Schema draft-07). */
export const translationSettingsSchema = settingsSchema("Translation", "Translates the prompt's text.", {
  ...connectionSettings(TRANSLATION_DEFAULT_MODEL),
  src_lang: { type: "string", description: "Source language code, for models that translate between many languages (e.g. en_XX)." },
  tgt_lang: { type: "string", description: "Target language code, for models that translate between many languages (e.g. fr_XX)." },
  clean_up_tokenization_spaces: { type: "boolean", description: "Remove extra spaces from the text." },
  truncation: {
    type: "string",
    enum: ["do_not_truncate", "longest_first", "only_first", "only_second"],
    description: "How the input is truncated to the model's length.",
  },
  ...GENERATION_SETTINGS,
});

/** A translation request: `{inputs, parameters}`. */
export type TranslationRequest = TextToTextRequest;

/**
 * Translates the prompt's text (`ctx.input.text`); one text output per
 * translation returned (one for a text).
 * The hf-inference wire format: `POST .../models/{model}` with
 * `{"inputs": TEXT, "parameters": {"src_lang", "tgt_lang", "generate_parameters": {...}}}`,
 * answered `[{"translation_text": ...}]`.
 */
export const translationProvider: Provider<TranslationRequest> = textToTextProvider({
  id: "Translation",
  aliases: ["HuggingFaceTextTranslationTransformer", "HuggingFaceTextTranslationRemoteInference"],
  description: "Translation on Hugging Face Inference (default Helsinki-NLP/opus-mt-en-fr)",
  task: "translation",
  defaultModel: TRANSLATION_DEFAULT_MODEL,
  settingsSchema: translationSettingsSchema,
  topLevel: ["src_lang", "tgt_lang", "clean_up_tokenization_spaces", "truncation"],
  sdkCall: (sdk) => sdk.translation,
  field: "translation_text",
});
