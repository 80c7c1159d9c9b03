import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AIConfigRuntime, type Provider, ProviderRegistry, type RunContext } from "./index.js";

/**
 * A constructed provider that keeps the context it was given and answers
 * with bytes stored through a `storeBinary` taken off a spread copy, called
 * unbound (as wrappers and the Gemini provider do).
 */
function keepingProvider(seen: RunContext[]): Provider {
  return {
    id: "keep",
    servesModel: () => true,
    resolve: () => ({}),
    async run(_request, ctx) {
      seen.push(ctx);
      const copy = { ...ctx, reportRateLimit: () => {} };
      const { storeBinary } = copy;
      const data = await storeBinary(new TextEncoder().encode("RIFF"), "audio/wav");
      return [{ output_type: "execute_result", data, mime_type: "audio/wav" }];
    },
  };
}

function runtime(seen: RunContext[]): AIConfigRuntime {
  const rt = AIConfigRuntime.loadJSON(
    {
      name: "constructed",
      schema_version: "latest",
      metadata: { default_model: "m" },
      prompts: [{ name: "p", input: "hi" }],
    },
    { registry: new ProviderRegistry(), env: {} },
  );
  rt.registry.register(keepingProvider(seen));
  return rt;
}

describe("the run context a provider gets", () => {
  test("a spread copy keeps every member (signal and storeBinary included) and storeBinary works unbound", async () => {
    const seen: RunContext[] = [];
    const outputs = await runtime(seen).run("p");
    assert.deepEqual(outputs[0]?.data, { kind: "base64", value: "UklGRg==" });
    const ctx = seen[0]!;
    const copy = { ...ctx };
    for (const key of ["prompt", "model", "settings", "signal", "cancellable", "streaming", "stream", "configDir", "env", "storeBinary"])
      assert.ok(key in copy, `a spread copy has ${key}`);
    assert.equal(copy.signal, ctx.signal, "the copy's signal is the run's");
    assert.equal(ctx.cancellable, false);
    assert.equal(ctx.signal.aborted, false);
    assert.equal("allowedEndpoints" in ctx, false, "absent when the caller gives none");
    assert.equal("warn" in ctx, false, "absent when the caller gives none");
  });

  test("each run gets its own signal, which follows the caller's, and the allowed endpoints and warning hook it was given", async () => {
    const seen: RunContext[] = [];
    const rt = runtime(seen);
    const controller = new AbortController();
    const warn = () => {};
    await rt.run("p", {}, { signal: controller.signal, allowedEndpoints: ["example.com"], onWarning: warn });
    await rt.run("p", {}, { signal: controller.signal });
    const [first, second] = seen as [RunContext, RunContext];
    assert.equal(first.cancellable, true);
    assert.deepEqual(first.allowedEndpoints, ["example.com"]);
    assert.equal(first.warn, warn);
    assert.notEqual(first.signal, second.signal);
    assert.equal(first.signal, first.signal, "one signal per run");
    controller.abort(new Error("stop"));
    assert.equal(first.signal.aborted, true);
    assert.equal(second.signal.aborted, true);
  });
});
