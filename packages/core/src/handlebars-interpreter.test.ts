import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { corpusFiles } from "@aiconfig-ts/testing";
import { compileTemplateWithoutEval, type HandlebarsForInterpreter, NOT_A_HELPER_MESSAGE } from "./handlebars-interpreter.js";
import { joinPiecesAsText } from "./handlebars-text-joining.js";
import { readConfigFile } from "./parse.js";
import type { AIConfig } from "./types.js";
import { compileTemplate, templateValue } from "./template.js";

const Handlebars = createRequire(import.meta.url)("handlebars") as typeof import("handlebars");

/** What a render gave: its text, or its error (class and first line of the message). */
type Outcome = { text: string } | { error: string };

function outcome(render: () => string): Outcome {
  try {
    return { text: render() };
  } catch (error) {
    const message = String((error as Error).message).split("\n")[0]!;
    // Compiled code's TypeError for a value called as a helper quotes the generated code: said as the interpreter says it.
    if (error instanceof TypeError && message.endsWith(".call is not a function")) return { error: `TypeError: ${NOT_A_HELPER_MESSAGE}` };
    return { error: `${(error as Error).constructor.name}: ${message}` };
  }
}

/**
 * Renders `source` with `Handlebars.compile` as core compiles (pieces joined as text) and with the interpreter
 * (each on a fresh instance) and asserts the same outcome.
 */
function assertSameAsCompiled(source: string, context: unknown, noEscape = true): Outcome {
  const compiled = outcome(() => joinPiecesAsText(Handlebars.create()).compile(source, { noEscape, strict: false })(context));
  const interpreted = outcome(() =>
    compileTemplateWithoutEval(Handlebars.create() as unknown as HandlebarsForInterpreter, source, { noEscape })(context),
  );
  assert.deepEqual(interpreted, compiled, `${JSON.stringify(source)} (noEscape: ${noEscape})`);
  return compiled;
}

/** Every string literal with `{{` in core's tests that render templates: the templates those tests use. */
function templatesOfCoreTests(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const sources = new Set<string>();
  for (const name of readdirSync(here).filter((n) => n.endsWith(".test.ts") && n !== "handlebars-interpreter.test.ts")) {
    const text = readFileSync(join(here, name), "utf8");
    for (const [literal] of text.matchAll(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`/g)) {
      if (!literal.includes("{{")) continue;
      const body = literal.slice(1, -1);
      const value = literal.startsWith('"')
        ? (JSON.parse(literal) as string)
        : body.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
      sources.add(value);
    }
  }
  return [...sources];
}

/** Constructed: values as core hands them to templates (parameters through templateValue, outputs of prompts). */
const CONTEXT = {
  who: `<b>Tom & "Jerry"</b>`,
  n: 1,
  m: 2,
  zero: 0,
  yes: true,
  no: false,
  nothing: null,
  empty: "",
  str: "abc",
  list: templateValue(["x", "y", "z"]),
  nums: templateValue([5, 6]),
  emptyList: templateValue([]),
  obj: templateValue({ a: 1, b: "two", nested: { b: "deep", list: [1, 2] } }),
  emptyObj: templateValue({}),
  people: templateValue([
    { name: "Ada", age: 36, tags: ["math", "engines"] },
    { name: "Alan", age: 41, tags: [] },
  ]),
  key: "a",
  topic: "otters",
  trip: { output: "OUT", input: "IN" },
  "my-prompt": { output: "dash" },
  "weird key": "spaced",
};

/** Constructed: block helpers, helpers, paths, data, whitespace control, partials, decorators and their errors. */
const CONSTRUCTED = [
  "{{#if yes}}y{{else}}n{{/if}} {{#if no}}y{{else}}n{{/if}} {{#if zero}}y{{else}}n{{/if}} {{#if zero includeZero=true}}y{{/if}}",
  "{{#if nothing}}a{{else if empty}}b{{else if str}}c{{else}}d{{/if}}",
  "{{#unless no}}not no{{else}}no{{/unless}}{{#unless list}}empty{{/unless}}",
  "{{#if emptyList}}full{{else}}empty list{{/if}} {{#if emptyObj}}obj{{/if}}",
  "{{#each list}}[{{@index}}:{{this}}{{#if @first}} first{{/if}}{{#if @last}} last{{/if}}]{{/each}}",
  "{{#each list}}{{.}}{{else}}none{{/each}}|{{#each emptyList}}x{{else}}none{{/each}}|{{#each nothing}}x{{else}}nil{{/each}}",
  "{{#each obj}}{{@key}}={{this}};{{/each}}",
  "{{#each people}}{{name}} ({{age}}) of {{@root.topic}}: {{#each tags}}{{this}}/{{../name}}/{{@../index}} {{else}}no tags{{/each}}\n{{/each}}",
  "{{#each people as |person i|}}{{i}}.{{person.name}} {{#each person.tags as |tag|}}{{tag}}-{{person.age}} {{/each}}{{/each}}",
  "{{#each list as |a|}}{{#each ../list as |b|}}{{a}}{{b}} {{/each}}{{/each}}",
  "{{#with obj}}{{a}} {{b}} {{nested.b}} {{../topic}}{{/with}}{{#with nothing}}x{{else}}no obj{{/with}}",
  "{{#with obj as |o|}}{{o.a}}{{#with o.nested as |nn|}}{{nn.b}}{{o.b}}{{/with}}{{/with}}",
  "{{lookup obj key}} {{lookup obj 'b'}} {{lookup list 1}} {{lookup . 'topic'}} {{lookup nothing 'x'}}",
  "{{#each people}}{{lookup ../obj 'a'}}{{lookup this 'name'}}{{/each}}",
  "{{#with (lookup people 0)}}{{name}}{{/with}} {{#if (lookup obj 'a')}}has a{{/if}}",
  "{{{who}}} {{who}} {{&who}}",
  "{{this.topic}} {{./topic}} {{obj/nested/b}} {{[weird key]}} {{obj.[a]}} {{list.[1]}} {{list.length}} {{str.length}}",
  "{{n}}{{m}}",
  "{{n}}{{m}}{{yes}}",
  "{{#if yes}}{{n}}{{m}}{{/if}}",
  "{{n}}{{#if yes}}{{m}}{{/if}}",
  "a {{! a comment }} b {{!-- a {{long}} comment --}} c",
  "\\{{topic}} {{topic}} \\\\{{topic}}",
  "{{{{raw}}}} {{topic}} {{{{/raw}}}}",
  "a  {{~topic~}}  b {{~#if yes~}} c {{~/if~}} d",
  "line\n  {{#each list}}\n  - {{this}}\n  {{/each}}\nend\n",
  "{{#if yes}}\n  yes\n{{else}}\n  no\n{{/if}}\n",
  "{{@root.topic}} {{@index}} {{../topic}} {{@root.obj.a}}",
  "{{obj}} {{list}} {{people}} {{trip.output}} {{my-prompt.output}}",
  "{{obj.constructor}} {{obj.__proto__}} {{list.constructor.name}} {{str.toUpperCase}} {{obj.hasOwnProperty}}",
  "{{#list}}{{this}}{{/list}}|{{#obj}}{{a}}{{/obj}}|{{#yes}}t{{/yes}}|{{#no}}f{{else}}not f{{/no}}|{{#missing}}m{{else}}no m{{/missing}}",
  "{{#emptyList}}x{{else}}empty{{/emptyList}} {{#str}}{{this}}{{/str}} {{#zero}}z{{else}}nz{{/zero}}",
  "{{#obj.nested}}{{b}}{{/obj.nested}} {{#obj.nested.list}}{{this}}{{/obj.nested.list}} {{^yes}}inv{{/yes}}{{^no}}inv2{{/no}}",
  "{{#each people}}{{#with tags}}{{#each this}}{{.}}{{/each}}{{/with}}{{/each}}",
  "{{log 'from a template' level='debug'}}done",
  "{{#each list}}{{#each ../people}}{{../this}}{{name}} {{/each}}{{/each}}",
  "{{#each 'text'}}{{this}}{{/each}}|{{#each 3}}x{{/each}}",
  "{{#with 'str'}}{{length}}{{/with}}",
  "{{#if (lookup obj key)}}{{lookup obj key}}{{/if}}",
  "{{#*inline 'row'}}<{{name}}>{{/inline}}{{#each people}}{{> row}}{{/each}}",
  "{{#> layout}}default {{topic}}{{/layout}}",
  "  {{#> layout}}\n  indented {{n}}\n  {{/layout}}\n",
  "{{> (lookup . 'topic')}}",
  '{{#*inline "layout"}}<{{> @partial-block}}>{{/inline}}{{#> layout}}x {{topic}}{{/layout}}',
  '{{#*inline "row"}}[{{name}}|{{extra}}]{{/inline}}{{#each people}}{{> row extra="e"}}{{/each}}{{> row people.[1] name="over"}}',
  '{{#*inline "a"}}A{{#*inline "b"}}B{{/inline}}{{> b}}{{/inline}}{{> a}}{{#each list}}{{#*inline "p"}}in{{this}}{{/inline}}{{> p}}{{/each}}',
  '  {{#*inline "p"}}\n  line1\n  line2\n  {{/inline}}\n  {{> p}}\n  {{> p}}\n',
  "{{#if n}}a{{else unless n}}b{{else each list}}{{this}}{{/if}}|{{#if zero}}a{{else each list}}{{this}}{{else}}none{{/if}}",
  "{{#with obj as |o|}}{{#each ../list as |item idx|}}{{o.b}}{{item}}{{idx}}{{@index}}{{/each}}{{/with}}",
  "{{#each people}}{{#each ../list}}{{@../index}}{{@index}}{{../name}}{{../../topic}}{{/each}}{{/each}}",
  "{{> @partial-block}}",
  // errors
  "{{missingHelper topic}}",
  "{{#missingBlock topic}}x{{/missingBlock}}",
  "{{topic 'arg'}}",
  "{{obj.a 'arg'}}",
  "{{#topic 'arg'}}x{{/topic}}",
  "{{> missingPartial}}",
  "{{#with}}x{{/with}}",
  "{{#if yes no}}x{{/if}}",
  "{{#each}}x{{/each}}",
  "{{helperMissing}}",
  "{{blockHelperMissing}}",
  "{{*decorator}}",
  "{{#*decorator}}x{{/decorator}}",
  "{{> p a b}}",
  "{{#each list as |a b c|}}{{a}}{{/each}}",
  "{{if}}{{unless}}",
  "{{lookup}}",
  "{{#if yes}}{{/unless}}",
  "{{#each list}}",
  "{{topic",
];

/** Constructed: values a template may meet in Handlebars' own use (lambdas, helpers on the context), beside core's. */
const LAMBDA_CONTEXT = {
  ...CONTEXT,
  greet: function (this: unknown, options: { name: string; hash: object }) {
    return `hi from ${options.name} ${JSON.stringify(options.hash)}`;
  },
  shout: (text: unknown) => String(text).toUpperCase(),
  lazy: { value: () => "computed" },
  block: function (this: unknown, options: { fn: (c: unknown) => string }) {
    return `<${options.fn({ topic: "inner" })}>`;
  },
};
const LAMBDA_CASES = [
  "{{greet}} {{greet k=1}} {{shout topic}} {{shout (shout topic)}} {{lazy.value}}",
  "{{#block}}{{topic}}{{/block}} {{#block}}{{topic}}{{else}}no{{/block}}",
  "{{#each people}}{{shout name}}{{/each}}",
];

describe("the interpreter renders as Handlebars.compile does (output and errors)", () => {
  test("every template of core's tests, with and without escaping", () => {
    const sources = templatesOfCoreTests();
    assert.ok(sources.length >= 30, `expected the templates of core's tests, found ${sources.length}`);
    for (const source of sources) {
      for (const noEscape of [true, false]) {
        assertSameAsCompiled(source, CONTEXT, noEscape);
        assertSameAsCompiled(source, {}, noEscape);
      }
    }
  });

  test("every template of the corpus, with its file's parameters and prompt outputs", () => {
    let templates = 0;
    for (const file of corpusFiles()) {
      let config: AIConfig;
      try {
        config = readConfigFile(file).data as AIConfig;
      } catch {
        continue; // the corpus keeps a few broken files (corpus-format.test.ts checks their errors)
      }
      if (!Array.isArray(config?.prompts)) continue;
      const context: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(config.metadata?.parameters ?? {})) context[name] = templateValue(value);
      for (const prompt of config.prompts) {
        for (const [name, value] of Object.entries(prompt.metadata?.parameters ?? {})) context[name] ??= templateValue(value);
        context[prompt.name] = templateValue({ input: prompt.input, output: `output of ${prompt.name}` });
      }
      const strings: string[] = [];
      const walk = (value: unknown): void => {
        if (typeof value === "string") {
          if (value.includes("{{")) strings.push(value);
        } else if (value && typeof value === "object") for (const child of Object.values(value)) walk(child);
      };
      walk(config);
      for (const source of strings) {
        const result = assertSameAsCompiled(source, context);
        assert.ok("text" in result, `${file}: ${source.slice(0, 60)} renders`);
        templates++;
      }
    }
    assert.ok(templates >= 50, `expected the corpus' templated strings, found ${templates}`);
  });

  test("constructed block helpers, paths, data, partials and decorators, and their errors", () => {
    const outcomes = CONSTRUCTED.map((source) => {
      assertSameAsCompiled(source, CONTEXT, false);
      return assertSameAsCompiled(source, CONTEXT);
    });
    const errors = outcomes.filter((o) => "error" in o).length;
    assert.ok(errors >= 15, `the error cases fail in both (${errors} failed)`);
    for (const source of CONSTRUCTED) assertSameAsCompiled(source, {});
    for (const source of LAMBDA_CASES) assertSameAsCompiled(source, LAMBDA_CONTEXT);
  });

  test("constructed: 1,000 templates from a seeded generator nesting blocks, paths, data, whitespace control and errors", () => {
    let seed = 14;
    /** mulberry32: a seeded generator, so every run checks the same templates. */
    const random = (n: number): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;
    const PATHS = [
      "topic",
      "n",
      "zero",
      "nothing",
      "list",
      "obj.a",
      "obj.nested.b",
      "people",
      "this",
      ".",
      "../topic",
      "@index",
      "@key",
      "@first",
      "@root.topic",
      "list.[1]",
      "missing",
      "str.length",
      "name",
      "tags",
      "@../index",
      "../n",
    ];
    const VALUES = [
      "yes",
      "no",
      "zero",
      "list",
      "emptyList",
      "obj",
      "people",
      "nothing",
      "this",
      "tags",
      "str",
      "missing",
      "../list",
      "(lookup obj key)",
      "'text'",
      "0",
      "1",
      "true",
      "null",
    ];
    const TEXT = ["a", " ", "\n", "  \n", "<b>&</b>", "\n  ", "{{! c }}", "\\{{topic}}", "x\n\n"];
    const template = (depth: number): string => {
      let out = "";
      for (let parts = 1 + random(4); parts > 0; parts--) {
        const kind = depth > 2 ? random(3) : random(8);
        const tilde = () => (random(5) === 0 ? "~" : "");
        if (kind === 0) out += pick(TEXT);
        else if (kind === 1) out += `{{${tilde()}${pick(PATHS)}${tilde()}}}`;
        else if (kind === 2)
          out += `{{${pick(["lookup obj key", "lookup . 'topic'", "lookup list 0", "log", "missingHelper n", "lookup people 1"])}}}`;
        else {
          const helper = pick(["if", "unless", "each", "with", "each", "if", "list", "obj", "missing"]);
          const param = helper === "list" || helper === "obj" || helper === "missing" ? "" : ` ${pick(VALUES)}`;
          const params = helper === "each" && random(3) === 0 ? `${param} as |item i|` : param;
          const inverse = random(3) === 0 ? `{{${tilde()}else${tilde()}}}${template(depth + 1)}` : "";
          out += `${pick(["", "\n", "  "])}{{${tilde()}#${helper}${params}${tilde()}}}${random(2) ? "\n" : ""}${template(depth + 1)}${random(3) ? "" : "{{item}}{{i}}"}${inverse}{{${tilde()}/${helper}${tilde()}}}`;
        }
      }
      return out;
    };
    const seen = new Set<string>();
    let errors = 0;
    for (let i = 0; seen.size < 1000 && i < 10_000; i++) {
      const source = template(0);
      if (seen.has(source)) continue;
      seen.add(source);
      if ("error" in assertSameAsCompiled(source, CONTEXT)) errors++;
    }
    assert.equal(seen.size, 1000);
    assert.ok(errors > 0 && errors < 700, `some generated templates fail in both (${errors})`);
  });

  test("block helpers render the text Handlebars gives (spot checks of known values)", () => {
    const render = (source: string) =>
      compileTemplateWithoutEval(Handlebars.create() as unknown as HandlebarsForInterpreter, source, { noEscape: true })(CONTEXT);
    assert.equal(render("{{#each list}}{{@index}}={{this}} {{/each}}"), "0=x 1=y 2=z ");
    assert.equal(render("{{#if no}}y{{else if yes}}e{{/if}}{{#unless yes}}u{{/unless}}"), "e");
    assert.equal(render("{{#with obj}}{{nested.b}}{{/with}} {{lookup obj key}}"), "deep 1");
    assert.equal(render("{{n}}{{m}}"), "12", "pieces are joined as text (bare Handlebars with noEscape adds the numbers: 3)");
    assert.equal(render("{{#each nums}}{{this}}{{@index}}{{/each}}"), "5061");
    assert.throws(() => render("{{topic 'x'}}"), { name: "TypeError", message: NOT_A_HELPER_MESSAGE });
  });
});

test("the interpreter renders with no code generation, where Handlebars.compile cannot (the Function constructor refused, as under a CSP)", () => {
  const source = "{{#each people}}{{#if @first}}{{name}}{{else}}, {{name}}{{/if}}{{/each}} on {{lookup . 'topic'}}";
  const interpreted = compileTemplateWithoutEval(Handlebars.create() as unknown as HandlebarsForInterpreter, source, { noEscape: true });
  const compiled = Handlebars.create().compile(source, { noEscape: true });
  const realFunction = globalThis.Function;
  const refused = new Proxy(realFunction, {
    apply() {
      throw new EvalError("code generation from strings refused");
    },
    construct() {
      throw new EvalError("code generation from strings refused");
    },
  });
  globalThis.Function = refused;
  try {
    assert.equal(interpreted(CONTEXT), "Ada, Alan on otters");
    assert.throws(() => compiled(CONTEXT), EvalError, "Handlebars.compile generates code (the guard bites)");
  } finally {
    globalThis.Function = realFunction;
  }
});

test("a value called as a helper is one readable line in core on both paths, not the generated code compiled Handlebars quotes", () => {
  const source = "Trip to {{topic 'x'}}";
  assert.throws(() => Handlebars.create().compile(source, { noEscape: true })({ topic: "Oslo" }), /\.call is not a function$/);
  assert.throws(() => compileTemplate(source).render({ topic: "Oslo" }), {
    name: "TemplateError",
    message: `template failed: ${NOT_A_HELPER_MESSAGE}`,
  });
});

test("attack: a template climbing to Function through constructor and __proto__ lookups gets nothing and runs nothing", () => {
  let ran = false;
  const realFunction = globalThis.Function;
  globalThis.Function = new Proxy(realFunction, {
    construct(target, args) {
      ran = true;
      return Reflect.construct(target, args);
    },
  });
  try {
    for (const source of [
      '{{#with "s" as |string|}}{{#with string.constructor as |S|}}{{S.name}}{{/with}}{{/with}}',
      '{{#with (lookup this "constructor") as |c|}}[{{c}}]{{#with (lookup c "constructor") as |f|}}<{{f}}>{{/with}}{{/with}}',
      "{{lookup (lookup obj 'constructor') 'constructor'}}{{obj.constructor.constructor}}",
      "{{#each (lookup obj '__proto__')}}{{@key}}{{/each}}{{#with obj.__proto__}}{{constructor}}{{/with}}",
      "{{#with list.constructor}}{{#with constructor}}{{this 'return process'}}{{/with}}{{/with}}",
    ]) {
      const text = compileTemplateWithoutEval(Handlebars.create() as unknown as HandlebarsForInterpreter, source, { noEscape: true })(
        CONTEXT,
      );
      assert.doesNotMatch(text, /function|Function|native code|Object|String/, source);
    }
  } finally {
    globalThis.Function = realFunction;
  }
  assert.equal(ran, false, "the Function constructor was never reached");
});
