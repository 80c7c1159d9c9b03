import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseConfigText, validateSettings } from "@aiconfig-ts/core";
import { corpusFiles } from "@aiconfig-ts/testing";
import { readFileSync } from "node:fs";
import { chatSettingsSchema } from "./chat/chat-settings-schema.js";
import { imageSettingsSchema } from "./image/image-settings-schema.js";
import { speechSettingsSchema } from "./speech/speech-settings-schema.js";
import { transcriptionSettingsSchema } from "./transcription/transcription-settings-schema.js";
import { onePrompt, testRegistry } from "./test-support.test.helper.js";

describe("settings schemas", () => {
  test("each is a draft-07 object schema whose properties have a type or choices, and a description", () => {
    for (const schema of [chatSettingsSchema, imageSettingsSchema, speechSettingsSchema, transcriptionSettingsSchema]) {
      assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
      assert.equal(schema.type, "object");
      for (const [key, prop] of Object.entries(schema.properties as Record<string, Record<string, unknown>>)) {
        assert.ok(prop.type !== undefined || prop.oneOf !== undefined || prop.enum !== undefined, `${key} has a type`);
        assert.equal(typeof prop.description, "string", `${key} has a description`);
      }
    }
  });

  test("every setting in the corpus files that run on these providers is valid", () => {
    const registry = testRegistry();
    let checked = 0;
    for (const file of corpusFiles()) {
      let doc: ReturnType<typeof parseConfigText>;
      try {
        doc = parseConfigText(readFileSync(file, "utf8"), file);
      } catch {
        continue; // files that do not parse are the parser's tests
      }
      assert.deepEqual(validateSettings(doc, file, registry), [], file);
      checked++;
    }
    assert.ok(checked > 40);
  });

  test("bad values are reported with the setting and the provider", () => {
    const doc = { data: onePrompt("hi", { name: "gpt-4", settings: { temperature: "hot", n: 0, max_retries: -1, preset: "nowhere" } }) };
    const messages = validateSettings(doc, "x.aiconfig.json", testRegistry()).map((p) => p.message);
    assert.deepEqual(messages.sort(), [
      'setting "max_retries" must be >= 0 for provider "openai" (prompt "p")',
      'setting "n" must be >= 1 for provider "openai" (prompt "p")',
      `setting "preset" must be one of ${["openai", "openai-compatible", "azure-openai", "ollama", "groq", "llama-cpp-server", "together", "fireworks", "openrouter", "deepseek", "vllm", "lm-studio"].map((n) => JSON.stringify(n)).join(", ")} for provider "openai" (prompt "p")`,
      'setting "temperature" must be of type number for provider "openai" (prompt "p")',
    ]);
  });
});
