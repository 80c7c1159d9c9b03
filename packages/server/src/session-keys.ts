/**
 * The keys a visitor enters in the page (those the server's providers read:
 * Hugging Face token, OpenAI, Anthropic, Gemini, ...): held for that session only, sealed with AES-256-GCM
 * under a key derived (HKDF-SHA256) from the session's cookie value, which
 * only the visitor's browser holds. The store keeps the sealed bytes (the
 * folder store in memory only), so neither the store nor its backups can
 * read them; they are opened for a run and never sent back to the page.
 *
 * @packageDocumentation
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { ProviderRegistry } from "@aiconfig-ts/core";

/** A key a visitor may enter: the environment variable providers read, its label in the page, and the service's other names. */
export interface VisitorKeyName {
  /** Environment variable name, e.g. `OPENAI_API_KEY` (the first of a provider's `capabilities.credentials`). */
  readonly env: string;
  /** Label shown in the keys panel, e.g. `OpenAI API key`. */
  readonly label: string;
  /**
   * Every variable the providers of this key read for it (their `capabilities.credentials`), e.g.
   * `["GEMINI_API_KEY", "GOOGLE_API_KEY"]`: a visitor's key replaces all of the owner's.
   */
  readonly family: readonly string[];
}

/** Labels of the keys the issue names, in the order of the keys panel; other keys are labelled from their variable's name. */
const KEY_LABELS: Readonly<Record<string, string>> = {
  HF_TOKEN: "Hugging Face token",
  OPENAI_API_KEY: "OpenAI API key",
  ANTHROPIC_API_KEY: "Anthropic API key",
  GEMINI_API_KEY: "Gemini API key",
};

function labelOf(env: string): string {
  const known = KEY_LABELS[env];
  if (known) return known;
  const service = env.replace(/_(API_KEY|KEY|TOKEN)$/i, "");
  const words = service.split("_").map((w) => w.charAt(0) + w.slice(1).toLowerCase());
  return `${words.join(" ")} ${/TOKEN$/i.test(env) ? "token" : "API key"}`;
}

/**
 * The keys a visitor may enter on a server with these providers: one per
 * service, named by the first of each provider's `capabilities.credentials`
 * (retired providers left out), with every name those providers read as its
 * family. The Hugging Face, OpenAI, Anthropic and Gemini keys come first.
 */
export function visitorKeyNames(registry: Pick<ProviderRegistry, "list">): VisitorKeyName[] {
  const families = new Map<string, Set<string>>();
  for (const provider of registry.list()) {
    const caps = provider.capabilities;
    const names = caps?.credentials;
    if (!names?.length || caps?.retired) continue;
    const family = families.get(names[0]!) ?? new Set<string>();
    for (const n of names) family.add(n);
    families.set(names[0]!, family);
  }
  const order = Object.keys(KEY_LABELS);
  const rank = (env: string) => (order.includes(env) ? order.indexOf(env) : order.length);
  return [...families]
    .map(([env, family]) => ({ env, label: labelOf(env), family: [...family] }))
    .sort((a, b) => rank(a.env) - rank(b.env));
}

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
