/**
 * How the `aiconfig` command reports an error: one line per problem on
 * stderr, no stack (set `AICONFIG_DEBUG=1` for one), and its exit code.
 */
import { AIConfigError, UnknownModelError } from "@aiconfig-ts/core";
import { inspect } from "node:util";
import { CommanderError } from "commander";
import { missingProviderPackages } from "./builtin-providers.js";
import { PROVIDER_PACKAGE_ENTRIES } from "./provider-entries.js";
import { commanderExitCode } from "./cli.js";
import { EXIT } from "./exit-codes.js";
import { safeText } from "./terminal-text.js";
import { UsageError } from "./usage-error.js";

/** Prints an error for a person (one line per problem, no stack) and returns its exit code. */
export function reportError(error: unknown): number {
  if (error instanceof CommanderError) return commanderExitCode(error);
  if (process.env.AICONFIG_DEBUG) process.stderr.write(`${safeText(inspect(error))}\n`);
  if (UsageError.isInstance(error)) {
    process.stderr.write(`aiconfig: ${safeText(error.message)}\n`);
    return EXIT.usage;
  }
  if (AIConfigError.isInstance(error)) {
    const missing = UnknownModelError.isInstance(error) ? missingPackageServing(error.model) : undefined;
    if (missing) {
      // Core's message says to map the model to a registered provider; the fix is to install the package that serves it.
      const { model, prompt } = error as UnknownModelError;
      const where = prompt === undefined ? "" : ` (prompt "${prompt}")`;
      const message = `model "${model}"${where} needs a provider package that is not installed: ${missing}; run \`npm install ${missing}\``;
      process.stderr.write(`aiconfig: ${safeText(message)}\n`);
      return EXIT.failed;
    }
    const hint =
      UnknownModelError.isInstance(error) && missingProviderPackages.length
        ? ` (not installed: ${missingProviderPackages.join(", ")}; run \`npm install ${missingProviderPackages.join(" ")}\`)`
        : "";
    process.stderr.write(`aiconfig: ${safeText(error.message)}${hint}\n`);
    return EXIT.failed;
  }
  const e = error as NodeJS.ErrnoException;
  process.stderr.write(`aiconfig: ${safeText(e?.message ?? String(error))}\n`);
  return EXIT.failed;
}

/**
 * The provider package, among those a file needed that are not installed, that would serve a model
 * (its ids, model names or pattern; the last in registration order wins, as when installed), if any.
 */
function missingPackageServing(model: string): string | undefined {
  return PROVIDER_PACKAGE_ENTRIES.findLast(
    (e) => missingProviderPackages.includes(e.name) && (e.ids.includes(model) || e.models.includes(model) || e.pattern?.test(model)),
  )?.name;
}
