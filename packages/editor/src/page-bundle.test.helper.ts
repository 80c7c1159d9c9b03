/**
 * Test support: bundles code for a page as the static site's page is built
 * (esbuild, `platform: "browser"`, the `source` condition for the workspace's
 * TypeScript), so tests run core, the editor's routes and providers as a browser gets them.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * One ES module of `contents` (resolved from this folder) and everything it imports.
 * @param loader `ts` or `js`
 */
export async function bundleForPage(contents: string, loader: "ts" | "js" = "ts"): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: fileURLToPath(new URL(".", import.meta.url)), loader },
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    conditions: ["source"],
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
