/**
 * The environment providers read secrets from: `process.env` over the `.env`
 * file beside the aiconfig file (the process wins, as dotenv does).
 *
 * @packageDocumentation
 */
import { processEnvironment, readDotenvText, requireLibrary } from "#platform";
import { markDotenvValues } from "./provider-utils/environment-sources.js";

/**
 * Reads `DIR/.env` (dotenv syntax) under `process.env`. A missing `.env` is
 * not an error. Values are never written anywhere by the runtime. The
 * variables taken from `.env` are marked on the record (see
 * `environmentSource`), for the trust rule of `readCredential`.
 * @param dir folder of the aiconfig file; `undefined` gives `process.env` alone
 * @param base the process environment (default `process.env`)
 */
export function loadEnvironment(
  dir: string | undefined,
  base: Record<string, string | undefined> = processEnvironment(),
): Record<string, string | undefined> {
  if (!dir) return { ...base };
  const file = readDotenvText(dir);
  if (!file) return { ...base };
  const dotenv = requireLibrary("dotenv") as typeof import("dotenv");
  const fromFile = dotenv.parse(file.text);
  // Marks which values are the .env file's: a key from the user's environment never goes to an endpoint it chose.
  const fromDotenv = Object.keys(fromFile).filter((name) => base[name] === undefined);
  return markDotenvValues({ ...fromFile, ...base }, file.path, fromDotenv);
}
