import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { build } from "esbuild";

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Bundles `entry` for a browser as the site's page is built (esbuild `platform: "browser"`, the
 * `source` condition for the workspace's TypeScript) with Node's built-in modules left external,
 * and returns each module of the bundle that imports one (`file -> node:fs`).
 */
async function nodeModulesReached(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    conditions: ["source"],
    external: [...NODE_BUILTINS],
    metafile: true,
    logLevel: "silent",
  });
  const reached: string[] = [];
  for (const [file, input] of Object.entries(result.metafile.inputs))
    for (const imp of input.imports)
      if (NODE_BUILTINS.has(imp.path) || imp.path.startsWith("node:")) reached.push(`${file} -> ${imp.path}`);
  return reached;
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

describe("what a page bundles reaches no node: module", () => {
  test("core's browser entry (@aiconfig-ts/core/browser)", async () => {
    assert.deepEqual(await nodeModulesReached(here("../../core/src/browser.ts")), []);
  });

  test("the editor's routes entry (@aiconfig-ts/editor/routes) over core's browser condition", async () => {
    assert.deepEqual(await nodeModulesReached(here("./routes.ts")), []);
  });

  // the key-based providers a page calls with the visitor's key (their SDKs' browser builds, loaded lazily)
  for (const provider of ["openai", "anthropic", "gemini", "huggingface"])
    test(`the ${provider} provider (@aiconfig-ts/${provider}), its SDK included`, async () => {
      assert.deepEqual(await nodeModulesReached(here(`../../${provider}/src/index.ts`)), []);
    });

  test("the check itself fails on a module that reaches node: (the Node entry of core)", async () => {
    const reached = await nodeModulesReached(here("../../core/src/index.ts"));
    assert.ok(
      reached.some((r) => r.includes("trusted-folders.ts -> node:fs")),
      reached.join("\n"),
    );
  });
});
