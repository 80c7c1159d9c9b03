/**
 * The keys a visitor enters in the page (Hugging Face token, OpenAI,
 * Anthropic, Gemini): held for that session only, sealed with AES-256-GCM
 * under a key derived (HKDF-SHA256) from the session's cookie value, which
 * only the visitor's browser holds. The store keeps the sealed bytes (the
 * folder store in memory only), so neither the store nor its backups can
 * read them; they are opened for a run and never sent back to the page.
 *
 * @packageDocumentation
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** A key a visitor may enter: the environment variable providers read, and its label in the page. */
export interface VisitorKeyName {
  /** Environment variable name, e.g. `OPENAI_API_KEY`. */
  readonly env: string;
  /** Label shown in the keys panel. */
  readonly label: string;
}

/** The keys a visitor may enter, in the order of the keys panel. */
export const VISITOR_KEYS: readonly VisitorKeyName[] = [
  { env: "HF_TOKEN", label: "Hugging Face token" },
  { env: "OPENAI_API_KEY", label: "OpenAI API key" },
  { env: "ANTHROPIC_API_KEY", label: "Anthropic API key" },
  { env: "GEMINI_API_KEY", label: "Gemini API key" },
];

/** Longest key accepted, in characters. */
export const MAX_KEY_LENGTH = 512;

function keyFor(cookieValue: string): Buffer {
  return Buffer.from(hkdfSync("sha256", cookieValue, "aiconfig-serve", "visitor keys", 32));
}

/** Seals a session's keys (env name -> value) with the session's cookie value: 12-byte IV, 16-byte tag, ciphertext. */
export function sealKeys(cookieValue: string, keys: Readonly<Record<string, string>>): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFor(cookieValue), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(keys), "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Opens sealed keys; `{}` when they cannot be opened (another cookie, damaged bytes). */
export function openKeys(cookieValue: string, sealed: Buffer | undefined): Record<string, string> {
  if (!sealed || sealed.length < 29) return {};
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyFor(cookieValue), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    const text = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString("utf8");
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return {};
  }
}
