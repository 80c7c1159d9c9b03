import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { corpusFile } from "@aiconfig-ts/testing";
import { AIConfigRuntime, MAX_NESTING_DEPTH, nestingProblem, ParseError } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "aiconfig-nesting-"));
const deep = (n: number) => "[".repeat(n) + "]".repeat(n);

/** Loads a file and returns the one-line error it gives (constructed files: attacks). */
function loadError(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    AIConfigRuntime.load(file);
  } catch (error) {
    assert.ok(error instanceof ParseError, String(error));
    return error.message;
  }
  assert.fail("the file loaded");
}

describe("a file nested 100,000 deep gives a located error, not a stack overflow", () => {
  test("JSON", () => {
    const message = loadError(
      "deep.aiconfig.json",
      `{"name":"x","schema_version":"latest","metadata":{"parameters":{"p":${deep(100_000)}}},"prompts":[]}`,
    );
    // 67 characters, then the 254th "[" after the three objects opens level 257.
    assert.match(message, /deep\.aiconfig\.json:1:322: nesting deeper than 256 levels of arrays and objects/);
  });

  test("JSON with comments (read by jsonc-parser, which recurses)", () => {
    const message = loadError("deep-comments.aiconfig.json", `// a comment\n{"name":"x", /* [[[ */ "metadata":{"p":${deep(100_000)}}}`);
    assert.match(message, /deep-comments\.aiconfig\.json:2:\d+: nesting deeper than 256 levels/);
  });

  test("YAML, flow and block", () => {
    const flow = loadError(
      "deep.aiconfig.yaml",
      `name: x\nschema_version: latest\nmetadata:\n  parameters:\n    p: ${deep(100_000)}\nprompts: []\n`,
    );
    assert.match(flow, /deep\.aiconfig\.yaml:5:261: nesting deeper than 256 levels of mappings and sequences/);
    let block = "name: x\nmetadata:\n";
    for (let i = 1; i <= 300; i++) block += `${"  ".repeat(i)}a:\n`;
    // The top mapping is level 1; line N (from 3) holds level N - 1, so line 258 opens level 257.
    assert.match(loadError("deep-block.aiconfig.yaml", block), /deep-block\.aiconfig\.yaml:258:513: nesting deeper than 256/);
  });

  test("brackets inside strings and comments are not nesting; every corpus file passes the check", () => {
    assert.equal(nestingProblem(`{"a": "${"[".repeat(1000)}", "b": "\\"${"{".repeat(1000)}"}`, "json"), undefined);
    assert.equal(nestingProblem(`a: '${"[".repeat(1000)}'\nb: "${"{".repeat(1000)}" # ${"[".repeat(1000)}\n`, "yaml"), undefined);
    for (const name of [
      "cookbooks__Anyscale__travel.aiconfig.json",
      "cookbooks__Anyscale__travel.aiconfig.yaml",
      "gradio-notebook__example.aiconfig.json",
    ]) {
      const file = corpusFile(name);
      assert.equal(nestingProblem(readFileSync(file, "utf8"), name.endsWith(".yaml") ? "yaml" : "json", file), undefined, name);
    }
  });

  test("nestingProblem checks a body before parsing (what the editor calls) and names the limit", () => {
    const problem = nestingProblem(`{"config": ${deep(MAX_NESTING_DEPTH + 1)}}`, "json", "request body");
    assert.equal(problem?.file, "request body");
    assert.equal(problem?.line, 1);
    assert.equal(problem?.column, 12 + MAX_NESTING_DEPTH - 1);
    assert.equal(nestingProblem(`{"config": ${deep(MAX_NESTING_DEPTH - 1)}}`, "json"), undefined);
  });
});
