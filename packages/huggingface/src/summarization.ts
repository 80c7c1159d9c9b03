/**
 * The "Summarization" task on Hugging Face Inference.
 * Source: the Hugging Face summarization task specification
 * (`@huggingface/tasks`, `SummarizationInput`) and `summarization` of
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

/** Default model of {@link summarizationProvider}. */
export const SUMMARIZATION_DEFAULT_MODEL = "facebook/bart-large-cnn";

/** Settings that go to `parameters` as they are. */
const TOP_LEVEL = ["clean_up_tokenization_spaces", "truncation"] as const;

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
export type SummarizationRequest = HuggingFaceRequest<{ inputs: string; parameters?: JSONObject }>;

/**
 * Summarizes the prompt's text (`ctx.input.text`); one text output.
 * The hf-inference wire format: `POST .../models/{model}` with
 * `{"inputs": TEXT, "parameters": {...}}`, answered `[{"summary_text": ...}]`.
 */
export const summarizationProvider: Provider<SummarizationRequest> = {
  id: "Summarization",
  aliases: ["HuggingFaceTextSummarizationTransformer", "HuggingFaceTextSummarizationRemoteInference"],
  description: "Summarization on Hugging Face Inference (default facebook/bart-large-cnn)",
  capabilities: {
    tasks: ["summarization"],
    streams: false,
    chat: false,
    credentials: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HUGGING_FACE_API_TOKEN"],
    models: [SUMMARIZATION_DEFAULT_MODEL],
  },
  settingsSchema: summarizationSettingsSchema,
  resolve(ctx) {
    const parameters = textToTextParameters(ctx.settings, TOP_LEVEL);
    return {
      ...requestBase(ctx, "Summarization", SUMMARIZATION_DEFAULT_MODEL),
      args: { inputs: ctx.input.text, ...(parameters ? { parameters } : {}) },
    };
  },
  serialize(data, ctx) {
    return serializeTextRequest(data, ctx, "Summarization");
  },
  async run(request, ctx) {
    const { summarization } = await loadInference();
    const result = await summarization({ ...callArgs(request, ctx), ...request.args }, callOptions(ctx));
    return [textOutput(result.summary_text, 0, { model: request.model })];
  },
};
