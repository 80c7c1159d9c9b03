import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { corpusFiles } from "@aiconfig-ts/testing";
import { repeatedPromptNames } from "./check-names-and-tags.js";
import { ParseError, type Problem, ValidationError } from "./errors.js";
import { MAX_NESTING_DEPTH, nestingProblem, nestsDeeperThan } from "./nesting-depth.js";
import { parseConfigText, readConfigFile } from "./parse.js";
import { AIConfigRuntime } from "./runtime.js";
import { validateConfig } from "./validate.js";
import { checkOnLoad } from "./validate-on-load.js";
import { collidingNames } from "./colliding-names.test.helper.js";

const dir = mkdtempSync(join(tmpdir(), "aiconfig-validate-on-load-"));
let written = 0;

/** Writes `text` to a new .json file and loads it; returns the error thrown, or `undefined` when it loads. */
function loadOutcome(text: string, options: { validate?: boolean } = {}): Error | undefined {
  const file = join(dir, `f${++written}.aiconfig.json`);
  writeFileSync(file, text);
  try {
    AIConfigRuntime.load(file, { ...options, onWarning: () => {} });
    return undefined;
  } catch (error) {
    return error as Error;
  }
}

/** `levels` nested arrays (constructed). */
const nested = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

/** A valid document (constructed) whose second prompt holds `value` at `place`. */
function documentWith(
  place: "settings" | "prompt metadata" | "output data" | "output metadata" | "attachment" | "after prompts",
  value: string,
): string {
  const second: Record<string, string> = {
    settings: `{"name":"b","input":"hi","metadata":{"model":{"name":"gpt-4","settings":{"stop":${value}}}}}`,
    "prompt metadata": `{"name":"b","input":"hi","metadata":{"notes":${value}}}`,
    "output data": `{"name":"b","input":"hi","outputs":[{"output_type":"execute_result","data":{"kind":"tool_calls","value":[]},"metadata":{}},{"output_type":"execute_result","data":${value}}]}`,
    "output metadata": `{"name":"b","input":"hi","outputs":[{"output_type":"execute_result","data":"ok","metadata":{"raw":${value}}}]}`,
    attachment: `{"name":"b","input":{"attachments":[{"data":"x.png","mime_type":"image/png","metadata":{"crop":${value}}}]}}`,
    "after prompts": `{"name":"b","input":"hi"}`,
  };
  const tail = place === "after prompts" ? `,"extra":{"deep":${value}}` : "";
  return `{"name":"t","schema_version":"latest","metadata":{"parameters":{}},"prompts":[{"name":"a","input":"hi"},\n${second[place]}]${tail}}`;
}

describe("loading checks nesting in its one pass over the prompts", () => {
  const places = ["settings", "prompt metadata", "output data", "output metadata", "attachment", "after prompts"] as const;

  for (const place of places) {
    test(`nesting too deep in ${place === "after prompts" ? "a top-level property after the prompts" : place} is refused with the located message parsing gives, validated or not`, () => {
      const text = documentWith(place, nested(100_000));
      const expected = nestingProblem(text, "json", "x");
      assert.ok(expected?.line !== undefined && expected.column !== undefined);
      for (const validate of [true, false]) {
        const error = loadOutcome(text, { validate });
        assert.ok(error instanceof ParseError, `${place}, validate ${validate}: ${error}`);
        assert.match(
          error.message,
          new RegExp(`:${expected.line}:${expected.column}: nesting deeper than 256 levels of arrays and objects`),
        );
      }
      // The same message as a text parsed on its own (parseConfigText walks the whole document).
      assert.throws(
        () => parseConfigText(text, "x.json"),
        (e: unknown) => e instanceof ParseError && e.message.includes(`x.json:${expected.line}:${expected.column}:`),
      );
    });
  }

  test("load refuses exactly where the whole-document walk does: its deepest accepted nesting loads, one level more is refused", () => {
    for (const place of places) {
      // Find the deepest nesting that still passes the whole-document walk; load must agree at it and one above.
      const within = (levels: number) => !nestsDeeperThan(JSON.parse(documentWith(place, nested(levels))), MAX_NESTING_DEPTH);
      let levels = 1;
      while (within(levels + 1)) levels++;
      assert.ok(levels > MAX_NESTING_DEPTH - 12 && levels < MAX_NESTING_DEPTH, `${place}: ${levels}`);
      assert.equal(loadOutcome(documentWith(place, nested(levels)), { validate: false }), undefined, `${place} at ${levels} levels`);
      assert.ok(loadOutcome(documentWith(place, nested(levels + 1))) instanceof ParseError, `${place} at ${levels + 1} levels`);
    }
  });

  test("a prompt nested too deep after a prompt that breaks the schema: the nesting error, as parsing gave it first", () => {
    const text = `{"name":"t","schema_version":"latest","metadata":{},"prompts":[{"name":"a","input":5},{"name":"b","input":"x","metadata":{"p":${nested(300)}}}]}`;
    assert.ok(loadOutcome(text) instanceof ParseError);
    // Without the deep part, the schema's problem.
    assert.ok(loadOutcome(text.replace(nested(300), "1")) instanceof ValidationError);
  });

  test("a document that is itself an array nested too deep is refused (no prompts to walk)", () => {
    assert.ok(loadOutcome(nested(100_000)) instanceof ParseError);
  });
});

describe("checkOnLoad finds what validateConfig and repeatedPromptNames find", () => {
  /** What a load found before the checks were one pass. */
  const separately = (data: unknown, doc?: Parameters<typeof validateConfig>[1]) => ({
    problems: validateConfig(data, doc, doc?.file, { repeatedNames: false }),
    repeated: repeatedPromptNames(data),
  });
  const together = (data: unknown, doc?: Parameters<typeof validateConfig>[1]) => {
    const found = checkOnLoad(data, doc, doc?.file, { validate: true, nesting: true });
    assert.equal(found.tooDeep, false);
    return { problems: (found as { problems: Problem[] }).problems, repeated: (found as { repeated: unknown }).repeated };
  };

  test("every corpus file", () => {
    let files = 0;
    for (const file of corpusFiles()) {
      let doc: ReturnType<typeof readConfigFile>;
      try {
        doc = readConfigFile(file);
      } catch {
        continue; // the file that does not parse
      }
      assert.deepEqual(together(doc.data, doc), separately(doc.data, doc), file);
      files++;
    }
    assert.ok(files > 20, `${files} corpus files`);
  });

  test("constructed broken documents: schema problems, tags with commas and twice, repeated names, placed at their lines", () => {
    const text = `{
  "name": 5,
  "schema_version": "v9",
  "metadata": {"parameters": []},
  "prompts": [
    {"name": "a", "input": 1, "metadata": {"tags": ["x,y", "z", "z"], "model": {"settings": {}}}},
    {"name": "b", "input": {"attachments": [{}]}, "outputs": [{}]},
    {"name": "a", "input": "again"},
    "not a prompt",
    {"name": "b", "input": "x", "settings": null, "metadata": {"tags": null}},
    {"input": "no name"}
  ]
}`;
    const doc = parseConfigText(text, "broken.aiconfig.json");
    const expected = separately(doc.data, doc);
    assert.ok(expected.problems.length >= 8 && expected.repeated.length === 2, JSON.stringify(expected));
    assert.deepEqual(together(doc.data, doc), expected);
    for (const data of [null, "text", 5, [], {}, { prompts: {} }, { prompts: [null, 1, [], {}] }]) {
      assert.deepEqual(together(data), separately(data), JSON.stringify(data));
    }
  });

  test("prompt names crafted to collide in the hash table still find the repeated name (a Set takes over)", () => {
    // 60 names whose FNV-1a hashes share their low 7 bits (the table for 60 prompts has 128 slots), then one again.
    const names = collidingNames(60, 7);
    const prompts = [...names, names[17]!].map((name) => ({ name, input: "x" }));
    const data = { name: "collide", schema_version: "latest", metadata: {}, prompts };
    assert.deepEqual(together(data).repeated, [{ name: names[17], first: 17, index: 60 }]);
    assert.deepEqual(together({ ...data, prompts: prompts.slice(0, 60) }).repeated, []);
  });
});
