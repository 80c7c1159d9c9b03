import assert from "node:assert/strict";
import { basename } from "node:path";
import { describe, it } from "node:test";
import { corpusFiles } from "@aiconfig-ts/testing";
import { ParseError } from "./errors.js";
import { type ParsedDocument, parseConfigText, readConfigFile } from "./parse.js";
import { serializeConfig } from "./save.js";
import type { AIConfig } from "./types.js";
import { validateConfig } from "./validate.js";

/** Corpus files that do not pass, and why (checked below: each fails, and only in the expected places). */
const EXPECTED_FAILURES: Record<string, { kind: "parse" | "validate"; pointers: string[] }> = {
  "cookbooks__RAG-with-MongoDB__rag.aiconfig.json": { kind: "parse", pointers: [] },
  "python__demo__Chained-Config.json": { kind: "validate", pointers: ["/prompts/1/name"] },
};

const files = corpusFiles();

function tryRead(file: string): ParsedDocument | ParseError {
  try {
    return readConfigFile(file);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
}

describe("corpus: every file parses and validates, or fails with a located error", () => {
  it("has the 47 files", () => {
    assert.equal(files.length, 47);
  });
  for (const file of files) {
    const name = basename(file);
    it(name, () => {
      const expected = EXPECTED_FAILURES[name];
      const doc = tryRead(file);
      if (doc instanceof ParseError) {
        assert.equal(expected?.kind, "parse", doc.message);
        for (const p of doc.problems) {
          assert.equal(p.file, file);
          assert.ok(p.line! >= 1 && p.column! >= 1, "located");
        }
        return;
      }
      assert.notEqual(expected?.kind, "parse");
      const problems = validateConfig(doc.data, doc);
      assert.deepEqual(
        problems.map((p) => p.pointer),
        expected?.pointers ?? [],
        problems.map((p) => p.message).join("\n"),
      );
      for (const p of problems) {
        assert.equal(p.file, file);
        assert.ok(p.line! >= 1 && p.column! >= 1, "located");
      }
    });
  }
});

describe("corpus: serialize and re-parse gives the same data", () => {
  for (const file of files) {
    const name = basename(file);
    const doc = tryRead(file);
    if (doc instanceof ParseError) continue;
    it(name, () => {
      const data = doc.data as AIConfig;
      for (const format of ["json", "yaml"] as const) {
        const text = serializeConfig(data, format);
        const again = parseConfigText(text, `copy.${format}`);
        assert.equal(again.format, format);
        assert.deepStrictEqual(again.data, data, `${doc.format} -> ${format}`);
        // and back to the original format
        assert.deepStrictEqual(parseConfigText(serializeConfig(again.data as AIConfig, doc.format), undefined, doc.format).data, data);
      }
    });
  }

  it("strips outputs on a copy only, for every corpus file with outputs", () => {
    let withOutputs = 0;
    for (const file of files) {
      const doc = tryRead(file);
      if (doc instanceof ParseError) continue;
      const data = doc.data as AIConfig;
      if (!data.prompts.some((p) => p.outputs && p.outputs.length > 0)) continue;
      withOutputs++;
      const before = structuredClone(data);
      for (const format of ["json", "yaml"] as const) {
        const back = parseConfigText(serializeConfig(data, format, { includeOutputs: false }), undefined, format).data as AIConfig;
        assert.ok(
          back.prompts.every((p) => !("outputs" in p)),
          file,
        );
        assert.deepEqual(
          back.prompts.map((p) => p.name),
          data.prompts.map((p) => p.name),
        );
      }
      assert.deepStrictEqual(data, before, file);
    }
    assert.ok(withOutputs >= 10, `expected many corpus files with outputs, found ${withOutputs}`);
  });
});
