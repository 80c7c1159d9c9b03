/**
 * Paths of the read-only shared material: the corpus of real aiconfig files,
 * the recorded provider responses and the small GGUF model.
 * `AICONFIG_SHARED` (set by `scripts/run-tests.mjs`) overrides the default,
 * `../shared` beside the repository.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Root of the repository. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The shared folder (`../shared` beside the repository). */
export const sharedDir = process.env.AICONFIG_SHARED ?? resolve(repoRoot, "..", "shared");

/** Folder of the 47 real aiconfig files. */
export const corpusDir = join(sharedDir, "corpus");

/** Folder of the small GGUF model (`stories260K.gguf`). */
export const modelsDir = join(sharedDir, "models");

/** Path of a corpus file by its flat name, e.g. `python__demo__Chained-Config.json`. */
export function corpusFile(name: string): string {
  return join(corpusDir, name);
}

/** Every aiconfig file of the corpus (JSON and YAML), as absolute paths. */
export function corpusFiles(): string[] {
  return readdirSync(corpusDir)
    .filter((n) => /\.(json|ya?ml)$/.test(n))
    .sort()
    .map((n) => join(corpusDir, n));
}

/**
 * A folder of `fixtures/providers/`: recorded replies of one service (see its
 * `SOURCE.md`); `openai-compatible` holds Groq's and DeepSeek's Chat Completions replies.
 */
export type FixtureFolder = "openai" | "anthropic" | "google" | "huggingface" | "openai-compatible";

/** Path of a recorded provider response, e.g. `fixture("openai", "openai-text.json")`. */
export function fixture(provider: FixtureFolder, name: string): string {
  return join(sharedDir, "fixtures", "providers", provider, name);
}

/** A recorded whole response body, parsed. */
export function readFixtureJSON(provider: FixtureFolder, name: string): unknown {
  return JSON.parse(readFileSync(fixture(provider, name), "utf8"));
}

/** A recorded stream: one event payload (JSON text) per line. */
export function readFixtureChunks(provider: FixtureFolder, name: string): string[] {
  return readFileSync(fixture(provider, name), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}
