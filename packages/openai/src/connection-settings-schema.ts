/**
 * The connection settings every OpenAI provider of this package reads (JSON
 * Schema draft-07 properties), shared by the settings schemas of chat,
 * images, speech and transcription (each beside its provider). Ranges and
 * defaults follow the OpenAI API reference
 * (https://platform.openai.com/docs/api-reference); other properties are
 * allowed in every schema: chat passes them to the API unchanged.
 *
 * @packageDocumentation
 */
import { type JSONSchema, providerFetchSettingsProperties } from "@aiconfig-ts/core";
import { presets } from "./presets.js";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/** Settings every provider of this package reads to connect (never sent in the request body). */
export const connectionSettingsProperties: Record<string, JSONSchema> = {
  api_key: {
    type: "string",
    description:
      "API key. Prefer the environment (OPENAI_API_KEY, or the preset's variable) or a .env file beside the aiconfig file: a key written here is saved in the file.",
  },
  base_url: {
    type: "string",
    description:
      "Base URL of the API, e.g. http://127.0.0.1:11434/v1 (default: OPENAI_BASE_URL or the preset's). For Azure: the resource endpoint.",
  },
  preset: {
    type: "string",
    enum: Object.keys(presets),
    description: "Named OpenAI-compatible service to connect to (its base URL and key variable).",
  },
  max_retries: {
    type: "integer",
    minimum: 0,
    default: 2,
    description: "Retries on 408, 409, 429 and 5xx responses and connection errors, with backoff honouring retry-after.",
  },
  timeout: {
    type: "integer",
    minimum: 0,
    default: 600000,
    description: "Longest wait for the reply's headers and between chunks of it, in milliseconds.",
  },
  ...providerFetchSettingsProperties,
  api_version: { type: "string", description: "Azure OpenAI api-version (default: OPENAI_API_VERSION, else 2024-10-21)." },
  organization: { type: "string", description: "OpenAI organization id (default: OPENAI_ORG_ID)." },
  project: { type: "string", description: "OpenAI project id (default: OPENAI_PROJECT_ID)." },
};

/**
 * A settings schema of this package: draft-07, `type: "object"`, the given
 * properties then the connection settings, other properties allowed (passed
 * to the API unchanged).
 * @param title the form's title, e.g. "OpenAI chat settings"
 */
export function openaiSettingsSchema(title: string, properties: Record<string, JSONSchema>): JSONSchema {
  return {
    $schema: DRAFT_07,
    title,
    type: "object",
    properties: { ...properties, ...connectionSettingsProperties },
    additionalProperties: true,
  };
}
