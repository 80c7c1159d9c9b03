import {
  type AIConfig,
  AIConfigError,
  defaultRegistry,
  findWrittenSecrets,
  formatProblem,
  loadProvidersModule,
  type Problem,
  ProviderRegistry,
  readConfigFile,
  validateConfig,
  validateSettings,
} from "@aiconfig-ts/core";
import { promptModels, registerLazyProviders } from "../builtin-providers.js";

/**
 * `aiconfig validate FILE...`: prints `FILE:LINE:COL: message (at /pointer)`
 * for each problem (schema, duplicate names, settings against the providers'
 * settings schemas), and a warning for each key written in a file (`api_key`
 * and the like, see `findWrittenSecrets`). Exit 1 if any file is invalid;
 * warnings do not change the exit code.
 */
export async function validateCommand(files: string[], opts: { providers?: string }): Promise<number> {
  const registry = new ProviderRegistry(defaultRegistry);
  registerLazyProviders(registry);
  if (opts.providers) await loadProvidersModule(opts.providers, registry);
  let invalid = 0;
  for (const file of files) {
    let problems: Problem[];
    try {
      const doc = readConfigFile(file);
      for (const written of findWrittenSecrets(doc.data)) {
        const warning: Problem = {
          file,
          pointer: written.pointer,
          ...doc.locate(written.pointer),
          message: `warning: a key is written in the file (${written.name}): anyone given the file can use it; move it to the environment or a .env file beside it`,
        };
        process.stdout.write(`${formatProblem(warning)}\n`);
      }
      problems = validateConfig(doc.data, doc, file);
      if (problems.length === 0) {
        const config = doc.data as AIConfig;
        await registry.loadFor(promptModels(config), config.metadata?.model_parsers);
        problems = validateSettings(doc, file, registry);
      }
    } catch (error) {
      if (!AIConfigError.isInstance(error)) throw error;
      problems = "problems" in error ? (error.problems as Problem[]) : [{ file, message: error.message }];
    }
    if (problems.length) {
      invalid++;
      for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
    } else {
      process.stderr.write(`${file}: valid\n`);
    }
  }
  return invalid ? 1 : 0;
}
