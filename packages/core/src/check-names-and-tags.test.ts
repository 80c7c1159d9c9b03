import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { corpusFiles } from "@aiconfig-ts/testing";
import { repeatedPromptNames } from "./check-names-and-tags.js";
import { readConfigFile } from "./parse.js";
import { collidingNames } from "./colliding-names.test.helper.js";

/** What `repeatedPromptNames` must answer, written the plain way (a Map of first indexes). */
function expectedRepeats(data: unknown) {
  const prompts = (data as { prompts?: unknown }).prompts;
  if (!Array.isArray(prompts)) return [];
  const firstByName = new Map<string, number>();
  const out: { name: string; first: number; index: number }[] = [];
  prompts.forEach((p: unknown, index: number) => {
    const name = (p as { name?: unknown } | null)?.name;
    if (typeof name !== "string") return;
    const first = firstByName.get(name);
    if (first === undefined) firstByName.set(name, index);
    else out.push({ name, first, index });
  });
  return out;
}

describe("repeatedPromptNames", () => {
  it("answers as a plain Map does on every corpus file", () => {
    let files = 0;
    for (const file of corpusFiles()) {
      let data: unknown;
      try {
        data = readConfigFile(file).data;
      } catch {
        continue; // the corpus file that does not parse
      }
      assert.deepEqual(repeatedPromptNames(data), expectedRepeats(data), file);
      files++;
    }
    assert.ok(files > 20, `checked ${files} files`);
  });

  // Constructed: many names (so the hash table's probing and wrap-around are exercised), one repeated late.
  it("finds a name repeated among 50,000 prompts, and none when all differ", () => {
    const prompts = Array.from({ length: 50_000 }, (_, i) => ({ name: `prompt_${i}`, input: "" }));
    assert.deepEqual(repeatedPromptNames({ prompts }), []);
    prompts.push({ name: "prompt_31337", input: "" }, { name: "", input: "" }, { name: "", input: "" });
    assert.deepEqual(repeatedPromptNames({ prompts }), [
      { name: "prompt_31337", first: 31337, index: 50_000 },
      { name: "", first: 50_001, index: 50_002 },
    ]);
  });

  // Constructed attack: 600 distinct names that all land in one slot of the name table (FNV-1a, 2,048 slots), so that
  // probing alone would be quadratic; the check then answers with a Set, and still finds the one repeat.
  it("answers right on names crafted to collide in its hash table", () => {
    const names = collidingNames(600, 11);
    const prompts = names.map((name) => ({ name, input: "" }));
    assert.deepEqual(repeatedPromptNames({ prompts }), []);
    prompts.push({ name: names[299]!, input: "" });
    assert.deepEqual(repeatedPromptNames({ prompts }), [{ name: names[299], first: 299, index: 600 }]);
  });

  // Constructed: names that differ only in characters beyond Latin-1, and prompts without a string name.
  it("tells apart names differing in one UTF-16 unit and skips prompts without a string name", () => {
    const prompts = [{ name: "naïve" }, { name: "naive" }, { name: "na\u{1F600}ve" }, { name: 7 }, null, "x", { name: "na\u{1F600}ve" }];
    assert.deepEqual(repeatedPromptNames({ prompts }), [{ name: "na\u{1F600}ve", first: 2, index: 6 }]);
  });
});
