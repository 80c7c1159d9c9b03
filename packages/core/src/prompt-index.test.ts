import assert from "node:assert/strict";
import { test } from "node:test";
import { PromptIndex } from "./prompt-index.js";
import type { Prompt } from "./types.js";

// Constructed prompt lists (only names matter here).
const prompts = (...names: string[]): Prompt[] => names.map((name) => ({ name, input: name }));

test("the prompt index returns the first prompt of a name through renames, insertions, removals and a new list", () => {
  let list = prompts("a", "b", "a", "c");
  const index = new PromptIndex(() => list);
  // Enough lookups that the index is built (the first ones scan).
  for (let round = 0; round < 3; round++) {
    assert.equal(index.get("a"), list[0], "the first of a repeated name");
    assert.equal(index.get("c"), list[3]);
    assert.equal(index.get("missing"), undefined);
  }
  list[1]!.name = "renamed";
  assert.equal(index.get("b"), undefined, "a renamed prompt is no longer found by its old name");
  assert.equal(index.get("renamed"), list[1]);
  list.splice(0, 1);
  assert.equal(index.get("a"), list[1], "after a removal the next prompt of that name is the first");
  list.unshift({ name: "c", input: "new first c" });
  assert.equal(index.get("c"), list[0], "an inserted prompt of a known name is found first");
  list = prompts("x", "c");
  for (let round = 0; round < 3; round++) {
    assert.equal(index.get("c"), list[1], "a new list is indexed anew");
    assert.equal(index.get("a"), undefined);
  }
});
