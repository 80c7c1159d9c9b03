import assert from "node:assert/strict";
import { test } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import {
  applyOutputs,
  clearOutputs,
  deletePrompt,
  edit,
  initialHistory,
  insertPrompt,
  movePrompt,
  redo,
  renameParameterUses,
  renamePrompt,
  setInputText,
  setPromptModel,
  setPromptSettings,
  undo,
  updatePromptAt,
} from "./doc-state";

const doc: AIConfig = {
  name: "n",
  schema_version: "latest",
  metadata: { default_model: "echo" },
  prompts: [
    { name: "a", input: "A", metadata: { model: { name: "gpt-4", settings: { temperature: 0.5 } } } },
    { name: "b", input: { data: "B", attachments: [{ data: "x" }] } },
  ],
};

test("typing in one field within a second is one undo step; another field or a pause starts a new one", () => {
  let h = initialHistory(doc);
  const type = (text: string, key: string, at: number) => {
    h = edit(h, (s) => updatePromptAt(s, 0, (p) => setInputText(p, text)), key, at);
  };
  type("A1", "input:a", 1000);
  type("A12", "input:a", 1500);
  type("A123", "input:a", 2000);
  type("A1234", "input:a", 3500);
  assert.equal(h.past.length, 2);
  h = undo(h);
  assert.equal(h.present.doc.prompts[0]!.input, "A123");
  h = undo(h);
  assert.equal(h.present.doc.prompts[0]!.input, "A");
  h = redo(h);
  assert.equal(h.present.doc.prompts[0]!.input, "A123");
  assert.equal(h.present.doc.prompts[1], doc.prompts[1], "untouched prompts keep their identity (cells do not re-render)");
});

test("insert, delete and move keep cell ids with their prompts; undo restores a deleted cell with its id", () => {
  let h = initialHistory(doc);
  const [idA, idB] = h.present.ids;
  h = edit(h, (s) => insertPrompt(s, 1, "echo"));
  assert.deepEqual(
    h.present.doc.prompts.map((p) => p.name),
    ["a", "prompt_3", "b"],
  );
  assert.deepEqual(h.present.doc.prompts[1]!.metadata, { model: "echo", parameters: {} });
  h = edit(h, (s) => movePrompt(s, 2, -2));
  assert.deepEqual(
    h.present.doc.prompts.map((p) => p.name),
    ["b", "a", "prompt_3"],
  );
  assert.deepEqual([h.present.ids[0], h.present.ids[1]], [idB, idA]);
  h = edit(h, (s) => deletePrompt(s, 1));
  assert.equal(h.present.ids.includes(idA!), false);
  h = undo(h);
  assert.equal(h.present.ids[1], idA);
  assert.equal(h.present.doc.prompts[1]!.name, "a");
});

test("outputs of a run land in every state of the history, so undo does not bring old outputs back", () => {
  let h = initialHistory(doc);
  const idA = h.present.ids[0]!;
  h = edit(h, (s) => updatePromptAt(s, 0, (p) => setInputText(p, "edited")));
  h = applyOutputs(h, idA, [{ output_type: "execute_result", data: "new" }]);
  h = undo(h);
  assert.equal(h.present.doc.prompts[0]!.input, "A");
  assert.deepEqual(h.present.doc.prompts[0]!.outputs, [{ output_type: "execute_result", data: "new" }]);
  h = edit(h, clearOutputs);
  assert.deepEqual(h.present.doc.prompts[0]!.outputs, []);
});

test("model and settings edits keep each other and the input keeps its attachments", () => {
  const a = doc.prompts[0]!;
  assert.deepEqual(setPromptModel(a, "claude").metadata!.model, { name: "claude", settings: { temperature: 0.5 } });
  assert.deepEqual(setPromptModel(a, "").metadata, {});
  assert.deepEqual(setPromptSettings(a, {}, undefined).metadata!.model, "gpt-4");
  assert.deepEqual(setPromptSettings(doc.prompts[1]!, { top_p: 1 }, "echo").metadata!.model, { name: "echo", settings: { top_p: 1 } });
  assert.deepEqual(setInputText(doc.prompts[1]!, "new").input, { data: "new", attachments: [{ data: "x" }] });
});

test("renaming a prompt renames the references to it, not other text or other prompts' names", () => {
  const d: AIConfig = {
    name: "n",
    schema_version: "latest",
    metadata: {},
    prompts: [
      { name: "draft", input: "write" },
      { name: "check", input: "Check {{draft.output}} and {{ draft.input }}, not {{draftsman.output}} or draft.output" },
      { name: "obj", input: { data: "{{draft.output}}!", attachments: [] } },
    ],
  };
  const s = renamePrompt(initialHistory(d).present, 0, "story");
  assert.deepEqual(
    s.doc.prompts.map((p) => p.input),
    [
      "write",
      "Check {{story.output}} and {{ story.input }}, not {{draftsman.output}} or draft.output",
      { data: "{{story.output}}!", attachments: [] },
    ],
  );
  assert.equal(s.doc.prompts[0]!.name, "story");
});

test("renaming a global parameter renames its uses in templates, not other words, nor in prompts with a local one of that name", () => {
  const s = initialHistory({
    name: "n",
    schema_version: "latest",
    metadata: { parameters: { hero: "Ada" } },
    prompts: [
      { name: "a", input: "Tell of {{hero}} and {{ hero.name }}; {{#if hero}}yes{{/if}}, the hero {{superhero}} {{other.hero}}" },
      { name: "b", input: "{{hero}} here", metadata: { parameters: { hero: "local" } } },
      { name: "c", input: "no template hero" },
    ],
  }).present;
  const { state, prompts } = renameParameterUses(s, "hero", "protagonist");
  assert.equal(prompts, 1);
  assert.equal(
    state.doc.prompts[0]!.input,
    "Tell of {{protagonist}} and {{ protagonist.name }}; {{#if protagonist}}yes{{/if}}, the hero {{superhero}} {{other.hero}}",
  );
  assert.equal(state.doc.prompts[1]!.input, "{{hero}} here");
  const local = renameParameterUses(s, "hero", "villain", 1);
  assert.equal(local.state.doc.prompts[1]!.input, "{{villain}} here");
  assert.equal(local.state.doc.prompts[0]!.input, s.doc.prompts[0]!.input);
});
