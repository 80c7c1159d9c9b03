/**
 * How the `aiconfig` command reports an error: one line per problem on
 * stderr, no stack (set `AICONFIG_DEBUG=1` for one), and its exit code.
 */
import { AIConfigError, UnknownModelError } from "@aiconfig-ts/core";
import { inspect } from "node:util";
import { CommanderError } from "commander";
import { missingProviderPackages } from "./builtin-providers.js";
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
