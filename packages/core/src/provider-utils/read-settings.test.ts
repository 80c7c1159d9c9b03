import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidSettingError } from "../errors.js";
import { describeSettingSchema, readSettings } from "./read-settings.js";

/** A schema shaped as the local providers' are (constructed for this test). */
const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    speed: { type: "integer", minimum: 80, maximum: 450, default: 175 },
    temperature: { type: "number", minimum: 0, maximum: 2 },
    voice: { type: "string", minLength: 1, default: "en-us" },
    ssml: { type: "boolean", default: false },
    psm: { type: "integer", enum: [3, 4, 6] },
    stop: { type: ["string", "array"], items: { type: "string" } },
  },
};

describe("readSettings", () => {
  test("given values are kept, absent ones get the schema's default, unknown settings are dropped, null is absent", () => {
    const read = readSettings<Record<string, unknown>>(schema, { speed: 200, other: "x", ssml: null }, 'prompt "p"');
    assert.deepEqual(read, { speed: 200, voice: "en-us", ssml: false });
  });

  test("defaults: false leaves absent settings out", () => {
    assert.deepEqual(readSettings(schema, { temperature: 1 }, 'prompt "p"', { defaults: false }), { temperature: 1 });
  });

  test("a bad value is one line naming the place, the setting, what it takes and what it got", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ speed: 20 }, 'prompt "p": setting "speed" must be an integer from 80 to 450, got 20'],
      [{ temperature: "hot" }, 'prompt "p": setting "temperature" must be a number from 0 to 2, got "hot"'],
      [{ voice: "" }, 'prompt "p": setting "voice" must be a non-empty string, got ""'],
      [{ ssml: "yes" }, 'prompt "p": setting "ssml" must be true or false, got "yes"'],
      [{ psm: 5 }, 'prompt "p": setting "psm" must be one of 3, 4, 6, got 5'],
      [{ stop: 3 }, 'prompt "p": setting "stop" must be a string or a list of strings, got 3'],
    ];
    for (const [settings, message] of cases) {
      assert.throws(
        () => readSettings(schema, settings as never, 'prompt "p"'),
        (e: unknown) => InvalidSettingError.isInstance(e) && e.message === message,
        message,
      );
    }
  });

  test("a package keeps its error class and words where the schema says too little", () => {
    class SpeechSettingsError extends InvalidSettingError {
      override name = "SpeechSettingsError";
    }
    assert.throws(
      () =>
        readSettings(schema, { voice: "" }, 'prompt "p"', {
          expected: { voice: "an espeak-ng voice name" },
          invalid: (m) => new SpeechSettingsError(m),
        }),
      (e: unknown) => e instanceof SpeechSettingsError && /must be an espeak-ng voice name, got ""$/.test(e.message),
    );
  });

  test("describeSettingSchema reads alternatives", () => {
    assert.equal(describeSettingSchema({ oneOf: [{ type: "string" }, { type: "object" }] }), "a string or an object");
    assert.equal(describeSettingSchema({ type: "integer", minimum: 1 }), "an integer >= 1");
  });
});
