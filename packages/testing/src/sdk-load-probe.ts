/**
 * Checks that a provider package loads its SDK lazily: runs code in a fresh
 * Node process (on the TypeScript sources) with a module hook that prints
 * `SDK LOADED` on stderr whenever a specifier starting with `sdk` is resolved.
 */
import { spawnSync } from "node:child_process";
import { repoRoot } from "./shared-paths.js";

/**
 * Runs ES module code in a child process and returns its stderr and stdout;
 * the text holds `SDK LOADED` if the code imported the SDK.
 * @param sdk specifier prefix of the SDK, e.g. `"@anthropic-ai/sdk"`
 * @param code module code to run (top-level await allowed)
 * @throws {Error} when the child process fails, with its stderr
 */
export function runWithSdkProbe(sdk: string, code: string): string {
  const hooks = `export async function resolve(s, c, next) { if (s.startsWith(${JSON.stringify(sdk)})) process.stderr.write("SDK LOADED\\n"); return next(s, c); }`;
  const register = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  const result = spawnSync(
    process.execPath,
    [
      "--conditions=source",
      "--import",
      "tsx",
      "--import",
      `data:text/javascript,${encodeURIComponent(register)}`,
      "--input-type=module",
      "-e",
      code,
    ],
    { cwd: repoRoot, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`child process failed (${result.status}): ${result.stderr}`);
  return result.stderr + result.stdout;
}
