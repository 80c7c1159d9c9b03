import assert from "node:assert/strict";
import { test } from "node:test";
import { runWithSdkProbe } from "@aiconfig-ts/testing";

test("importing the package and registering its providers does not load the SDK; the first run does", () => {
  const idle = runWithSdkProbe(
    "@anthropic-ai/sdk",
    `const m = await import("@aiconfig-ts/anthropic"); m.register(); console.log("provider", m.anthropicProvider.id);`,
  );
  assert.match(idle, /provider anthropic/);
  assert.doesNotMatch(idle, /SDK LOADED/);
  const used = runWithSdkProbe(
    "@anthropic-ai/sdk",
    `const m = await import("@aiconfig-ts/anthropic");
     const ctx = { prompt: { name: "p", input: "" }, settings: { max_retries: 0 }, env: { ANTHROPIC_API_KEY: "k", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" }, signal: new AbortController().signal, streaming: false, stream() {} };
     await m.anthropicProvider.run({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, ctx).then(() => console.log("ran"), (e) => console.log("failed", e.name));`,
  );
  assert.match(used, /SDK LOADED/);
  assert.match(used, /failed/);
});
