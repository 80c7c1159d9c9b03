import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ProviderRegistry } from "@aiconfig-ts/core";
import { tempDir } from "../browser.test.helper.js";
import { TEST_PROVIDERS_MODULE } from "../server.test.helper.js";
import { ProvidersModuleError, findProvidersModule, loadProvidersModule } from "./load-providers-module.js";

test("a JavaScript providers module registers its providers and model names", async () => {
  const registry = new ProviderRegistry();
  assert.equal(await loadProvidersModule(TEST_PROVIDERS_MODULE, registry), TEST_PROVIDERS_MODULE);
  assert.deepEqual(
    registry.list().map((p) => p.id),
    ["tone", "media", "echo", "fails", "burst"],
  );
  assert.equal(registry.find("slow-echo")?.id, "echo");
});

test("a TypeScript providers module with a default export is loaded through tsx", async () => {
  const dir = tempDir();
  const file = join(dir, "aiconfig.providers.ts");
  writeFileSync(
    file,
    `import type { ProviderRegistry } from "@aiconfig-ts/core";
const shout = { id: "shout", resolve: (ctx: { input: { text: string } }) => ctx.input.text.toUpperCase(), run: async (text: string) => [{ output_type: "execute_result" as const, data: text }] };
export default function (registry: ProviderRegistry): void {
  registry.register(shout as never, ["shout-1"]);
}
`,
  );
  assert.equal(findProvidersModule(join(dir, "x.aiconfig.json")), file);
  const registry = new ProviderRegistry();
  await loadProvidersModule(file, registry);
  assert.equal(registry.find("shout-1")?.id, "shout");
});

test("findProvidersModule prefers .js, then .mjs, then .ts, and finds none in an empty folder", () => {
  const dir = tempDir();
  assert.equal(findProvidersModule(join(dir, "a.aiconfig.json")), undefined);
  writeFileSync(join(dir, "aiconfig.providers.ts"), "");
  writeFileSync(join(dir, "aiconfig.providers.mjs"), "");
  assert.equal(findProvidersModule(join(dir, "a.aiconfig.json")), join(dir, "aiconfig.providers.mjs"));
});

test("a broken providers module gets one clear error naming it", async () => {
  const dir = tempDir();
  const cases: [string, string, RegExp][] = [
    ["syntax.mjs", "export function register( {", /^providers module .*syntax\.mjs failed to load: /],
    [
      "missing-dep.mjs",
      'import "no-such-package-here";\nexport function register() {}',
      /missing-dep\.mjs failed to load: .*no-such-package-here/,
    ],
    ["no-register.mjs", "export const x = 1;", /no-register\.mjs exports no register function/],
    [
      "throws.mjs",
      'export function register() { throw new Error("boom in register"); }',
      /throws\.mjs failed in register\(\): boom in register$/,
    ],
    ["bad.ts", "export function register(: number) {}", /bad\.ts failed to load: /],
  ];
  for (const [name, code, message] of cases) {
    const file = join(dir, name);
    writeFileSync(file, code);
    await assert.rejects(loadProvidersModule(file, new ProviderRegistry()), (e: unknown) => {
      assert.ok(e instanceof ProvidersModuleError, name);
      assert.equal(e.module, file);
      assert.match(e.message, message);
      assert.ok(!e.message.includes("\n"), "one line");
      return true;
    });
  }
  await assert.rejects(
    loadProvidersModule(join(dir, "nope.mjs"), new ProviderRegistry()),
    /nope\.mjs does not exist: check the --providers path/,
  );
});
