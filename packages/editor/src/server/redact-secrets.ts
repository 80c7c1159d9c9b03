/**
 * Keeps API keys out of what the server sends to the page: core's one
 * redaction (`@aiconfig-ts/core`'s `redact.ts`), plus {@link StreamRedactor}
 * for streamed text, where a key may arrive split over several pieces.
 *
 * @packageDocumentation
 */
import { type AIConfig, redactText, secretValues } from "@aiconfig-ts/core";

export { redactJSON, redactText, secretValues } from "@aiconfig-ts/core";

/**
 * Redacts a stream of text pieces: each piece is sent with every secret
 * replaced, holding back an end that could be the start of a secret until
 * the next piece (or {@link StreamRedactor.end}) shows it is not.
 */
export class StreamRedactor {
  #held = "";
  constructor(readonly secrets: readonly string[]) {}

  /** The text to send for a new piece (may be shorter than the piece: the rest is held). */
  push(piece: string): string {
    if (this.secrets.length === 0) return piece;
    const raw = this.#held + piece;
    const hold = heldBack(raw, this.secrets);
    this.#held = raw.slice(raw.length - hold);
    return redactText(raw.slice(0, raw.length - hold), this.secrets);
  }

  /** The text held back, redacted (the stream ended). */
  end(): string {
    const rest = this.#held;
    this.#held = "";
    return redactText(rest, this.secrets);
  }
}

/** Length of the longest end of `text` that is a proper start of a secret. */
function heldBack(text: string, secrets: readonly string[]): number {
  let hold = 0;
  for (const s of secrets) {
    for (let k = Math.min(s.length - 1, text.length); k > hold; k--) {
      if (text.endsWith(s.slice(0, k))) {
        hold = k;
        break;
      }
    }
  }
  return hold;
}

/**
 * The credentials written in a document (`api_key` and the like in its or its
 * prompts' metadata), masked in read-only views and exports and redacted from
 * a run's events.
 */
export function writtenSecretValues(config: AIConfig): string[] {
  return secretValues({}, config.metadata, ...(config.prompts ?? []).map((p) => p.metadata));
}
