import assert from "node:assert/strict";
import { test } from "node:test";
import { describeSetting, effectiveSetting } from "./settings-source";

test("a setting's effective value: the prompt's, else the file's for the model, else the provider's default", () => {
  const own = { temperature: 0.2 };
  const file = { temperature: 0, max_tokens: 80 };
  assert.deepEqual(effectiveSetting("temperature", own, file, 0.8), { value: 0.2, source: "prompt" });
  assert.deepEqual(effectiveSetting("max_tokens", own, file, 256), { value: 80, source: "file" });
  assert.deepEqual(effectiveSetting("top_p", own, file, 1), { value: 1, source: "provider" });
  assert.deepEqual(effectiveSetting("stop", own, file, undefined), { value: undefined, source: "unset" });
  assert.equal(describeSetting(effectiveSetting("max_tokens", own, file, 256), "gpt-4"), "80 from the file's settings for gpt-4");
  assert.equal(describeSetting(effectiveSetting("top_p", own, file, 1), "gpt-4"), "1 provider default");
  assert.equal(
    describeSetting(effectiveSetting("temperature", file, undefined, 0.8, "file"), "gpt-4"),
    "0 from the file's settings for gpt-4",
  );
});
