/**
 * The environment providers read secrets from: `process.env` over the `.env`
 * file beside the aiconfig file (the process wins, as dotenv does).
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { markDotenvValues } from "./provider-utils/environment-sources.js";

const require = createRequire(import.meta.url);

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
  base: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  if (!dir) return { ...base };
  let text: string;
  try {
    text = readFileSync(join(dir, ".env"), "utf8");
  } catch {
    return { ...base };
  }
  const dotenv = require("dotenv") as typeof import("dotenv");
  const fromFile = dotenv.parse(text);
  // Marks which values are the .env file's: a key from the user's environment never goes to an endpoint it chose.
  const fromDotenv = Object.keys(fromFile).filter((name) => base[name] === undefined);
  return markDotenvValues({ ...fromFile, ...base }, join(dir, ".env"), fromDotenv);
}
