/**
 * The settings the llama provider reads, their JSON Schema and their checked,
 * typed reading.
 *
 * Sampling follows llama.cpp's defaults (`temperature` 0.8, `top_k` 40,
 * `top_p` 0.95) as node-llama-cpp documents them
 * (`LlamaCompletionGenerationOptions`, `LLamaChatPromptOptions`).
 *
 * @packageDocumentation
 */
import { type JSONSchema, type ModelSettings, readSettings } from "@aiconfig-ts/core";
import { LlamaSettingsError } from "./errors.js";

/** Default `max_tokens`: how many tokens a run generates at most. */
export const DEFAULT_MAX_TOKENS = 256;
/** Default `temperature` (llama.cpp's). */
export const DEFAULT_TEMPERATURE = 0.8;
/** Default `top_k` (llama.cpp's). */
export const DEFAULT_TOP_K = 40;
/** Default `top_p` (llama.cpp's). */
export const DEFAULT_TOP_P = 0.95;
/** Largest default context size, in tokens (a model trained on more gets this many unless `context_size` says otherwise). */
export const MAX_DEFAULT_CONTEXT_SIZE = 4096;

/** JSON Schema (draft-07) of the llama provider's settings. Other settings (e.g. old files' `model`, `stream`) are allowed and ignored. */
export const llamaSettingsSchema: JSONSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "llama (local GGUF) settings",
  type: "object",
  properties: {
    model_path: {
      type: "string",
      minLength: 1,
      description:
        "GGUF file to run: an absolute path, a path relative to the aiconfig file's folder, or a file name looked up in the models folder (AICONFIG_MODELS_DIR, else ~/.cache/aiconfig-ts/models). Default: the model name when it ends in .gguf, else MODEL.gguf; stories260K.gguf is downloaded when missing.",
    },
    temperature: {
      type: "number",
      minimum: 0,
      maximum: 2,
      default: DEFAULT_TEMPERATURE,
      description: "Randomness of sampling; 0 always picks the most likely token (the same text every run).",
    },
    top_k: {
      type: "integer",
      minimum: 0,
      default: DEFAULT_TOP_K,
      description: "Sample only from the K most likely tokens; 0 uses the whole vocabulary. Ignored at temperature 0.",
    },
    top_p: {
      type: "number",
      minimum: 0,
      maximum: 1,
      default: DEFAULT_TOP_P,
      description: "Sample only from the smallest set of tokens whose probabilities add up to P; 1 disables it. Ignored at temperature 0.",
    },
    max_tokens: {
      type: "integer",
      minimum: 1,
      default: DEFAULT_MAX_TOKENS,
      description: "Most tokens to generate.",
    },
    seed: {
      type: "integer",
      minimum: 0,
      maximum: 4294967295,
      description: "Seed of the sampler: the same seed, settings and prompt give the same text. Default: random. Ignored at temperature 0.",
    },
    stop: {
      anyOf: [
        { type: "string", minLength: 1 },
        { type: "array", items: { type: "string", minLength: 1 } },
      ],
      description: "Text(s) that end generation when generated; the stop text is not part of the output.",
    },
    threads: {
      type: "integer",
      minimum: 1,
      description:
        "CPU threads. Default: 1 for models under 100 MB (measured faster, see the README), else the number of cores. More than the number of cores is clamped to it (with a warning): it slows generation by orders of magnitude.",
    },
    context_size: {
      type: "integer",
      minimum: 16,
      description: `Context window in tokens (prompt and output). Default: the model's training context, at most ${MAX_DEFAULT_CONTEXT_SIZE}.`,
    },
    system_prompt: {
      type: "string",
      description: "System message for chat models (GGUF files with a chat template); not used by base models.",
    },
  },
};

/** The llama settings, checked and typed (absent ones are `undefined`). */
export interface LlamaSettings {
  model_path?: string;
  temperature?: number;
  top_k?: number;
  top_p?: number;
  max_tokens?: number;
  seed?: number;
  /** Always an array once read (a single string becomes one element). */
  stop?: string[];
  threads?: number;
  context_size?: number;
  system_prompt?: string;
}

/**
 * Reads and checks the llama settings of a prompt (root `models[model]`
 * merged with the prompt's own) by their JSON Schema, through core's
 * `readSettings`. Settings the provider does not know are ignored.
 * @param settings the merged settings
 * @param where names the place for messages, e.g. `prompt "intro" (model "stories260K")`
 * @throws {LlamaSettingsError} for a value of the wrong type or out of range.
 */
export function readLlamaSettings(settings: Readonly<ModelSettings>, where: string): LlamaSettings {
  const read = readSettings<Omit<LlamaSettings, "stop"> & { stop?: string | string[] }>(llamaSettingsSchema, settings, where, {
    defaults: false,
    expected: { stop: "a non-empty string or an array of them" },
    invalid: (message, setting) => new LlamaSettingsError(setting, message),
  });
  const { stop, ...rest } = read;
  const list = typeof stop === "string" ? [stop] : stop;
  return list && list.length > 0 ? { ...rest, stop: list } : rest;
}
