import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { corpusFile, corpusFiles } from "@aiconfig-ts/testing";
import { aiconfigSchema } from "./aiconfig-schema.js";
import { formatProblem, ValidationError } from "./errors.js";
import { parseConfigText, readConfigFile } from "./parse.js";
import { AJV_OPTIONS, schemaErrors, splitAIConfigSchema } from "./schema-errors.js";
import { assertValidConfig, validateConfig } from "./validate.js";

const exampleJson = corpusFile("vscode-extension__static__example.aiconfig.json");
const exampleYaml = corpusFile("vscode-extension__static__example.aiconfig.yaml");

/** A corpus file's text with one exact snippet replaced (the snippet must occur once). */
function broken(file: string, from: string, to: string): string {
  const text = readFileSync(file, "utf8");
  assert.equal(text.split(from).length, 2, `snippet must occur once: ${from}`);
  return text.replace(from, to);
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const before = text.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function validateText(text: string, file: string) {
  const doc = parseConfigText(text, file);
  return validateConfig(doc.data, doc);
}

describe("validateConfig: the schema", () => {
  it("embeds exactly the published schema file", () => {
    const file = JSON.parse(readFileSync(new URL("./schema/aiconfig.schema.json", import.meta.url), "utf8"));
    assert.deepEqual(aiconfigSchema, file);
  });

  it("accepts the corpus example and extra properties at every level", () => {
    const doc = readConfigFile(exampleJson);
    assert.deepEqual(validateConfig(doc.data, doc), []);
    const extra = {
      name: "x",
      schema_version: { major: 1, minor: 0 },
      my_root: [1],
      metadata: { my_meta: true, models: { m: { any: "thing" } } },
      prompts: [
        {
          name: "a",
          my_prompt: null,
          input: { data: { nested: [1, { a: null }] }, attachments: [{ data: { kind: "base64", value: "AA==" }, x: 1 }], y: 2 },
          metadata: { model: { name: "m", settings: {}, z: 3 }, tags: ["t"], custom: {} },
          outputs: [{ output_type: "execute_result", data: "hi", extra: 1, metadata: { usage: 3 } }],
        },
      ],
    };
    assert.deepEqual(validateConfig(extra), []);
  });

  it("names a deleted schema_version at the root object (JSON)", () => {
    const text = broken(exampleJson, '  "schema_version": "latest",\n', "");
    const problems = validateText(text, "example.aiconfig.json");
    assert.deepEqual(problems, [
      { file: "example.aiconfig.json", line: 1, column: 1, pointer: "", message: 'missing required property "schema_version"' },
    ]);
    assert.equal(formatProblem(problems[0]!), 'example.aiconfig.json:1:1: missing required property "schema_version" (at /)');
  });

  it("collapses the anyOf of an input that is a number into one located message (JSON)", () => {
    const text = broken(exampleJson, '"input": "write a haiku about a cat"', '"input": 42');
    const problems = validateText(text, "example.aiconfig.json");
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0], {
      file: "example.aiconfig.json",
      ...positionOf(text, "42"),
      pointer: "/prompts/0/input",
      message:
        '"input" must be a string or an object with data/attachments (e.g. {"data": "...", "attachments": [...]}) (found the number 42)',
    });
    assert.deepEqual(positionOf(text, "42"), { line: 22, column: 16 });
  });

  it("locates an input that is a number in YAML", () => {
    const text = broken(exampleYaml, "  - input: write a haiku about a cat\n", "  - input: 42\n");
    const problems = validateText(text, "example.aiconfig.yaml");
    assert.equal(problems.length, 1);
    assert.deepEqual(
      { line: problems[0]!.line, column: problems[0]!.column, pointer: problems[0]!.pointer },
      { line: 22, column: 12, pointer: "/prompts/0/input" },
    );
    assert.match(problems[0]!.message, /^"input" must be a string or an object with data\/attachments/);
  });

  it("names both positions of a duplicated prompt name", () => {
    const text = broken(exampleJson, '"name": "prompt_2"', '"name": "prompt_1"');
    const problems = validateText(text, "example.aiconfig.json");
    assert.equal(problems.length, 1);
    const p = problems[0]!;
    assert.deepEqual({ line: p.line, column: p.column, pointer: p.pointer }, { line: 51, column: 15, pointer: "/prompts/1/name" });
    assert.equal(
      p.message,
      'prompt name "prompt_1" is already used by the prompt at line 21, column 15 (/prompts/0/name): prompt names must be unique, rename one of them',
    );
  });

  it("accepts the Python SDK's null settings and tags, and reports them with strictNulls", () => {
    const file = corpusFile("python__demo__updated_aiconfig.json");
    const doc = readConfigFile(file);
    assert.deepEqual(validateConfig(doc.data, doc), []);
    const nameNull = structuredClone(doc.data) as { prompts: { name: unknown }[] };
    nameNull.prompts[0]!.name = null;
    assert.equal(validateConfig(nameNull)[0]?.pointer, "/prompts/0/name", "a required property is never allowed to be null");
    const problems = validateConfig(doc.data, doc, file, { strictNulls: true });
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.pointer}`),
      [
        "30:33 /prompts/0/metadata/model/settings",
        "32:25 /prompts/0/metadata/tags",
        "49:25 /prompts/1/metadata/tags",
        "58:25 /prompts/2/metadata/tags",
      ],
    );
    assert.equal(problems[0]!.message, '"settings" must be an object (found null): remove the property or give it a value');
    assert.equal(problems[1]!.message, '"tags" must be a list (JSON array) (found null): remove the property or give it a value');
    assert.ok(problems.every((p) => p.file === file));
  });

  const base = () => ({ name: "x", schema_version: "latest", metadata: {}, prompts: [] as unknown[] });
  const cases: [string, unknown, { pointer: string; message: string }[]][] = [
    [
      "an unknown schema_version",
      { ...base(), schema_version: "v2" },
      [
        {
          pointer: "/schema_version",
          message: '"schema_version" must be "latest", "v1" or an object {"major": number, "minor": number} (found "v2")',
        },
      ],
    ],
    [
      "a schema_version object without minor",
      { ...base(), schema_version: { major: 1 } },
      [{ pointer: "/schema_version", message: 'missing required property "minor" in "schema_version"' }],
    ],
    [
      "a model that is a number, and an object model without name",
      {
        ...base(),
        prompts: [
          { name: "a", input: "", metadata: { model: 5 } },
          { name: "b", input: "", metadata: { model: { settings: {} } } },
        ],
      },
      [
        {
          pointer: "/prompts/0/metadata/model",
          message: '"model" must be a model name (a string) or an object {"name": "...", "settings": {...}} (found the number 5)',
        },
        { pointer: "/prompts/1/metadata/model", message: 'missing required property "name" in "model"' },
      ],
    ],
    [
      "broken outputs: each explained by the form it was meant to have",
      {
        ...base(),
        prompts: [
          {
            name: "a",
            input: "",
            outputs: [
              { output_type: "execute_result" },
              { output_type: "error", ename: "E", evalue: "v" },
              { output_type: "done" },
              "text",
            ],
          },
        ],
      },
      [
        { pointer: "/prompts/0/outputs/0", message: 'missing required property "data" in "outputs[0]"' },
        { pointer: "/prompts/0/outputs/1", message: 'missing required property "traceback" in "outputs[1]"' },
        {
          pointer: "/prompts/0/outputs/2",
          message:
            '"outputs[2]" must be an output: {"output_type": "execute_result", "data": ...} or {"output_type": "error", "ename": "...", "evalue": "...", "traceback": [...]} (found an object)',
        },
        {
          pointer: "/prompts/0/outputs/3",
          message:
            '"outputs[3]" must be an output: {"output_type": "execute_result", "data": ...} or {"output_type": "error", "ename": "...", "evalue": "...", "traceback": [...]} (found "text")',
        },
      ],
    ],
    [
      "an attachment without data and a mime_type number",
      { ...base(), prompts: [{ name: "a", input: { attachments: [{ mime_type: 3 }] } }] },
      [
        { pointer: "/prompts/0/input/attachments/0", message: 'missing required property "data" in "attachments[0]"' },
        { pointer: "/prompts/0/input/attachments/0/mime_type", message: '"mime_type" must be a string (found the number 3)' },
      ],
    ],
    [
      "tags with a comma and a repeated tag",
      { ...base(), prompts: [{ name: "a", input: "", metadata: { tags: ["a,b", "c", "c"] } }] },
      [
        {
          pointer: "/prompts/0/metadata/tags/0",
          message: 'tag "a,b" contains a comma: tags must not contain commas, split it into separate tags',
        },
        { pointer: "/prompts/0/metadata/tags/2", message: 'tag "c" appears twice on this prompt: tags must be unique, remove one' },
      ],
    ],
    [
      "a prompt without name and input",
      { ...base(), prompts: [{}] },
      [
        { pointer: "/prompts/0", message: 'missing required property "input" in "prompts[0]"' },
        { pointer: "/prompts/0", message: 'missing required property "name" in "prompts[0]"' },
      ],
    ],
    ["a list as the document", [], [{ pointer: "", message: "the document must be an object (found a list)" }]],
    [
      "model_parsers values that are not strings",
      { ...base(), metadata: { model_parsers: { "gpt-4": 1 } } },
      [{ pointer: "/metadata/model_parsers/gpt-4", message: '"gpt-4" must be a string (found the number 1)' }],
    ],
  ];
  for (const [what, data, expected] of cases) {
    it(`explains ${what}`, () => {
      assert.deepEqual(validateConfig(data), expected);
    });
  }

  it("runs validators generated from exactly the embedded schema (UPDATE_VALIDATORS=1 regenerates them)", () => {
    const require = createRequire(import.meta.url);
    const Ajv = require("ajv").default;
    const standalone = require("ajv/dist/standalone").default;
    const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
    const { root, prompt } = splitAIConfigSchema(aiconfigSchema);
    ajv.addSchema(root, "root");
    ajv.addSchema(prompt, "prompt");
    const code: string = standalone(ajv, { root: "root", prompt: "prompt" });
    const text = `// @ts-nocheck
/**
 * GENERATED, do not edit: ajv's standalone validation code (CommonJS) for the
 * AIConfig schema of \`aiconfig-schema.ts\`, split by \`splitAIConfigSchema\`
 * into \`root\` and \`prompt\`, with \`AJV_OPTIONS\` (see \`schema-errors.ts\`).
 * Regenerate after changing the schema or upgrading ajv:
 * \`UPDATE_VALIDATORS=1 node scripts/run-tests.mjs packages/core/src/validate.test.ts\`
 *
 * @packageDocumentation
 */

/**
 * Runs the CommonJS module that sets the \`root\` and \`prompt\` validate functions on \`module.exports\`.
 * Code, not a string to evaluate, so that validating needs no \`eval\` (a page whose
 * Content-Security-Policy forbids it, such as the static site's, validates too).
 */
export function defineAiconfigValidators(module, exports, require) {
${code}
}
`;
    const file = new URL("./aiconfig-validators.ts", import.meta.url);
    if (process.env.UPDATE_VALIDATORS === "1") writeFileSync(file, text);
    else {
      assert.ok(
        readFileSync(file, "utf8") === text,
        "aiconfig-validators.ts is stale: run UPDATE_VALIDATORS=1 node scripts/run-tests.mjs packages/core/src/validate.test.ts",
      );
    }
  });

  it("gives the same raw errors as ajv on the whole schema (it is split into root and prompt for speed)", () => {
    const Ajv = createRequire(import.meta.url)("ajv").default;
    const whole = new Ajv(AJV_OPTIONS).compile(aiconfigSchema);
    const key = (e: { instancePath: string; keyword: string; params: unknown }) =>
      `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`;
    const samples: unknown[] = cases.map((c) => c[1]);
    for (const file of corpusFiles()) {
      try {
        samples.push(readConfigFile(file).data);
      } catch {
        // the file that does not parse
      }
    }
    samples.push({ prompts: [{ input: 1 }, { name: "b", input: { attachments: [{}] }, outputs: [{}] }] }, null, "text");
    let compared = 0;
    for (const data of samples) {
      const expected = whole(data) ? [] : whole.errors.map(key).sort();
      assert.deepEqual(schemaErrors(data).map(key).sort(), expected);
      compared += expected.length;
    }
    assert.ok(compared > 30, `compared ${compared} errors`);
  });
});

describe("validateConfig: placement", () => {
  it("orders problems by position and names the file without a document", () => {
    const text = broken(exampleJson, '"name": "prompt_2"', '"name": 7');
    const text2 = text.replace('"input": "write a haiku about a cat"', '"input": []');
    const problems = validateText(text2, "x.json");
    assert.deepEqual(
      problems.map((p) => [p.line, p.pointer]),
      [
        [22, "/prompts/0/input"],
        [51, "/prompts/1/name"],
      ],
    );
    const unplaced = validateConfig(JSON.parse(text2), undefined, "x.json");
    assert.deepEqual(
      unplaced.map((p) => [p.file, p.line, p.column, p.pointer]),
      [
        ["x.json", undefined, undefined, "/prompts/0/input"],
        ["x.json", undefined, undefined, "/prompts/1/name"],
      ],
    );
  });
});

describe("assertValidConfig", () => {
  it("passes a valid document and throws a ValidationError listing each problem on its own line", () => {
    const good = readConfigFile(exampleYaml);
    assertValidConfig(good.data, good);
    const text = broken(exampleJson, '  "schema_version": "latest",\n', "").replace('"input": "write a haiku about a cat"', '"input": 42');
    const doc = parseConfigText(text, "bad.aiconfig.json");
    assert.throws(
      () => assertValidConfig(doc.data, doc),
      (err: unknown) => {
        assert.ok(err instanceof ValidationError);
        assert.equal(err.problems.length, 2);
        assert.deepEqual(err.message.split("\n"), [
          'bad.aiconfig.json:1:1: missing required property "schema_version" (at /)',
          'bad.aiconfig.json:21:16: "input" must be a string or an object with data/attachments (e.g. {"data": "...", "attachments": [...]}) (found the number 42) (at /prompts/0/input)',
        ]);
        return true;
      },
    );
  });
});
