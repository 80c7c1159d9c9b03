/**
 * Options of the `@google/genai` client, from a prompt's settings and the
 * environment of the aiconfig file, through core's provider kit: the key and
 * base URL by `readCredential` (a key goes only to the Gemini API or to a
 * base URL set in a source as trusted as the key), and a `providerFetch`
 * that does the retries (capping `Retry-After` waits at `max_retry_wait`),
 * bounds stalls by `timeout`, names the URL on faults and cuts off replies
 * larger than `max_response_bytes`.
 *
 * Source: `GoogleGenAIOptions` and `HttpOptions` of `@google/genai` 2.x
 * (`apiKey`, `httpOptions.baseUrl`, `apiVersion`, `timeout`, `fetch`), and
 * its reading of `GOOGLE_API_KEY` over `GEMINI_API_KEY`.
 *
 * @packageDocumentation
 */
import type { GoogleGenAIOptions } from "@google/genai";
import {
  MissingCredentialError,
  type ModelSettings,
  providerFetch,
  providerFetchSettings,
  readCredential,
  readOptionalSetting,
  type RunContext,
} from "@aiconfig-ts/core";

/** The Gemini API: a key may always go there. */
export const GEMINI_BASE_URL = "https://generativelanguage.googleapis.com";

/**
 * The client options for a run, for the Gemini Developer API (never Vertex AI):
 * - the key: setting `api_key`, else `GOOGLE_API_KEY`, else `GEMINI_API_KEY`
 *   (the SDK's own order) from `env`;
 * - `httpOptions.baseUrl`: setting `base_url`, else `GOOGLE_GEMINI_BASE_URL`, else the API's;
 * - `httpOptions.apiVersion` from `api_version`; `timeout` (milliseconds) bounds the
 *   wait for the headers and each gap between chunks in the `fetch` (not the SDK's
 *   `httpOptions.timeout`, which would cut a long stream that is still flowing);
 * - `httpOptions.fetch`: retries (`max_retries`, default 0 as the SDK's; `max_retry_wait`) and
 *   the reply limit (`max_response_bytes`).
 * @param env `process.env` over the `.env` beside the aiconfig file
 * @param run what the run context adds: allowed endpoints, the warning hook
 * @throws {MissingCredentialError} (core) when no key is found, naming where to put one.
 * @throws {EndpointNotAllowedError} (core) when the key may not go to the base URL.
 */
export function geminiClientOptions(
  settings: Readonly<ModelSettings>,
  env: Readonly<Record<string, string | undefined>>,
  prompt: string,
  run: Pick<RunContext, "allowedEndpoints" | "warn"> = {},
): GoogleGenAIOptions {
  const credential = readCredential({
    service: "Gemini",
    prompt,
    settings,
    env,
    keyVariables: ["GOOGLE_API_KEY", "GEMINI_API_KEY"],
    endpointVariables: ["GOOGLE_GEMINI_BASE_URL"],
    defaultEndpoint: GEMINI_BASE_URL,
    allowedEndpoints: run.allowedEndpoints,
    missingCredential: () =>
      new MissingCredentialError(
        `prompt "${prompt}": no Gemini API key: set GEMINI_API_KEY (or GOOGLE_API_KEY) in the environment or in a .env file beside the aiconfig file`,
      ),
  });
  const fetchSettings = providerFetchSettings(settings);
  const httpOptions: NonNullable<GoogleGenAIOptions["httpOptions"]> = {
    // Always explicit, so that the SDK does not read GOOGLE_GEMINI_BASE_URL from process.env on its own.
    baseUrl: credential.endpoint ?? GEMINI_BASE_URL,
    // Gemini's own default: no retries unless max_retries says so.
    fetch: providerFetch({ service: "Gemini", ...fetchSettings, maxRetries: fetchSettings.maxRetries ?? 0, warn: run.warn }),
  };
  const apiVersion = readOptionalSetting(settings, ["api_version"])?.value;
  if (apiVersion) httpOptions.apiVersion = apiVersion;
  return { apiKey: credential.key as string, vertexai: false, httpOptions };
}
