/**
 * The "Translation" task on Hugging Face Inference.
 * Source: the Hugging Face translation task specification
 * (`@huggingface/tasks`, `TranslationInput`) and `translation` of
 * `@huggingface/inference` 4.x.
 *
 * @packageDocumentation
 */
import type { JSONObject, Provider } from "@aiconfig-ts/core";
import { loadInference } from "./load-inference.js";
import { serializeTextRequest } from "./serialize-request.js";
import { GENERATION_SETTINGS, connectionSettings, settingsSchema } from "./settings-schema.js";
import { textToTextParameters } from "./task-parameters.js";
import { type HuggingFaceRequest, callArgs, callOptions, requestBase, textOutput } from "./task-request.js";

/** Default model of {@link translationProvider} (English to French). */
export const TRANSLATION_DEFAULT_MODEL = "Helsinki-NLP/opus-mt-en-fr";

const TOP_LEVEL = ["src_lang", "tgt_lang", "clean_up_tokenization_spaces", "truncation"] as const;

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
export type TranslationRequest = HuggingFaceRequest<{ inputs: string; parameters?: JSONObject }>;

/**
 * Translates the prompt's text (`ctx.input.text`); one text output per
 * translation returned (one for a text).
 * The hf-inference wire format: `POST .../models/{model}` with
 * `{"inputs": TEXT, "parameters": {"src_lang", "tgt_lang", "generate_parameters": {...}}}`,
 * answered `[{"translation_text": ...}]`.
 */
export const translationProvider: Provider<TranslationRequest> = {
  id: "Translation",
  aliases: ["HuggingFaceTextTranslationTransformer", "HuggingFaceTextTranslationRemoteInference"],
  description: "Translation on Hugging Face Inference (default Helsinki-NLP/opus-mt-en-fr)",
  capabilities: {
    tasks: ["translation"],
    streams: false,
    chat: false,
    credentials: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGING_FACE_API_TOKEN"],
    models: [TRANSLATION_DEFAULT_MODEL],
  },
  settingsSchema: translationSettingsSchema,
  resolve(ctx) {
    const parameters = textToTextParameters(ctx.settings, TOP_LEVEL);
    return {
      ...requestBase(ctx, "Translation", TRANSLATION_DEFAULT_MODEL),
      args: { inputs: ctx.input.text, ...(parameters ? { parameters } : {}) },
    };
  },
  serialize(data, ctx) {
    return serializeTextRequest(data, ctx, "Translation");
  },
  async run(request, ctx) {
    const { translation } = await loadInference();
    const result = await translation({ ...callArgs(request, ctx), ...request.args }, callOptions(ctx));
    const all = Array.isArray(result) ? result : [result];
    return all.map((t, i) => textOutput(t.translation_text, i, { model: request.model }));
  },
};
