/**
 * `aiconfig run` of a file on the local model: the llama provider's engine
 * (node-llama-cpp's import, then its prebuilt binary's test in a child
 * process: a few hundred ms) starts before the CLI imports core and the run
 * command, and the CLI imports them only once node-llama-cpp is imported, so
 * that their work and the file's (loading, providers, resolve) overlaps the
 * test instead of coming before it or delaying its start. Part of the
 * start-up bundle: Node built-ins and the provider table only; the llama
 * package's engine start is imported only when the file names one of its models.
 *
 * @packageDocumentation
 */
import { readFileSync, statSync } from "node:fs";
import { PROVIDER_PACKAGE_ENTRIES } from "./provider-entries.js";

/** Files larger than this are not read twice: the warm-up after loading covers them (bytes). */
const MAX_SNIFF_BYTES = 1_000_000;

const LLAMA = PROVIDER_PACKAGE_ENTRIES.find((e) => e.name === "@aiconfig-ts/llama");

/**
 * Whether a JSON aiconfig file names a model the llama package serves: a
 * prompt's `metadata.model` (a name or `{name}`), else the root
 * `default_model`, matched as the CLI's provider table matches it (its model
 * names, its pattern, or a `model_parsers` entry naming one of its ids).
 * `false` for anything else: YAML, JSON with comments, a missing, unreadable,
 * broken or large file (over 1 MB). A hint only: loading the file decides.
 */
export function namesLocalModel(file: string): boolean {
  if (!LLAMA) return false;
  let data: unknown;
  try {
    if (statSync(file).size > MAX_SNIFF_BYTES) return false;
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return false;
  }
  const config = data as {
    metadata?: { default_model?: unknown; model_parsers?: Record<string, unknown> };
    prompts?: unknown;
  } | null;
  if (!config || typeof config !== "object" || !Array.isArray(config.prompts)) return false;
  const parsers = config.metadata?.model_parsers ?? {};
  const served = (model: unknown): boolean =>
    typeof model === "string" &&
    (LLAMA.models.includes(model) ||
      LLAMA.pattern?.test(model) === true ||
      (typeof parsers[model] === "string" && LLAMA.ids.includes(parsers[model] as string)));
  return config.prompts.some((prompt: unknown) => {
    const model = (prompt as { metadata?: { model?: unknown } } | null)?.metadata?.model;
    const name = typeof model === "string" ? model : (model as { name?: unknown } | undefined)?.name;
    return served(typeof name === "string" ? name : config.metadata?.default_model);
  });
}

/**
 * When `file` names a local model ({@link namesLocalModel}), starts the
 * llama package's engine (`@aiconfig-ts/llama/engine-start`, which imports
 * node-llama-cpp and neither core nor the provider) and settles once
 * node-llama-cpp is imported and its binary test started: the caller imports
 * the rest (core, the run command) after that, while the test runs in its
 * child process, so that nothing of the CLI delays the test's start. Settles
 * at once for other files. Never rejects: a package that is not installed or
 * fails is reported by the run.
 */
export async function warmUpLocalModelEarly(file: string): Promise<void> {
  if (!namesLocalModel(file)) return;
  try {
    const { warmUpEngine } = await import("@aiconfig-ts/llama/engine-start");
    await warmUpEngine();
  } catch {
    // not installed: the run says so
  }
}
