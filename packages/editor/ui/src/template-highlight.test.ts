import assert from "node:assert/strict";
import { test } from "node:test";
import { splitTemplate, tagName } from "./template-highlight";

test("tags are classified: parameter, prompt reference, helper, or undefined name", () => {
  const parts = splitTemplate(
    "Hi {{ who }}, see {{story.output}} {{#if x}}{{missing}}{{/if}}{{{raw}}}",
    new Set(["who", "x", "raw"]),
    new Set(["story"]),
  );
  assert.deepEqual(
    parts.map((p) => [p.kind, p.text]),
    [
      ["text", "Hi "],
      ["param", "{{ who }}"],
      ["text", ", see "],
      ["ref", "{{story.output}}"],
      ["text", " "],
      ["helper", "{{#if x}}"],
      ["missing", "{{missing}}"],
      ["helper", "{{/if}}"],
      ["param", "{{{raw}}}"],
    ],
  );
  assert.equal(
    parts.map((p) => p.text).join(""),
    "Hi {{ who }}, see {{story.output}} {{#if x}}{{missing}}{{/if}}{{{raw}}}",
    "nothing is lost",
  );
  assert.equal(tagName("{{~ a.b[0] ~}}"), "a");
});
