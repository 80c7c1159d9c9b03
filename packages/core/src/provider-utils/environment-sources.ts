/**
 * Where the values of a provider's environment came from, so that a key is
 * only sent where a source as trusted as the key chose (see
 * `read-credential.ts`).
 *
 * The runtime gives providers one record, `process.env` over the `.env` file
 * beside the aiconfig file. `loadEnvironment` marks, on that record, which
 * variables came from the `.env` file (a non-enumerable property under a
 * `Symbol.for` key, so the mark survives two copies of core and never reaches
 * `JSON.stringify` or a spread). A record without the mark (e.g. one an
 * application passes as the runtime's `env` option) counts as the user's own
 * environment. Browser-safe: no `node:` imports.
 *
 * @packageDocumentation
 */

/**
 * Where a value a provider reads came from, least trusted first:
 * - `settings`: the aiconfig file (a prompt's or the file's model settings);
 * - `dotenv`: the `.env` file beside the aiconfig file;
 * - `environment`: the user's environment (the shell, or the `env` an application gives).
 */
export type ValueSource = "settings" | "dotenv" | "environment";

/** How much each {@link ValueSource} is trusted: a key goes only to an endpoint from a source ranked at least as high. */
export const SOURCE_TRUST: Readonly<Record<ValueSource, number>> = { settings: 0, dotenv: 1, environment: 2 };

const DOTENV_MARK: unique symbol = Symbol.for("aiconfig-ts.env.dotenv") as never;

interface DotenvMark {
  /** The `.env` file's path. */
  readonly file: string;
  /** The variables whose value in the record came from it. */
  readonly keys: ReadonlySet<string>;
}

/**
 * Marks the variables of an environment record that came from a `.env` file
 * (call it on the record the runtime gives providers).
 * @param env the merged record (`process.env` over the `.env` file)
 * @param file path of the `.env` file
 * @param keys the variables whose value is the `.env` file's (those the process did not set)
 * @returns `env`
 */
export function markDotenvValues<T extends Record<string, string | undefined>>(env: T, file: string, keys: Iterable<string>): T {
  const mark: DotenvMark = { file, keys: new Set(keys) };
  Object.defineProperty(env, DOTENV_MARK, { value: mark, enumerable: false, configurable: true });
  return env;
}

/**
 * Where an environment variable's value came from: `dotenv` when the record
 * marks it as the `.env` file's, else `environment`.
 */
export function environmentSource(env: Readonly<Record<string, string | undefined>>, name: string): "dotenv" | "environment" {
  const mark = (env as { [DOTENV_MARK]?: DotenvMark })[DOTENV_MARK];
  return mark?.keys.has(name) ? "dotenv" : "environment";
}

/** The path of the `.env` file the record's marked values came from, if any. */
export function dotenvFile(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return (env as { [DOTENV_MARK]?: DotenvMark })[DOTENV_MARK]?.file;
}
