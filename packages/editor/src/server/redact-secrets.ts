/**
 * Keeps API keys out of what the server sends to the page: core's one
 * redaction (`@aiconfig-ts/core`'s `redact.ts`, including its
 * `StreamRedactor` for streamed text), plus the credentials written in a
 * document.
 *
 * @packageDocumentation
 */
import { type AIConfig, secretValues } from "@aiconfig-ts/core";

export { redactJSON, redactText, StreamRedactor, secretValues } from "@aiconfig-ts/core";

/**
 * The credentials written in a document (`api_key` and the like in its or its
 * prompts' metadata), masked in read-only views and exports and redacted from
 * a run's events.
 */
export function writtenSecretValues(config: AIConfig): string[] {
  return secretValues({}, config.metadata, ...(config.prompts ?? []).map((p) => p.metadata));
}
