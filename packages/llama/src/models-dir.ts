/**
 * Where GGUF files are looked up and the default model is downloaded to.
 *
 * @packageDocumentation
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Environment variables read here. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The models folder: `AICONFIG_MODELS_DIR` when set, else
 * `$XDG_CACHE_HOME/aiconfig-ts/models`, else `~/.cache/aiconfig-ts/models`
 * (the XDG Base Directory specification's default cache folder).
 * @param env environment to read (the run's `env`, which includes the `.env` beside the aiconfig file)
 * @returns an absolute path (the folder may not exist yet)
 */
export function modelsDir(env: Env = process.env): string {
  const own = env["AICONFIG_MODELS_DIR"];
  if (own) return resolve(expandHome(own, env));
  const cache = env["XDG_CACHE_HOME"] ? resolve(expandHome(env["XDG_CACHE_HOME"], env)) : join(homeOf(env), ".cache");
  return join(cache, "aiconfig-ts", "models");
}

function homeOf(env: Env): string {
  return env["HOME"] || homedir();
}

/** Expands a leading `~` (`~` or `~/...`) to the home folder. */
export function expandHome(path: string, env: Env = process.env): string {
  if (path === "~") return homeOf(env);
  if (path.startsWith("~/")) return join(homeOf(env), path.slice(2));
  return path;
}
