import assert from "node:assert/strict";
import { test } from "node:test";
import { addPromptName, newNameTable } from "./check-names-and-tags.js";
import { PromptIndex } from "./prompt-index.js";
import { AIConfigRuntime } from "./runtime.js";
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

test("a load's table of names answers lookups until the list changes or a name is not in it; renames, insertions, removals and a new list are still found", () => {
  let list = prompts("a", "b", "c", "d");
  const index = new PromptIndex(() => list);
  const table = newNameTable(list.length);
  for (let i = 0; i < list.length; i++) assert.ok(addPromptName(table, list, i) >= 0);
  index.seed(list, table);
  assert.equal(index.get("d"), list[3]);
  assert.equal(index.get("a"), list[0]);
  list[3]!.name = "renamed";
  assert.equal(index.get("d"), undefined, "a renamed prompt is no longer found by its old name");
  assert.equal(index.get("renamed"), list[3], "nor missed under its new one");

  // A fresh seed, then the list changes in place.
  list = prompts("a", "b", "c", "d");
  const fresh = newNameTable(list.length);
  for (let i = 0; i < list.length; i++) addPromptName(fresh, list, i);
  index.seed(list, fresh);
  list.splice(0, 1);
  assert.equal(index.get("b"), list[0], "after a removal (another length) the table is not used");
  list.splice(0, 1, { name: "d", input: "new first d" });
  assert.equal(index.get("d"), list[0], "an inserted prompt of a known name is found first");
  list = prompts("x", "c");
  assert.equal(index.get("c"), list[1], "a new list is searched anew");
});

test("a loaded runtime finds prompts by name from its load's table and after edits of its prompt list", () => {
  const names = Array.from({ length: 300 }, (_, i) => `prompt_${i + 1}`);
  const rt = AIConfigRuntime.loadJSON({ name: "t", schema_version: "latest", metadata: {}, prompts: prompts(...names) });
  assert.equal(rt.getPrompt("prompt_300"), rt.config.prompts[299]);
  assert.equal(rt.getPrompt("prompt_1"), rt.config.prompts[0]);
  rt.config.prompts[5]!.name = "prompt_1";
  assert.equal(rt.getPrompt("prompt_1"), rt.config.prompts[0], "the first prompt of a name");
  rt.config.prompts.unshift({ name: "prompt_300", input: "first now" });
  assert.equal(rt.getPrompt("prompt_300"), rt.config.prompts[0]);
  assert.equal(rt.getPrompt("prompt_6"), undefined, "renamed away");
});
