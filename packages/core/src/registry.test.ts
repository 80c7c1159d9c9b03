import assert from "node:assert/strict";
import { test } from "node:test";
import type { Provider } from "./provider.js";
import { ProviderRegistry } from "./registry.js";

const provider = (id: string, aliases: string[] = [], serves?: (m: string) => boolean): Provider => ({
  id,
  aliases,
  servesModel: serves,
  resolve: () => ({}),
  run: async () => [],
});

test("lookup order: model_parsers, registered model names, ids and aliases, servesModel (newest first), parent last", () => {
  const parent = new ProviderRegistry();
  parent.register(
    provider("p-any", [], () => true),
    ["shared-model"],
  );
  const child = new ProviderRegistry(parent);
  child.register(
    provider("gpt", ["OldGptParser"], (m) => m.startsWith("gpt-")),
    ["gpt-4"],
  );
  child.register(provider("newer-gpt", [], (m) => m.startsWith("gpt-")));
  assert.equal(child.find("gpt-4")?.id, "gpt");
  assert.equal(child.find("gpt-5")?.id, "newer-gpt");
  assert.equal(child.find("OldGptParser")?.id, "gpt");
  assert.equal(child.find("whatever", { whatever: "OldGptParser" })?.id, "gpt");
  assert.equal(child.find("shared-model")?.id, "p-any");
  assert.equal(child.find("other")?.id, "p-any");
  assert.deepEqual(child.modelNames().sort(), ["gpt-4", "shared-model"]);
  assert.deepEqual(
    child.list().map((p) => p.id),
    ["gpt", "newer-gpt", "p-any"],
  );
  assert.ok(child.unregister("gpt"));
  assert.equal(child.find("gpt-4")?.id, "newer-gpt");
  assert.throws(() => new ProviderRegistry().forModel("m", undefined, "p"), /no provider serves model "m" \(prompt "p"\)/);
});
