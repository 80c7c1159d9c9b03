/**
 * Options of the `@anthropic-ai/sdk` client, from a prompt's settings and the
 * environment of the aiconfig file, through core's provider kit: the key and
 * base URL by `readCredential` (a key goes only to Anthropic's API or to a
 * base URL set in a source as trusted as the key), and a `providerFetch`
 * that does the retries (capping `Retry-After` waits at `max_retry_wait`),
 * bounds stalls by `timeout`, names the URL on faults and cuts off replies
 * larger than `max_response_bytes`.
 *
 * Source: `ClientOptions` of `@anthropic-ai/sdk` (apiKey, authToken, baseURL,
 * maxRetries, timeout, fetch, logLevel).
 *
 * @packageDocumentation
 */
import type { ClientOptions } from "@anthropic-ai/sdk";
import {
  MissingCredentialError,
  type ModelSettings,
  providerFetch,
  providerFetchSettings,
  readCredential,
  type RunContext,
  runsInBrowser,
} from "@aiconfig-ts/core";

/** Anthropic's API: a key may always go there. */
export const ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/**
 * The environment variables the client takes a credential from, in order: `ANTHROPIC_API_KEY` (sent as
 * `x-api-key`), then `ANTHROPIC_AUTH_TOKEN` (sent as a bearer token), as `@anthropic-ai/sdk` reads them.
 * The provider declares the same list as its `capabilities.credentials`, so a hosted notebook drops both
 * from a visitor's run and a visitor's key replaces both.
 */
export const ANTHROPIC_KEY_VARIABLES = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"] as const;

/**
 * The client options for a run:
 * - the key: setting `api_key`, else `ANTHROPIC_API_KEY`, else (as a bearer
 *   token) `ANTHROPIC_AUTH_TOKEN` from `env`;
 * - the base URL: setting `base_url`, else `ANTHROPIC_BASE_URL`, else the SDK's default;
 * - `timeout` (milliseconds) when set; retries (`max_retries`, `max_retry_wait`)
 *   and the reply limit (`max_response_bytes`) in the `fetch`; the SDK's own
 *   retries and console logging off.
 * @param env `process.env` over the `.env` beside the aiconfig file
 * @param run what the run context adds: allowed endpoints, the warning hook, whether a caller does the retries
 * @throws {MissingCredentialError} (core) when no key is found, naming where to put one.
 * @throws {EndpointNotAllowedError} (core) when the key may not go to the base URL.
 */
export function anthropicClientOptions(
  settings: Readonly<ModelSettings>,
  env: Readonly<Record<string, string | undefined>>,
  prompt: string,
  run: Pick<RunContext, "allowedEndpoints" | "warn" | "reportRateLimit"> = {},
): ClientOptions {
  const credential = readCredential({
    service: "Anthropic",
    prompt,
    settings,
    env,
    keyVariables: ANTHROPIC_KEY_VARIABLES,
    endpointVariables: ["ANTHROPIC_BASE_URL"],
    defaultEndpoint: ANTHROPIC_BASE_URL,
    allowedEndpoints: run.allowedEndpoints,
    missingCredential: () =>
      new MissingCredentialError(
        `prompt "${prompt}": no Anthropic API key: set ANTHROPIC_API_KEY in the environment or in a .env file beside the aiconfig file`,
      ),
  });
  const key = credential.key as string;
  const options: ClientOptions = credential.keyName === "ANTHROPIC_AUTH_TOKEN" ? { apiKey: null, authToken: key } : { apiKey: key };
  // Always explicit, so that the SDK does not read ANTHROPIC_BASE_URL from process.env on its own.
  options.baseURL = credential.endpoint ?? ANTHROPIC_BASE_URL;
  const fetchSettings = providerFetchSettings(settings);
  if (fetchSettings.timeout !== undefined) options.timeout = fetchSettings.timeout;
  options.maxRetries = 0;
  options.logLevel = "off";
  // in a page (core's browser build) the SDK refuses to run unless told (it then sends Anthropic's direct-browser-access header)
  if (runsInBrowser()) options.dangerouslyAllowBrowser = true;
  options.fetch = providerFetch({
    service: "Anthropic",
    ...fetchSettings,
    ...(run.reportRateLimit ? { maxRetries: 0 } : {}),
    warn: run.warn,
  });
  return options;
}
