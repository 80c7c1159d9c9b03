/**
 * Options of the `@google/genai` client, from a prompt's settings and the
 * environment of the aiconfig file.
 *
 * Source: `GoogleGenAIOptions` and `HttpOptions` of `@google/genai` 2.x
 * (`apiKey`, `httpOptions.baseUrl`, `apiVersion`, `timeout`, `retryOptions`),
 * and its reading of `GOOGLE_API_KEY` over `GEMINI_API_KEY`.
 *
 * @packageDocumentation
 */
import type { GoogleGenAIOptions } from "@google/genai";
import { AIConfigError, type ModelSettings } from "@aiconfig-ts/core";

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The client options for a run, for the Gemini Developer API (never Vertex AI):
 * - the key: setting `api_key`, else `GOOGLE_API_KEY`, else `GEMINI_API_KEY`
 *   (the SDK's own order) from `env`;
 * - `httpOptions.baseUrl`: setting `base_url`, else `GOOGLE_GEMINI_BASE_URL`;
 * - `httpOptions.apiVersion` from `api_version`, `timeout` (milliseconds) from `timeout`;
 * - `httpOptions.retryOptions.attempts` = `max_retries` + 1 when `max_retries` is set
 *   (the SDK retries 408, 429 and 5xx then; by default it does not retry).
 * @param env `process.env` over the `.env` beside the aiconfig file
 * @throws {AIConfigError} when no key is found, naming where to put one.
 */
export function geminiClientOptions(
  settings: Readonly<ModelSettings>,
  env: Readonly<Record<string, string | undefined>>,
  prompt: string,
): GoogleGenAIOptions {
  const apiKey = nonEmpty(settings.api_key) ?? nonEmpty(env.GOOGLE_API_KEY) ?? nonEmpty(env.GEMINI_API_KEY);
  if (!apiKey) {
    throw new AIConfigError(
      `prompt "${prompt}": no Gemini API key: set GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment or in a .env file beside the aiconfig file`,
    );
  }
  const httpOptions: NonNullable<GoogleGenAIOptions["httpOptions"]> = {};
  const baseUrl = nonEmpty(settings.base_url) ?? nonEmpty(env.GOOGLE_GEMINI_BASE_URL);
  if (baseUrl) httpOptions.baseUrl = baseUrl;
  const apiVersion = nonEmpty(settings.api_version);
  if (apiVersion) httpOptions.apiVersion = apiVersion;
  if (typeof settings.timeout === "number") httpOptions.timeout = settings.timeout;
  if (typeof settings.max_retries === "number") httpOptions.retryOptions = { attempts: Math.max(0, settings.max_retries) + 1 };
  const options: GoogleGenAIOptions = { apiKey, vertexai: false };
  if (Object.keys(httpOptions).length > 0) options.httpOptions = httpOptions;
  return options;
}
