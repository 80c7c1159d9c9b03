/**
 * Options of the `@anthropic-ai/sdk` client, from a prompt's settings and the
 * environment of the aiconfig file.
 *
 * Source: `ClientOptions` of `@anthropic-ai/sdk` (apiKey, authToken, baseURL,
 * maxRetries, timeout).
 *
 * @packageDocumentation
 */
import type { ClientOptions } from "@anthropic-ai/sdk";
import { AIConfigError, type ModelSettings } from "@aiconfig-ts/core";

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The client options for a run:
 * - the key: setting `api_key`, else `ANTHROPIC_API_KEY`, else (as a bearer
 *   token) `ANTHROPIC_AUTH_TOKEN` from `env`;
 * - the base URL: setting `base_url`, else `ANTHROPIC_BASE_URL`, else the SDK's default;
 * - `max_retries` and `timeout` (milliseconds) when set.
 * @param env `process.env` over the `.env` beside the aiconfig file
 * @throws {AIConfigError} when no key is found, naming where to put one.
 */
export function anthropicClientOptions(
  settings: Readonly<ModelSettings>,
  env: Readonly<Record<string, string | undefined>>,
  prompt: string,
): ClientOptions {
  const apiKey = nonEmpty(settings.api_key) ?? nonEmpty(env.ANTHROPIC_API_KEY);
  const authToken = apiKey ? undefined : nonEmpty(env.ANTHROPIC_AUTH_TOKEN);
  if (!apiKey && !authToken) {
    throw new AIConfigError(
      `prompt "${prompt}": no Anthropic API key: set ANTHROPIC_API_KEY in the environment or in a .env file beside the aiconfig file`,
    );
  }
  const options: ClientOptions = apiKey ? { apiKey } : { authToken };
  const baseURL = nonEmpty(settings.base_url) ?? nonEmpty(env.ANTHROPIC_BASE_URL);
  if (baseURL) options.baseURL = baseURL;
  if (typeof settings.max_retries === "number") options.maxRetries = settings.max_retries;
  if (typeof settings.timeout === "number") options.timeout = settings.timeout;
  return options;
}
