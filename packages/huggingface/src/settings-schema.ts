/**
 * JSON Schemas (draft-07) of the settings each task reads, and the helpers
 * that pick those settings into the request the SDK sends.
 *
 * @packageDocumentation
 */
import { type JSONObject, type JSONSchema, type JSONValue, type ModelSettings, providerFetchSettingsProperties } from "@aiconfig-ts/core";

/** A JSON Schema of one setting. */
export type SettingSchema = { [key: string]: unknown };

/**
 * The settings every task reads: the model, where requests go and the token.
 * @param defaultModel the task's default Hub model
 */
export function connectionSettings(defaultModel: string): Record<string, SettingSchema> {
  return {
    model: {
      type: "string",
      title: "Model",
      default: defaultModel,
      description:
        "Hugging Face Hub model id (owner/name). Default: the prompt's model name when it is a Hub id, else " + defaultModel + ".",
    },
    provider: {
      type: "string",
      title: "Inference Provider",
      default: "auto",
      examples: ["auto", "hf-inference", "fal-ai", "replicate", "together", "novita", "groq"],
      description:
        "Inference Provider that runs the model; auto picks the first that serves it, in the order of https://hf.co/settings/inference-providers. Not used with an endpoint.",
    },
    endpoint_url: {
      type: "string",
      title: "Endpoint URL",
      description:
        "Full URL of a server that serves the model (a dedicated Inference Endpoint, a text-generation-inference server). Else the HF_INFERENCE_ENDPOINT environment variable, a base URL serving /models/{model}.",
    },
    api_token: {
      type: "string",
      title: "Access token",
      description:
        "Hugging Face access token. Prefer HF_TOKEN in the environment or in .env beside the file; a token in settings is saved in the file.",
    },
    hf_token: { type: "string", title: "Access token (alias)", description: "Same as api_token." },
    timeout: {
      type: "integer",
      minimum: 0,
      description: "Longest wait for the reply's headers and between chunks of it, in milliseconds; none by default.",
    },
    max_retries: {
      type: "integer",
      minimum: 0,
      default: 0,
      description: "Retries on 408, 409, 429 and 5xx replies and connection errors, honouring Retry-After up to max_retry_wait.",
    },
    ...providerFetchSettingsProperties,
  };
}

/**
 * Settings of the `generation_parameters` / `generate_parameters` object the
 * Hugging Face task specifications share (`GenerationParameters` in
 * `@huggingface/tasks`).
 */
export const GENERATION_SETTINGS: Record<string, SettingSchema> = {
  max_length: {
    type: "integer",
    minimum: 1,
    description: "Maximum length of the generated sequence, in tokens (input included for encoder-decoder models).",
  },
  min_length: { type: "integer", minimum: 0, description: "Minimum length of the generated sequence, in tokens." },
  max_new_tokens: { type: "integer", minimum: 1, description: "Maximum number of tokens to generate, input excluded." },
  min_new_tokens: { type: "integer", minimum: 0, description: "Minimum number of tokens to generate, input excluded." },
  num_beams: { type: "integer", minimum: 1, description: "Number of beams for beam search; 1 means no beam search." },
  num_beam_groups: { type: "integer", minimum: 1, description: "Number of groups the beams are divided into, for diversity." },
  do_sample: { type: "boolean", description: "Sample the next token instead of picking the most likely one." },
  early_stopping: { type: ["boolean", "string"], enum: [true, false, "never"], description: "When beam search stops." },
  temperature: { type: "number", minimum: 0, description: "Sampling temperature; higher is more random." },
  top_k: { type: "integer", minimum: 0, description: "Sample among the k most likely tokens." },
  top_p: {
    type: "number",
    minimum: 0,
    maximum: 1,
    description: "Nucleus sampling: sample among the tokens whose probabilities add up to top_p.",
  },
  typical_p: { type: "number", minimum: 0, maximum: 1, description: "Locally typical sampling mass." },
  epsilon_cutoff: { type: "number", minimum: 0, maximum: 1, description: "Tokens less likely than this are not sampled." },
  eta_cutoff: { type: "number", minimum: 0, maximum: 1, description: "Eta sampling cutoff." },
  penalty_alpha: { type: "number", minimum: 0, description: "Degeneration penalty of contrastive search." },
  use_cache: { type: "boolean", description: "Use the past key/values to speed up decoding." },
};

/**
 * A settings schema: draft-07, `type: "object"`; settings it does not list
 * are allowed (old files carry settings of other tasks) and not sent.
 *
 * @param title the provider id
 * @param description what the task does
 * @param properties the settings it reads
 */
export function settingsSchema(title: string, description: string, properties: Record<string, SettingSchema>): JSONSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title,
    description,
    type: "object",
    properties,
    additionalProperties: true,
  };
}

/**
 * The settings named in `keys` that are set, as a JSON object (in `keys`
 * order); `undefined` when none is.
 */
export function pickSettings(settings: Readonly<ModelSettings>, keys: readonly string[]): JSONObject | undefined {
  const out: JSONObject = {};
  let any = false;
  for (const key of keys) {
    const value: JSONValue | undefined = settings[key];
    if (value !== undefined && value !== null) {
      out[key] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** The generation settings that are set (see {@link GENERATION_SETTINGS}), or `undefined`. */
export function pickGenerationSettings(settings: Readonly<ModelSettings>): JSONObject | undefined {
  return pickSettings(settings, Object.keys(GENERATION_SETTINGS));
}
