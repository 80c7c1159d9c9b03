import assert from "node:assert/strict";
import { test } from "node:test";
import { ProviderVersionError } from "./errors.js";
import type { Provider } from "./provider.js";
import { ProviderRegistry } from "./registry.js";

test("a provider module built against another specification version is refused with one line naming it", () => {
  const future = { specificationVersion: "v2", id: "future", resolve: () => ({}), run: async () => [] } as unknown as Provider;
  const registry = new ProviderRegistry();
  assert.throws(
    () => registry.register(future),
    (error: unknown) =>
      error instanceof ProviderVersionError &&
      /provider "future" implements provider specification v2, but this @aiconfig-ts\/core implements v1/.test(error.message) &&
      !error.message.includes("\n"),
  );
  assert.equal(registry.get("future"), undefined);
  registry.register({ specificationVersion: "v1", id: "current", resolve: () => ({}), run: async () => [] });
  registry.register({ id: "unversioned", resolve: () => ({}), run: async () => [] });
  assert.deepEqual(
    registry.list().map((p) => p.id),
    ["current", "unversioned"],
  );
});
