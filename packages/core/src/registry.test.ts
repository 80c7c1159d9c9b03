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

test("lazy entries: only the packages the models need are imported, and lookups then match registering everything up front", async () => {
  // Constructed packages: "gpt" serves gpt-* by pattern and gpt-4 by name; "local" (added later) also serves *-local by pattern.
  const gptPackage = {
    register: (r: ProviderRegistry) =>
      r.register(
        provider("gpt", ["OldGptParser"], (m) => m.startsWith("gpt-")),
        ["gpt-4"],
      ),
  };
  const localPackage = { register: (r: ProviderRegistry) => r.register(provider("local", [], (m) => m.endsWith("-local"))) };
  const imported: string[] = [];
  const importing = <T>(name: string, pkg: T) => {
    imported.push(name);
    return pkg;
  };
  const lazyRegistry = () => {
    const r = new ProviderRegistry();
    r.registerLazy({
      ids: ["gpt", "OldGptParser"],
      models: ["gpt-4"],
      servesModel: (m) => m.startsWith("gpt-"),
      load: async () => importing("gpt", gptPackage),
    });
    r.registerLazy({ ids: ["local"], servesModel: (m) => m.endsWith("-local"), load: async () => importing("local", localPackage) });
    return r;
  };
  const lazy = lazyRegistry();
  assert.equal(lazy.find("gpt-4"), undefined, "nothing is imported before loadFor");
  await lazy.loadFor(["gpt-4"]);
  assert.deepEqual(imported, ["gpt"]);
  assert.equal(lazy.find("gpt-4")?.id, "gpt");
  await lazy.loadFor(["gpt-4", "gpt-5", "unknown-model"]);
  assert.deepEqual(imported, ["gpt"], "a loaded package is not imported again; a model nothing serves imports nothing");

  const eager = new ProviderRegistry();
  gptPackage.register(eager);
  localPackage.register(eager);
  const models = ["gpt-4", "gpt-5", "gpt-local", "OldGptParser", "unknown-model"];
  const all = lazyRegistry();
  await all.loadFor(models);
  for (const model of models) assert.equal(all.find(model)?.id, eager.find(model)?.id, model);

  const mapped = lazyRegistry();
  await mapped.loadFor(["my-model"], { "my-model": "OldGptParser" });
  assert.equal(mapped.find("my-model", { "my-model": "OldGptParser" })?.id, "gpt");
});

test("a model no provider serves names the providers registered and those of lazy entries not imported yet", async () => {
  const r = new ProviderRegistry();
  r.register(provider("echo", [], (m) => m === "echo"));
  r.registerLazy({ ids: ["gpt", "OldGptParser"], servesModel: (m) => m.startsWith("gpt-"), load: async () => ({ register: () => {} }) });
  r.registerLazy({ ids: ["local"], load: async () => ({ register: () => {} }) });
  assert.throws(() => r.forModel("mystery", undefined, "ask"), {
    name: "UnknownModelError",
    message:
      'no provider serves model "mystery" (prompt "ask"): map it in metadata.model_parsers to one of the registered providers: echo, gpt, local',
  });
  assert.throws(
    () => new ProviderRegistry(r).forModel("mystery"),
    /registered providers: echo, gpt, local$/,
    "a runtime's registry names its parent's too",
  );
});
