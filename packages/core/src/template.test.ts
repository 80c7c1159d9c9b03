import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { compileTemplate, templateValue } from "./template.js";

const Handlebars = createRequire(import.meta.url)("handlebars") as typeof import("handlebars");

const context = {
  who: `<b>Tom & "Jerry"</b>`,
  n: 0,
  yes: false,
  nothing: null,
  obj: templateValue({ a: 1, nested: { b: "deep" } }),
  list: templateValue(["x", "y"]),
  trip: { output: "OUT", input: "IN" },
  "my-prompt": { output: "dash" },
};

test("simple templates render exactly as Handlebars (noEscape) renders them", () => {
  for (const source of [
    "Hello {{who}}!",
    "{{{who}}} and {{ who }}",
    "{{n}}/{{yes}}/{{nothing}}/{{missing}}/{{missing.deeper}}",
    "{{obj}} {{obj.a}} {{obj.nested.b}} {{obj.toString}}",
    "{{list}}",
    "{{trip.output}} then {{trip.input}}",
    "{{my-prompt.output}}",
    "}} stray braces {",
  ]) {
    const expected = Handlebars.compile(source, { noEscape: true })(context);
    assert.equal(compileTemplate(source).render(context), expected, source);
  }
});

test("everything else goes through Handlebars: blocks, helpers, comments, escapes, whitespace control", () => {
  for (const source of [
    "{{#each list}}[{{this}}]{{/each}}",
    "{{#if yes}}y{{else}}n{{/if}}",
    "a {{! note }} b",
    "\\{{who}} {{who}}",
    "a {{~who~}} b",
    "{{list.[0]}}",
    "{{lookup obj 'a'}}",
  ]) {
    const expected = Handlebars.compile(source, { noEscape: true })(context);
    assert.equal(compileTemplate(source).render(context), expected, source);
  }
});

test("names are the top-level names a template reads", () => {
  assert.deepEqual([...compileTemplate("{{a}} {{b.output}} {{{c}}}").names].sort(), ["a", "b", "c"]);
  assert.deepEqual([...compileTemplate("{{#each items}}{{inner}}{{/each}} {{#if flag}}{{shown}}{{/if}}").names].sort(), [
    "flag",
    "items",
    "shown",
  ]);
  assert.deepEqual([...compileTemplate("plain text").names], []);
});

test("the compile cache keeps the templates in use when more than 50,000 were compiled (it was emptied whole when full)", () => {
  const first = compileTemplate("Question 0 about {{topic}}?");
  for (let i = 1; i <= 60_000; i++) compileTemplate(`Question ${i} about {{topic}}?`);
  assert.equal(compileTemplate("Question 0 about {{topic}}?"), first, "compiled once");
  assert.equal(compileTemplate("Question 60000 about {{topic}}?").render({ topic: "otters" }), "Question 60000 about otters?");
});
