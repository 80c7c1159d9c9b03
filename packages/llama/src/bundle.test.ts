import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

// The published entry points (package.json's `exports`, `default` condition): scripts/build-bundle.mjs's output.
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const exportsMap = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).exports as Record<string, { default: string }>;
const published = (entry: string) => join(packageDir, exportsMap[entry]!.default);

type Index = typeof import("./index.js");
type Portable = typeof import("./portable.js");
type EngineStart = typeof import("./engine-start.js");

describe("the published bundle of @aiconfig-ts/llama (npm run build)", () => {
  let index: Index;
  let portable: Portable;
  let engineStart: EngineStart;
  before(async () => {
    for (const entry of [".", "./portable", "./engine-start"])
      assert.ok(existsSync(published(entry)), `${published(entry)} is missing: run npm run build`);
    index = await import(pathToFileURL(published(".")).href);
    portable = await import(pathToFileURL(published("./portable")).href);
    engineStart = await import(pathToFileURL(published("./engine-start")).href);
  });
  after(() => index?.disposeLlama());

  test("its entries share one copy of each module: ./portable's error classes and facts are the provider's", () => {
    assert.equal(portable.LlamaSettingsError, index.LlamaSettingsError);
    assert.equal(portable.ModelNotFoundError, index.ModelNotFoundError);
    assert.equal(portable.DEFAULT_MODEL, index.DEFAULT_MODEL);
    assert.equal(portable.llamaSettingsSchema, index.llamaSettingsSchema);
  });

  test("the engine ./engine-start starts is the provider's: disposeLlama forgets it, and the next start is a new one", async () => {
    const started = engineStart.startEngine();
    assert.equal(engineStart.startEngine(), started, "one start while it runs");
    await index.disposeLlama();
    const next = engineStart.startEngine();
    assert.notEqual(next, started, "the package's disposeLlama forgot the engine of ./engine-start");
    await next;
  });

  test("it imports only core, node-llama-cpp, Node's built-ins and its own files (node-llama-cpp finds its binaries beside its own files)", () => {
    const dir = join(packageDir, "dist", "bundle");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    assert.ok(files.length >= 3 && files.length <= 8, `a few files, not one per module: ${files.join(", ")}`);
    for (const file of files) {
      const text = readFileSync(join(dir, file), "utf8");
      for (const [, specifier] of text.matchAll(/(?:\bfrom|\bimport\s*\(?)\s*["']([^"']+)["']/g)) {
        const allowed =
          specifier === "@aiconfig-ts/core" ||
          specifier === "node-llama-cpp" ||
          specifier!.startsWith("node:") ||
          (specifier!.startsWith("./") && files.includes(join(file, "..", specifier!)));
        assert.ok(allowed, `${file} imports ${specifier}`);
      }
    }
  });
});
