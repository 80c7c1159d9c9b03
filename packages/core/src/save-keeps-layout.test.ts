/**
 * Saving changes only what changed (issue 11): every corpus file that loads
 * is saved byte for byte as it was, and one edit changes only its own lines.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import { corpusFiles } from "@aiconfig-ts/testing";
import { AIConfigRuntime } from "./index.js";

/** Lines of `after` that differ from `before` (a simple line diff: common prefix and suffix removed). */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return { removed: a.slice(start, endA), added: b.slice(start, endB) };
}

function loadable(): string[] {
  return corpusFiles().filter((file) => {
    try {
      AIConfigRuntime.load(file, { onWarning: () => {} });
      return true;
    } catch {
      return false;
    }
  });
}

test("load + save of every corpus file that loads gives the same bytes", () => {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-layout-"));
  const files = loadable();
  assert.ok(files.length > 20, `only ${files.length} corpus files load`);
  const changed: string[] = [];
  for (const file of files) {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    AIConfigRuntime.load(copy, { onWarning: () => {} }).save();
    if (readFileSync(copy, "utf8") !== readFileSync(file, "utf8")) changed.push(basename(file));
  }
  assert.deepEqual(changed, []);
});

test("one edit (a prompt's input) changes only its line, in JSON and YAML, keeping comments", () => {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-layout-"));
  let checked = 0;
  for (const file of loadable()) {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    const runtime = AIConfigRuntime.load(copy, { onWarning: () => {} });
    const prompt = runtime.config.prompts.find((p) => typeof p.input === "string" && !p.input.includes("\n") && p.input.length > 0);
    if (!prompt) continue;
    const before = readFileSync(copy, "utf8");
    prompt.input = `${prompt.input as string} (edited)`;
    runtime.save();
    const { removed, added } = changedLines(before, readFileSync(copy, "utf8"));
    assert.equal(removed.length, 1, `${basename(file)}: ${JSON.stringify({ removed, added })}`);
    assert.equal(added.length, 1, `${basename(file)}: ${JSON.stringify({ removed, added })}`);
    assert.ok(added[0]!.includes("(edited)"));
    checked++;
  }
  assert.ok(checked > 10, `only ${checked} files had a one-line input`);
});

test("constructed: a JSON file with comments, tab indents and a compact array keeps them when an output is added", () => {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-layout-"));
  const file = join(dir, "c.aiconfig.json");
  const text = `{\n\t// my notes\n\t"name": "c", "schema_version": "latest",\n\t"metadata": {"tags": ["story"]},\n\t"prompts": [\n\t\t{"name": "a", "input": "hi"}\n\t]\n}\n`;
  writeFileSync(file, text);
  const runtime = AIConfigRuntime.load(file);
  runtime.config.prompts[0]!.outputs = [{ output_type: "execute_result", data: "hello" }];
  runtime.save();
  const saved = readFileSync(file, "utf8");
  assert.ok(saved.includes("\t// my notes\n") && saved.includes(`"metadata": {"tags": ["story"]}`), saved);
  assert.ok(!saved.includes('"parameters"'), "no parameters property appears where the user had none");
  assert.deepEqual(JSON.parse(saved.replace("// my notes", "")).prompts[0].outputs, [{ output_type: "execute_result", data: "hello" }]);
});

test("constructed: a YAML file keeps its comments and layout when a prompt's output is added", () => {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-layout-"));
  const file = join(dir, "c.aiconfig.yaml");
  const text = `# my notes\nname: c\nschema_version: latest\nmetadata:\n  tags: [story]  # compact\nprompts:\n  - name: a\n    input: hi\n`;
  writeFileSync(file, text);
  const runtime = AIConfigRuntime.load(file);
  runtime.config.prompts[0]!.outputs = [{ output_type: "execute_result", data: "hello" }];
  runtime.save();
  const saved = readFileSync(file, "utf8");
  assert.ok(saved.startsWith("# my notes\nname: c\n") && saved.includes("tags: [story]  # compact"), saved);
  assert.ok(!saved.includes("parameters"), saved);
  assert.match(saved, /outputs:\n\s+- output_type: execute_result\n\s+data: hello/);
});
