import assert from "node:assert/strict";
import { test } from "node:test";
import { runWithSdkProbe } from "@aiconfig-ts/testing";

test("importing the package and registering its providers does not load the SDK; the first run does", () => {
  const idle = runWithSdkProbe(
    "@google/genai",
    `const m = await import("@aiconfig-ts/gemini"); m.register(); console.log("provider", m.geminiProvider.id);`,
  );
  assert.match(idle, /provider gemini/);
  assert.doesNotMatch(idle, /SDK LOADED/);
  const used = runWithSdkProbe(
    "@google/genai",
    `const m = await import("@aiconfig-ts/gemini");
     const ctx = { prompt: { name: "p", input: "" }, settings: {}, env: { GEMINI_API_KEY: "k", GOOGLE_GEMINI_BASE_URL: "http://127.0.0.1:9" }, signal: new AbortController().signal, streaming: false, stream() {} };
     await m.geminiProvider.run({ model: "gemini-2.5-flash", contents: [{ role: "user", parts: [{ text: "hi" }] }] }, ctx).then(() => console.log("ran"), (e) => console.log("failed", e.name));`,
  );
  assert.match(used, /SDK LOADED/);
  assert.match(used, /failed/);
});
