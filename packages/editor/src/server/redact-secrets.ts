/**
 * Keeps API keys out of what the server sends to the page: any value of an
 * environment variable whose name looks like a secret (`*_KEY`, `*TOKEN*`,
 * `*SECRET*`, `*PASSWORD*`, `*CREDENTIAL*`) is replaced by `[redacted]` in
 * error messages and outputs before they leave the server.
 *
 * @packageDocumentation
 */

const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i;

/** The secret values of an environment (8 characters or more), longest first. */
export function secretValues(env: Readonly<Record<string, string | undefined>>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= 8 && SECRET_NAME.test(name)) values.add(value);
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/** A text with every secret value replaced by `[redacted]`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join("[redacted]");
  return out;
}

/** A JSON value with every secret value in its strings replaced (a copy when anything changed). */
export function redactJSON<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const text = JSON.stringify(value);
  if (text === undefined || !secrets.some((s) => text.includes(s))) return value;
  return JSON.parse(
    redactText(
      text,
      secrets.map((s) => JSON.stringify(s).slice(1, -1)),
    ),
  ) as T;
}
