import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Ajv } from "ajv";
import { schemaCheckWithoutEval } from "./schema-check-without-eval.js";

// Constructed: a settings schema with the keywords providers' settings schemas use
// (types, ranges, enum, minLength, anyOf of a string or a list, required).
const schema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    temperature: { type: "number", minimum: 0, maximum: 2 },
    max_tokens: { type: "integer", minimum: 1 },
    psm: { type: "integer", enum: [3, 4, 6] },
    voice: { type: "string", minLength: 1 },
    stop: {
      anyOf: [
        { type: "string", minLength: 1 },
        { type: "array", items: { type: "string", minLength: 1 } },
      ],
    },
    ssml: { type: "boolean" },
  },
  required: ["voice"],
};

const cases: [string, unknown][] = [
  ["valid", { voice: "en-us", temperature: 0.5, max_tokens: 10, psm: 6, stop: ["\n"], ssml: true }],
  ["a string for a number", { voice: "en", temperature: "hot" }],
  ["below the minimum", { voice: "en", temperature: -1 }],
  ["above the maximum", { voice: "en", temperature: 3 }],
  ["a fraction for an integer", { voice: "en", max_tokens: 2.5 }],
  ["not in the enum", { voice: "en", psm: 5 }],
  ["an empty string", { voice: "" }],
  ["an empty string in a list", { voice: "en", stop: [""] }],
  ["a required property missing", { temperature: 1 }],
  ["a number for a boolean", { voice: "en", ssml: 1 }],
];

describe("schemaCheckWithoutEval (a page's settings check, no new Function)", () => {
  const ajv = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const check = schemaCheckWithoutEval(schema);
  for (const [name, data] of cases) {
    test(`${name}: the same verdict and failing setting as ajv`, () => {
      const ours = check(data);
      assert.equal(ours, ajv(data));
      if (ours) return assert.equal(check.errors, null);
      const first = check.errors?.[0];
      const ajvFirst = ajv.errors?.[0];
      assert.ok(first && ajvFirst);
      const setting = (e: { instancePath: string; params: { missingProperty?: unknown } }) =>
        e.instancePath.split("/")[1] ?? e.params.missingProperty;
      assert.equal(setting(first), setting(ajvFirst), JSON.stringify(check.errors));
    });
  }
  test("ajv's params for type, enum, ranges and required", () => {
    check({ voice: "en", temperature: "hot" });
    assert.deepEqual(check.errors?.[0], {
      instancePath: "/temperature",
      keyword: "type",
      params: { type: "number" },
      message: "must be number",
    });
    check({ voice: "en", psm: 5 });
    assert.deepEqual(check.errors?.[0]?.params, { allowedValues: [3, 4, 6] });
    check({ voice: "en", temperature: -1 });
    assert.equal(check.errors?.[0]?.message, "must be >= 0");
    check({});
    assert.deepEqual(check.errors?.[0]?.params, { missingProperty: "voice" });
  });
  test("it runs where eval is forbidden: the check makes no function from text", () => {
    const saved = globalThis.Function;
    const forbidden = new Proxy(saved, {
      construct() {
        throw new EvalError("refused by the Content-Security-Policy (test)");
      },
      apply() {
        throw new EvalError("refused by the Content-Security-Policy (test)");
      },
    });
    (globalThis as { Function: FunctionConstructor }).Function = forbidden;
    try {
      const fresh = schemaCheckWithoutEval({ type: "object", properties: { n: { type: "integer" } } });
      assert.equal(fresh({ n: 1 }), true);
      assert.equal(fresh({ n: "x" }), false);
    } finally {
      (globalThis as { Function: FunctionConstructor }).Function = saved;
    }
  });
});
