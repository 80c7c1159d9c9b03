// Settings checks in Node: an interpreting screen (@cfworker/json-schema) passes valid settings without
// compiling anything; whatever it rejects is decided by ajv, whose verdict and errors stand.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { settingsValidator } from "./validate-settings.js";

const require = createRequire(import.meta.url);
const Ajv = require("ajv") as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };

// constructed: the kinds of constraint providers' settings schemas use
const schema = {
  type: "object",
  properties: {
    model: { type: "string" },
    temperature: { type: "number", minimum: 0, maximum: 2 },
    max_tokens: { type: "integer", exclusiveMinimum: 0 },
    stop: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" }, maxItems: 4 }] },
    response_format: { type: "object", properties: { type: { enum: ["text", "json_object", "json_schema"] } }, required: ["type"] },
    base_url: { type: "string", format: "uri" },
    voice: { type: "string", pattern: "^[a-z]+(-[a-z]+)?$" },
  },
  additionalProperties: true,
};

const cases: unknown[] = [
  {},
  { model: "gpt-4o", temperature: 0.7, max_tokens: 256, stop: ["\n"], response_format: { type: "json_object" } },
  { temperature: 2 },
  { temperature: "hot" },
  { temperature: -1 },
  { max_tokens: 0 },
  { max_tokens: 1.5 },
  { stop: ["a", "b", "c", "d", "e"] },
  { stop: 3 },
  { response_format: {} },
  { response_format: { type: "xml" } },
  { voice: "en-us" },
  { voice: "EN US" },
  // ajv, without its formats package, does not check "format": the screen does, and ajv's verdict stands
  { base_url: "not a url" },
  { extra: { nested: [1, 2, 3] } },
  "not an object",
  null,
];

describe("settingsValidator (Node)", () => {
  it("gives ajv's verdict and ajv's errors for valid and invalid settings alike", () => {
    const check = settingsValidator(schema);
    const ajv = new Ajv({ allErrors: true, strict: false }).compile(schema);
    for (const data of cases) {
      const expected = ajv(data);
      assert.equal(check(data), expected, JSON.stringify(data));
      assert.deepEqual(check.errors ?? null, expected ? null : ajv.errors, JSON.stringify(data));
    }
  });

  it("is made once per schema object and keeps no errors from an earlier call", () => {
    const check = settingsValidator(schema);
    assert.equal(settingsValidator(schema), check);
    assert.equal(check({ temperature: "hot" }), false);
    assert.ok(check.errors?.length);
    assert.equal(check({ temperature: 1 }), true);
    assert.equal(check.errors, null);
  });
});
