import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { corpusFile, repoRoot, sharedDir } from "@aiconfig-ts/testing";
import { ParseError } from "./errors.js";
import { parseConfigText, readConfigFile } from "./parse.js";

/** The specification's own `sql.aiconfig.json` example, which has `//` and `/* *\/` comments. */
function specSqlExample(): string {
  const spec = readFileSync(join(sharedDir, "seeds", "specification.md"), "utf8");
  const start = spec.indexOf("```json\n", spec.indexOf("`sql.aiconfig.json` example")) + "```json\n".length;
  return spec.slice(start, spec.indexOf("```", start));
}

function parseError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ParseError, `expected a ParseError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a ParseError");
}

describe("parseConfigText: format choice", () => {
  const json = '{"name": "x"}';
  it("takes the format from the extension", () => {
    assert.equal(parseConfigText(json, "a.json").format, "json");
    assert.equal(parseConfigText(json, "a.aiconfig.YAML").format, "yaml");
    assert.equal(parseConfigText("name: x\n", "a.yml").format, "yaml");
    assert.deepEqual(parseConfigText("name: x\n", "a.yml").data, { name: "x" });
  });
  it("falls back to the content when the extension is unknown or missing", () => {
    assert.equal(parseConfigText(json).format, "json");
    assert.equal(parseConfigText(`  \n${json}`, "config.txt").format, "json");
    assert.equal(parseConfigText("// a comment\n{}", "config").format, "json");
    assert.equal(parseConfigText("name: x\n", "config").format, "yaml");
    assert.deepEqual(parseConfigText("name: x\n").data, { name: "x" });
  });
  it("obeys an explicit format over the extension", () => {
    assert.equal(parseConfigText("name: x\n", "a.json", "yaml").format, "yaml");
    assert.throws(() => parseConfigText("name: x\n", "a.yaml", "json"), ParseError);
  });
  it("ignores a byte-order mark", () => {
    assert.deepEqual(parseConfigText(`\uFEFF${json}`, "a.json").data, { name: "x" });
  });
});

describe("parseConfigText: JSON", () => {
  it("parses the specification's sql example with // and /* */ comments", () => {
    const text = specSqlExample();
    assert.match(text, /\/\/ Override prompt-specific/);
    assert.match(text, /\/\* Output\(s\)/);
    const doc = parseConfigText(text, "sql.aiconfig.json");
    const data = doc.data as any;
    assert.equal(data.name, "gpt4 as your data engineer");
    assert.equal(data.prompts[1].metadata.model.settings.temperature, 0.75);
    assert.deepEqual(data.prompts[1].outputs, []);
    // positions in the commented text
    const lines = text.split("\n");
    const tempLine = lines.findIndex((l) => l.includes('"temperature": 0.75')) + 1;
    assert.deepEqual(doc.locate("/prompts/1/metadata/model/settings/temperature"), {
      line: tempLine,
      column: lines[tempLine - 1]!.indexOf("0.75") + 1,
    });
  });

  it("keeps a __proto__ key as a plain property (JSON, JSON with comments, YAML)", () => {
    for (const text of [
      '{"a": {"__proto__": {"polluted": 1}}}',
      '{"a": /* c */ {"__proto__": {"polluted": 1}}}',
      "a:\n  __proto__:\n    polluted: 1\n",
    ]) {
      const a = (parseConfigText(text).data as any).a;
      assert.deepEqual(Object.keys(a), ["__proto__"]);
      assert.equal(a.polluted, undefined);
      assert.equal(Object.getPrototypeOf(a), Object.prototype);
    }
  });

  it("parses the repository's examples/sql.aiconfig.json (the same example, with comments)", (t) => {
    const file = join(repoRoot, "examples", "sql.aiconfig.json");
    if (!existsSync(file)) return t.skip("examples/sql.aiconfig.json is not there yet");
    assert.match(readFileSync(file, "utf8"), /\/\/|\/\*/);
    const doc = readConfigFile(file);
    assert.equal(doc.format, "json");
    assert.deepEqual(
      (doc.data as any).prompts.map((p: { name: string }) => p.name),
      ["write_sql", "postgresql"],
    );
  });

  it("reports the corpus's trailing comma at the comma, saying how to fix it", () => {
    const file = corpusFile("cookbooks__RAG-with-MongoDB__rag.aiconfig.json");
    const err = parseError(() => readConfigFile(file));
    assert.equal(err.problems.length, 1);
    const [p] = err.problems;
    assert.equal(p!.file, file);
    assert.equal(p!.line, 8);
    assert.equal(p!.column, 222);
    assert.equal(readFileSync(file, "utf8").split("\n")[7]![221], ",");
    assert.match(p!.message, /^trailing comma before "}": remove this ","/);
    assert.equal(err.message.split("\n").length, 1);
    assert.ok(err.message.startsWith(`${file}:8:222: trailing comma`), err.message);
  });

  it("reports a trailing comma in an array and one followed by a comment", () => {
    const a = parseError(() => parseConfigText('{"a": [1, 2,\n]}', "x.json")).problems[0]!;
    assert.deepEqual([a.line, a.column], [1, 12]);
    assert.match(a.message, /^trailing comma before "]"/);
    const b = parseError(() => parseConfigText('{\n  "a": 1, // last\n  /* end */\n}', "x.json")).problems[0]!;
    assert.deepEqual([b.line, b.column], [2, 9]);
    assert.match(b.message, /^trailing comma before "}"/);
  });

  const cases: [string, string, number, number, RegExp][] = [
    ["missing colon", '{\n  "a" 1\n}', 2, 7, /expected ":" after the property name \(found "1"\)/],
    ["missing comma", '{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected "," between items/],
    ["unquoted key", "{\n  name: 1\n}", 2, 3, /^property names must be in double quotes: write "name"$/],
    ["single quotes", "{\"a\": 'x'}", 1, 7, /^strings must be in double quotes/],
    ["line break in a string", '{"a": "x\ny"}', 1, 7, /unterminated string.*\\n/],
    ["unclosed object", '{"a": 1', 1, 8, /expected "}" to close the object \(found the end of the file\)/],
    ["empty file", "  \n", 1, 1, /the file is empty/],
    ["unclosed comment", '{"a": 1 /* x', 1, 9, /unterminated comment/],
  ];
  for (const [what, text, line, column, message] of cases) {
    it(`locates a syntax error: ${what}`, () => {
      const err = parseError(() => parseConfigText(text, "x.json"));
      const p = err.problems[0]!;
      assert.deepEqual({ file: p.file, line: p.line, column: p.column }, { file: "x.json", line, column });
      assert.match(p.message, message);
    });
  }

  it("locates values, and the nearest parent of a missing one", () => {
    const text = '{\n  "prompts": [\n    {"name": "a", "input": 3}\n  ]\n}';
    const doc = parseConfigText(text, "a.json");
    assert.deepEqual(doc.locate(""), { line: 1, column: 1 });
    assert.deepEqual(doc.locate("/prompts"), { line: 2, column: 14 });
    assert.deepEqual(doc.locate("/prompts/0/input"), { line: 3, column: 28 });
    assert.deepEqual(doc.locate("/prompts/0/metadata/model"), { line: 3, column: 5 });
    assert.deepEqual(doc.locate("/prompts/7"), { line: 2, column: 14 });
  });

  it("locates keys holding / and ~ (escaped in pointers)", () => {
    const doc = parseConfigText('{"models": {\n"a/b~c": {"x": 1}}}', "a.json");
    assert.deepEqual(doc.locate("/models/a~1b~0c/x"), { line: 2, column: 16 });
  });

  it("counts CRLF line breaks once", () => {
    const doc = parseConfigText('{\r\n  "a": {\r\n    "b": true\r\n  }\r\n}\r\n', "a.json");
    assert.deepEqual(doc.locate("/a/b"), { line: 3, column: 10 });
  });
});

describe("parseConfigText: YAML", () => {
  it("parses and locates values (block and flow)", () => {
    const text = "name: x\nprompts:\n  - name: a\n    input: hi\n  - name: b\n    input:\n      data: [1, 2]\n";
    const doc = parseConfigText(text, "a.yaml");
    assert.deepEqual(doc.data, {
      name: "x",
      prompts: [
        { name: "a", input: "hi" },
        { name: "b", input: { data: [1, 2] } },
      ],
    });
    assert.deepEqual(doc.locate("/name"), { line: 1, column: 7 });
    assert.deepEqual(doc.locate("/prompts/0/input"), { line: 4, column: 12 });
    assert.deepEqual(doc.locate("/prompts/1/input/data/1"), { line: 7, column: 17 });
    assert.deepEqual(doc.locate("/prompts/1/metadata"), { line: 5, column: 5 });
    assert.deepEqual(doc.locate("/prompts/9"), { line: 3, column: 3 });
  });

  it("locates through anchors and aliases", () => {
    const doc = parseConfigText("base: &b\n  temperature: 1\nother: *b\n", "a.yaml");
    assert.deepEqual(doc.data, { base: { temperature: 1 }, other: { temperature: 1 } });
    assert.deepEqual(doc.locate("/other/temperature"), { line: 2, column: 16 });
  });

  const cases: [string, string, number, number, RegExp][] = [
    ["tab indentation", "a:\n\tb: 1\n", 2, 1, /tabs are not allowed as indentation.*spaces/],
    ["duplicate key", "name: a\nname: b\n", 2, 1, /appears twice.*unique/],
    ["several documents", "name: a\n---\nname: b\n", 2, 1, /several YAML documents/],
    ["unclosed flow sequence", "tags: [a, b\nname: x\n", 2, 1, /^invalid YAML: flow sequence .* end with a \]$/],
    ["unclosed quote", 'a: "x\nb: 1', 2, 5, /^invalid YAML: missing closing "quote$/],
  ];
  for (const [what, text, line, column, message] of cases) {
    it(`locates a syntax error: ${what}`, () => {
      const p = parseError(() => parseConfigText(text, "x.yaml")).problems[0]!;
      assert.deepEqual({ file: p.file, line: p.line, column: p.column }, { file: "x.yaml", line, column });
      assert.match(p.message, message);
    });
  }
});

describe("readConfigFile", () => {
  it("reads a corpus file in its format", () => {
    const doc = readConfigFile(corpusFile("vscode-extension__static__example.aiconfig.yaml"));
    assert.equal(doc.format, "yaml");
    assert.equal((doc.data as any).prompts[0].name, "prompt_1");
    assert.deepEqual(doc.locate("/prompts/0/name"), { line: 28, column: 11 });
  });
  it("names the path in one line when the file is missing or a folder", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-parse-"));
    const missing = join(dir, "nope.aiconfig.json");
    const a = parseError(() => readConfigFile(missing));
    assert.equal(a.message, `${missing}: cannot read the file: no such file or folder; check the path`);
    const b = parseError(() => readConfigFile(dir));
    assert.equal(b.message, `${dir}: cannot read the file: it is a folder, not a file`);
  });
  it("chooses by content when a file has no known extension", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-parse-"));
    writeFileSync(join(dir, "config"), "name: x\nprompts: []\n");
    assert.equal(readConfigFile(join(dir, "config")).format, "yaml");
  });
});

describe("import cost", () => {
  it("loads yaml and jsonc-parser only when a function needs them, and ajv never", () => {
    const url = (name: string) => JSON.stringify(pathToFileURL(join(import.meta.dirname, name)).href);
    const script = `import { createRequire } from "node:module";
const loaded = () => Object.keys(createRequire(import.meta.url).cache).map((k) => /node_modules\\/(yaml|jsonc-parser|ajv)\\//.exec(k)?.[1]).filter(Boolean);
const parse = await import(${url("parse.ts")});
const validate = await import(${url("validate.ts")});
await import(${url("save.ts")});
const out = { atImport: [...new Set(loaded())] };
parse.parseConfigText('{"a": 1}', "a.json");
out.afterStrictJson = [...new Set(loaded())];
const doc = parse.parseConfigText("name: x", "a.yaml");
validate.validateConfig(doc.data, doc);
out.afterYamlAndValidate = [...new Set(loaded())].sort();
console.log(JSON.stringify(out));`;
    const child = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), { atImport: [], afterStrictJson: [], afterYamlAndValidate: ["yaml"] });
  });
});
