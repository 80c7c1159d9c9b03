import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { type AIConfig, ProviderRegistry } from "@aiconfig-ts/core";
import { corpusFiles } from "@aiconfig-ts/testing";
import { PROVIDER_PACKAGES, promptModels, registerBuiltinProviders, registerLazyProviders } from "./builtin-providers.js";
import { PROVIDER_PACKAGE_ENTRIES } from "./provider-entries.js";

type ProviderPackage = { register(registry: ProviderRegistry): unknown };

/** Every provider id, alias and model name the installed packages register, the corpus's models, and names their patterns are for. */
async function namesToCheck(): Promise<string[]> {
  const names = new Set<string>([
    "gpt-6",
    "o3-pro",
    "dall-e-4",
    "gpt-4o-realtime-preview",
    "text-embedding-3-small",
    "claude-opus-4-1",
    "us.anthropic.claude-3-5-sonnet-20240620-v1:0",
    "gemini-2.5-pro",
    "models/gemini-1.5-flash",
    "text-bison-001",
    "meta-llama/Llama-3.1-8B-Instruct",
    "TheBloke/Llama-2-7B-GGUF/llama-2-7b.Q4_K_M.gguf",
    "tinyllama.gguf",
    "stories260K",
    "no-such-model",
  ]);
  for (const file of corpusFiles().filter((f) => f.endsWith(".json"))) {
    try {
      for (const m of promptModels(JSON.parse(readFileSync(file, "utf8")) as AIConfig)) names.add(m);
    } catch {
      // A corpus file that is not valid JSON (the trailing-comma one) has no models to add.
    }
  }
  for (const name of PROVIDER_PACKAGES) {
    const registry = new ProviderRegistry();
    ((await import(name)) as ProviderPackage).register(registry);
    for (const p of registry.list()) for (const id of [p.id, ...(p.aliases ?? [])]) names.add(id);
    for (const m of registry.modelNames()) names.add(m);
  }
  return [...names];
}

test("each lazy entry names the same provider ids and aliases as its package registers", async () => {
  for (const entry of PROVIDER_PACKAGE_ENTRIES) {
    const registry = new ProviderRegistry();
    ((await import(entry.name)) as ProviderPackage).register(registry);
    const ids = registry.list().flatMap((p) => [p.id, ...(p.aliases ?? [])]);
    assert.deepEqual([...new Set(entry.ids)].sort(), [...new Set(ids)].sort(), entry.name);
  }
});

test("lazy entries pick the same provider as registering every package up front, for every name the packages and the corpus use", async () => {
  const eager = new ProviderRegistry();
  assert.deepEqual(await registerBuiltinProviders(eager), []);
  const names = await namesToCheck();
  for (const name of names) {
    const lazy = new ProviderRegistry();
    registerLazyProviders(lazy);
    await lazy.loadFor([name]);
    assert.equal(lazy.find(name)?.id, eager.find(name)?.id, `model "${name}"`);
  }
  const all = new ProviderRegistry();
  registerLazyProviders(all);
  await all.loadFor(names);
  for (const name of names) assert.equal(all.find(name)?.id, eager.find(name)?.id, `model "${name}" (all loaded at once)`);
});
