/**
 * Which code beside an aiconfig file may run: a folder is untrusted input
 * (downloaded, cloned, opened from a pull request), so the providers module
 * beside a file (`aiconfig.providers.{js,mjs,ts}`) is imported only when the
 * user names it (`--providers MODULE`) or has trusted that folder before
 * (`aiconfig trust DIR`), as direnv's `allow` or an editor's workspace trust
 * do. Commands that only read (resolve, validate, read-only views) never
 * import a folder's code.
 *
 * The trusted folders are kept, as real paths, in `trusted.json` in the
 * user's config folder: `$XDG_CONFIG_HOME/aiconfig-ts/` (default
 * `~/.config/aiconfig-ts/`) on Linux, the platform's config folder elsewhere
 * (`env-paths`), or the file `AICONFIG_TRUST_FILE` names.
 *
 * @packageDocumentation
 */
import { mkdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import envPaths from "env-paths";
import { AIConfigError } from "./errors.js";
import { findProvidersModule } from "./providers-module.js";
import { writeFileAtomic } from "./write-file-atomic.js";

/** Shape of `trusted.json`. */
interface TrustFile {
  /** Real paths of the trusted folders. */
  folders: string[];
}

/**
 * Path of the file that lists trusted folders: `AICONFIG_TRUST_FILE` when
 * set, else `trusted.json` in the user's config folder for `aiconfig-ts`
 * (`$XDG_CONFIG_HOME/aiconfig-ts/trusted.json`, default `~/.config/aiconfig-ts/trusted.json`, on Linux).
 */
export function trustFilePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.AICONFIG_TRUST_FILE) return resolve(env.AICONFIG_TRUST_FILE);
  return join(envPaths("aiconfig-ts", { suffix: "" }).config, "trusted.json");
}

const real = (dir: string): string => {
  try {
    return realpathSync(resolve(dir));
  } catch {
    return resolve(dir);
  }
};

/**
 * The trusted folders (real paths), in the order they were trusted.
 * @throws {AIConfigError} when the trust file exists but is not the JSON this module writes (naming the file)
 */
export function listTrustedFolders(): string[] {
  const file = trustFilePath();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  try {
    const data = JSON.parse(text) as TrustFile;
    if (Array.isArray(data.folders) && data.folders.every((f) => typeof f === "string")) return data.folders;
  } catch {
    // reported below
  }
  throw new AIConfigError(`${file} is not a list of trusted folders ({"folders": [...]}): fix or delete it`);
}

function writeTrusted(folders: string[]): void {
  const file = trustFilePath();
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify({ folders } satisfies TrustFile, null, 2)}\n`);
}

/**
 * Trusts a folder: the providers module found in it is imported by runs from now on.
 * @param dir - the folder (relative to the current directory); stored as its real path
 * @returns the real path stored
 * @throws {AIConfigError} when the folder does not exist, or the trust file cannot be written
 */
export function trustFolder(dir: string): string {
  const path = real(dir);
  try {
    realpathSync(path);
  } catch {
    throw new AIConfigError(`cannot trust ${dir}: no such folder`);
  }
  const folders = listTrustedFolders();
  if (!folders.includes(path)) writeTrusted([...folders, path]);
  return path;
}

/**
 * Stops trusting a folder.
 * @returns whether it was trusted
 */
export function untrustFolder(dir: string): boolean {
  const path = real(dir);
  const folders = listTrustedFolders();
  const kept = folders.filter((f) => f !== path && f !== resolve(dir));
  if (kept.length === folders.length) return false;
  writeTrusted(kept);
  return true;
}

/** Whether a folder (compared by real path) is trusted. */
export function isTrustedFolder(dir: string): boolean {
  return listTrustedFolders().includes(real(dir));
}

/** Which providers module to import for a file, from {@link chooseProvidersModule}. */
export interface ProvidersModuleChoice {
  /** The module to import, absolute; absent when none is. */
  module?: string;
  /** One line for the user when a module beside the file was found and not imported: what and how to allow it. */
  notice?: string;
}

/**
 * Decides whether code beside an aiconfig file runs: the one place the CLI,
 * the editor and the hosted notebook ask.
 *
 * - a module the user named (`named`, from `--providers`) is imported;
 * - else the first `aiconfig.providers.{js,mjs,ts}` beside the file is
 *   imported only when `runsCode` and its folder is trusted ({@link isTrustedFolder});
 * - a module found and not imported gives a `notice` naming it and how to allow it.
 *
 * @param configFile - the aiconfig file.
 * @param options.named - a module the user named; always imported.
 * @param options.runsCode - `false` for commands that only read (resolve, validate, read-only views): they never import a folder's code.
 */
export function chooseProvidersModule(configFile: string, options: { named?: string; runsCode: boolean }): ProvidersModuleChoice {
  if (options.named) return { module: resolve(options.named) };
  const found = findProvidersModule(configFile);
  if (!found) return {};
  const dir = dirname(found);
  if (!options.runsCode) {
    return { notice: `${found} was not loaded: reading a file never runs code from its folder (name it with --providers to use it)` };
  }
  if (isTrustedFolder(dir)) return { module: found };
  return {
    notice: `${found} was not loaded: code beside a file runs only from folders you trust; if you trust ${dir}, run \`aiconfig trust ${shellWord(dir)}\` (or pass --providers ${found})`,
  };
}

/** A path as one shell word (quoted when it holds anything but letters, digits and `._/-`). */
const shellWord = (path: string) => (/^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`);
