/**
 * Finds the GGUF file a prompt runs on.
 *
 * @packageDocumentation
 */
import { existsSync, statSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import { DEFAULT_MODEL } from "./default-model.js";
import { ModelNotFoundError } from "./errors.js";
import { type Env, expandHome, modelsDir } from "./models-dir.js";

/** What {@link resolveModelPath} needs. */
export interface ResolveModelPathOptions {
  /** The prompt's model name, e.g. `stories260K`, `tiny.gguf` or `llama-2-7b-chat`. */
  model: string;
  /** The `model_path` setting, if any. */
  modelPath?: string | undefined;
  /** Folder of the aiconfig file; relative paths are looked up there first. */
  configDir?: string | undefined;
  /** Environment (`AICONFIG_MODELS_DIR`, `XDG_CACHE_HOME`, `HOME`). Default `process.env`. */
  env?: Env;
}

/** Where a model's file is. */
export interface ResolvedModelPath {
  /** Absolute path of the GGUF file. */
  path: string;
  /** Whether the file is there now (`false` only for the default model, which is downloaded on first run). */
  exists: boolean;
  /** Whether this is the default model's file (downloadable). */
  isDefaultModel: boolean;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The GGUF file name a model name stands for when no `model_path` is set:
 * the name itself when it ends in `.gguf`, else the name plus `.gguf`
 * (so `stories260K` is `stories260K.gguf`).
 */
export function modelFileName(model: string): string {
  return /\.gguf$/i.test(model) ? model : `${model}.gguf`;
}

/**
 * Finds a model's GGUF file. The file is `model_path` when set, else
 * {@link modelFileName}. An absolute path (or `~/...`) is taken as it is; a
 * relative one is looked up in the aiconfig file's folder, then in the models
 * folder ({@link modelsDir}). The default model (`stories260K.gguf`) resolves
 * to the models folder when it is nowhere yet: it is downloaded on first run.
 * @throws {ModelNotFoundError} when the file is not found, naming the paths
 *   tried and how to fix it.
 */
export function resolveModelPath(options: ResolveModelPathOptions): ResolvedModelPath {
  const env = options.env ?? process.env;
  const wanted = expandHome(options.modelPath ?? modelFileName(options.model), env);
  const dir = modelsDir(env);
  const tried: string[] = [];
  if (isAbsolute(wanted)) {
    tried.push(wanted);
  } else {
    if (options.configDir) tried.push(resolve(options.configDir, wanted));
    tried.push(resolve(dir, wanted));
  }
  for (const path of tried) {
    if (isFile(path)) return { path, exists: true, isDefaultModel: basename(path) === DEFAULT_MODEL.file };
  }
  if (basename(wanted) === DEFAULT_MODEL.file && !isAbsolute(wanted)) {
    return { path: join(dir, DEFAULT_MODEL.file), exists: false, isDefaultModel: true };
  }
  const existing = tried.find((p) => existsSync(p));
  const problem = existing
    ? `${existing} is not a file`
    : `no GGUF file ${wanted} for model "${options.model}" (looked at ${tried.join(", ")})`;
  const fix = options.modelPath
    ? `fix the model_path setting of model "${options.model}"`
    : `set model_path in metadata.models["${options.model}"] (or the prompt's model settings) to a .gguf file, or put ${basename(wanted)} in ${dir} (the models folder; AICONFIG_MODELS_DIR changes it)`;
  throw new ModelNotFoundError(options.model, tried, `${problem}: ${fix}`);
}
