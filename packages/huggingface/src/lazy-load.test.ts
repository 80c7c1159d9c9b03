import assert from "node:assert/strict";
import { test } from "node:test";
import { runWithSdkProbe } from "@aiconfig-ts/testing";

test("importing the package and registering its providers does not load the SDK; the first run does", () => {
  const idle = runWithSdkProbe(
    "@huggingface/inference",
    `const m = await import("@aiconfig-ts/huggingface"); m.register(); console.log("providers", m.huggingFaceProviders.length);`,
  );
  assert.match(idle, /providers 7/);
  assert.doesNotMatch(idle, /SDK LOADED/);
  const used = runWithSdkProbe(
    "@huggingface/inference",
    `const m = await import("@aiconfig-ts/huggingface");
     const ctx = { prompt: { name: "p", input: "" }, settings: {}, env: {}, signal: new AbortController().signal };
     await m.summarizationProvider.run({ task: "Summarization", model: "a/b", provider: "auto", args: { inputs: "x" } }, ctx).catch((e) => console.log(e.name));`,
  );
  assert.match(used, /SDK LOADED/);
  assert.match(used, /MissingAccessTokenError/);
});
