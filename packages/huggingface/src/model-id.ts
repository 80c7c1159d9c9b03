/**
 * Which Hugging Face Hub model a prompt runs on.
 *
 * @packageDocumentation
 */
import { type ModelSettings, readOptionalSetting } from "@aiconfig-ts/core";

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;

/** Owners of `owner/name`-shaped model names that are not Hub repositories (Gemini's `models/gemini-pro`, ...). */
const NOT_HUB_OWNERS = new Set(["models", "tunedModels", "accounts", "projects"]);

/**
 * Whether a model name looks like a Hugging Face Hub repository id,
 * `owner/name` (e.g. `facebook/bart-large-cnn`). Names of other services that
 * share the shape (`models/gemini-pro`) and GGUF file names are not.
 * Source: the Hub's repository naming rules (letters, digits, `-`, `_`, `.`).
 */
export function isHubModelId(name: string): boolean {
  if (!REPO_ID.test(name) || name.toLowerCase().endsWith(".gguf")) return false;
  return !NOT_HUB_OWNERS.has(name.slice(0, name.indexOf("/")));
}

/**
 * The Hub model id a prompt runs on: the `model` setting when it is a
 * non-empty string; else the prompt's model name when it is a Hub id (files
 * that map `Salesforce/blip-image-captioning-base` to a task in
 * `model_parsers`); else the task's default model (files whose model name is
 * the task itself, e.g. `"Text-to-Speech"`).
 *
 * @param settings the prompt's merged settings
 * @param modelName the prompt's model name
 * @param defaultModel the task's default Hub model
 */
export function resolveModelId(settings: Readonly<ModelSettings>, modelName: string, defaultModel: string): string {
  const setting = readOptionalSetting(settings, ["model"])?.value;
  if (setting) return setting;
  if (isHubModelId(modelName)) return modelName;
  return defaultModel;
}
