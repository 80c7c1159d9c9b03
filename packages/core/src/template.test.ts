import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { compileTemplate, renderPlainTemplate, templateValue } from "./template.js";

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

/** Templates of plain path lookups (constructed), the shapes prompts use. */
const PLAIN_SOURCES = [
  "Hello {{who}}!",
  "{{{who}}} and {{ who }}",
  "{{n}}/{{yes}}/{{nothing}}/{{missing}}/{{missing.deeper}}",
  "{{obj}} {{obj.a}} {{obj.nested.b}} {{obj.toString}}",
  "{{list}}",
  "{{trip.output}} then {{trip.input}}",
  "{{my-prompt.output}}",
  "}} stray braces {",
];

test("simple templates render exactly as Handlebars (noEscape) renders them", () => {
  for (const source of PLAIN_SOURCES) {
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

test("plain templates rendered by a scan give what Handlebars gives; others are left to Handlebars", () => {
  const lookup = (name: string): unknown => (Object.hasOwn(context, name) ? context[name as keyof typeof context] : undefined);
  for (const source of [...PLAIN_SOURCES, "{{trip.output}} then {{trip.input}} and {{trip.output}} again", "no mustache at all"]) {
    const expected = Handlebars.compile(source, { noEscape: true })(context);
    assert.equal(renderPlainTemplate(source, lookup), expected, source);
  }
  for (const source of [
    "{{#each list}}[{{this}}]{{/each}}",
    "a {{! note }} b",
    "\\{{who}} {{who}}",
    "a {{~who~}} b",
    "{{list.[0]}}",
    "{{this.who}}",
    "{{who.}}",
  ]) {
    assert.equal(renderPlainTemplate(source, lookup), undefined, source);
  }
});

test("a template whose only mustache is {{name}} (the commonest, read in one match) renders as Handlebars does; look-alikes go to Handlebars", () => {
  const lookup = (name: string): unknown => (Object.hasOwn(context, name) ? context[name as keyof typeof context] : undefined);
  // Constructed: the shape of a long chat's prompts, and each kind of value a parameter holds.
  for (const source of [
    "Question 12 about {{who}}: the quick brown fox jumps over a lazy dog?",
    "{{n}}",
    "{{yes}}.",
    "[{{nothing}}]",
    "{{missing}}",
    "{{obj}}",
    "{{list}}",
    "{{thisx}} is no this",
    "{{who}}{{n}}",
    "{{who}} and {{ n }}",
    "{{who}} }",
  ]) {
    const expected = Handlebars.compile(source, { noEscape: true })(context);
    assert.equal(renderPlainTemplate(source, lookup), expected, source);
  }
  for (const source of ["{{this}}", "x \\{{who}}", "{{who}} then \\{{n}}", "{{who}}}", "{{who}} {{#if yes}}y{{/if}}"]) {
    assert.equal(renderPlainTemplate(source, lookup), undefined, source);
  }
});

test("a plain template looks each distinct name up once, in order of appearance, before reading any value", () => {
  const asked: string[] = [];
  const reads: string[] = [];
  const text = renderPlainTemplate("{{b.output}} {{a}} {{b.input}} {{a}}", (name) => {
    asked.push(name);
    assert.equal(reads.length, 0, "names are looked up before any value is read");
    return name === "b"
      ? {
          get output() {
            reads.push("output");
            return "O";
          },
          get input() {
            reads.push("input");
            return "I";
          },
        }
      : "A";
  });
  assert.equal(text, "O A I A");
  assert.deepEqual(asked, ["b", "a"]);
  assert.deepEqual(reads, ["output", "input"]);
});

test("numbers are joined as text in block templates too, as in plain ones and in the original SDK (bare Handlebars with noEscape adds them)", () => {
  const numbers = { a: 1, b: 2, yes: true, nums: templateValue([5, 6]) };
  assert.equal(compileTemplate("{{a}}{{b}}").render(numbers), "12", "the plain path");
  assert.equal(compileTemplate("{{#if yes}}{{a}}{{b}}{{/if}}").render(numbers), "12");
  assert.equal(compileTemplate("{{a}}{{b}}{{#if yes}}!{{/if}}").render(numbers), "12!");
  assert.equal(compileTemplate("{{#each nums}}{{this}}{{@index}}{{/each}}").render(numbers), "5061");
  assert.equal(compileTemplate("{{#with nums}}{{lookup this 0}}{{lookup this 1}}{{/with}}").render(numbers), "56");
  assert.equal(
    Handlebars.compile("{{#each nums}}{{this}}{{@index}}{{/each}}", { noEscape: true })(numbers),
    "57",
    "what bare Handlebars gives",
  );
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
