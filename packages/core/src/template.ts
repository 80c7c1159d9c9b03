/**
 * Prompt templates: Handlebars with HTML escaping off (a prompt is not HTML:
 * `<b>Tom & "Jerry"</b>` reaches the model unchanged), and a check that every
 * parameter a template uses is defined.
 *
 * Handlebars is loaded lazily, on the first template that has `{{`; a string
 * without `{{` is returned as it is, so plain prompts cost nothing.
 *
 * @packageDocumentation
 */
import { createRequire } from "node:module";
import { TemplateError } from "./errors.js";

type HandlebarsModule = typeof import("handlebars");
type HBNode = { type: string; [key: string]: any };

const require = createRequire(import.meta.url);
let handlebarsModule: HandlebarsModule | undefined;
function handlebars(): HandlebarsModule {
  if (!handlebarsModule) {
    const hb = require("handlebars") as HandlebarsModule;
    handlebarsModule = hb.create();
  }
  return handlebarsModule;
}

/** A compiled template and the names it uses. */
export interface CompiledTemplate {
  /** The template source. */
  readonly source: string;
  /**
   * Top-level names the template reads from its context: `{{city}}` gives
   * `city`, `{{trip.output}}` gives `trip`. Names inside `#each`/`#with`
   * blocks (whose context changes) are not included.
   */
  readonly names: ReadonlySet<string>;
  /** Renders with a context object. Values are inserted as they are, never HTML-escaped. */
  render(context: Record<string, unknown>): string;
}

const BUILTIN_HELPERS = new Set(["if", "unless", "each", "with", "lookup", "log"]);
const CONTEXT_CHANGING = new Set(["each", "with"]);
const cache = new Map<string, CompiledTemplate>();
const CACHE_LIMIT = 50_000;

function collectNames(node: HBNode | undefined, names: Set<string>): void {
  if (!node) return;
  switch (node.type) {
    case "Program":
      for (const s of node.body) collectNames(s, names);
      return;
    case "MustacheStatement":
    case "SubExpression": {
      const isHelperCall = node.params.length > 0 || (node.hash && node.hash.pairs.length > 0);
      if (!isHelperCall) addPath(node.path, names);
      else if (node.path.type === "PathExpression" && !BUILTIN_HELPERS.has(node.path.head ?? node.path.parts[0])) addPath(node.path, names);
      for (const p of node.params) collectNames(p, names);
      for (const pair of node.hash?.pairs ?? []) collectNames(pair.value, names);
      return;
    }
    case "BlockStatement": {
      for (const p of node.params) collectNames(p, names);
      const helper = node.path.parts?.[0];
      if (!BUILTIN_HELPERS.has(helper)) addPath(node.path, names);
      if (!CONTEXT_CHANGING.has(helper)) collectNames(node.program, names);
      collectNames(node.inverse, names);
      return;
    }
    case "PathExpression":
      addPath(node, names);
      return;
    default:
      return;
  }
}

function addPath(path: HBNode, names: Set<string>): void {
  if (path.type !== "PathExpression" || path.data || path.this) return;
  const head = path.parts?.[0] ?? path.head;
  if (typeof head === "string" && head !== "this" && path.depth === 0) names.add(head);
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** `{{name}}`, `{{name.output}}`, `{{{ name }}}`: a mustache that only looks up a path. */
const SIMPLE_MUSTACHE = /\{\{(\{?)\s*([A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*)\s*(\}?)\}\}/g;

/**
 * Templates whose every mustache is a plain path lookup (the great majority of
 * prompts) are rendered without compiling them with Handlebars, which costs
 * far more than rendering. The output is what Handlebars gives for them with
 * `noEscape`: own properties only, functions called, `null`/`undefined` as
 * `""`, other values as `String(value)`. Anything else (blocks, helpers, comments, escapes,
 * whitespace control) returns `undefined` and goes to Handlebars.
 */
function compileSimpleTemplate(source: string): CompiledTemplate | undefined {
  if (source.includes("\\{{")) return undefined;
  const literals: string[] = [];
  const paths: string[][] = [];
  let last = 0;
  for (const match of source.matchAll(SIMPLE_MUSTACHE)) {
    if (match[1] !== match[3]) return undefined; // `{{{x}}` or `{{x}}}`: let Handlebars judge
    const segments = match[2]!.split(".");
    if (segments[0] === "this") return undefined;
    literals.push(source.slice(last, match.index));
    paths.push(segments);
    last = match.index! + match[0].length;
  }
  const tail = source.slice(last);
  if (literals.some((l) => l.includes("{{")) || tail.includes("{{")) return undefined;
  literals.push(tail);
  const names = new Set(paths.map((p) => p[0]!));
  return {
    source,
    names,
    render(context) {
      let out = literals[0]!;
      for (let i = 0; i < paths.length; i++) {
        let value: unknown = context;
        let parent: unknown;
        for (const segment of paths[i]!) {
          parent = value;
          value =
            value !== null && typeof value === "object" && Object.hasOwn(value, segment)
              ? (value as Record<string, unknown>)[segment]
              : undefined;
          if (value === undefined) break;
        }
        if (typeof value === "function") value = value.call(parent); // as Handlebars does
        out += (value === null || value === undefined ? "" : String(value)) + literals[i + 1]!;
      }
      return out;
    },
  };
}

/**
 * Compiles a template (cached by source).
 * @throws {TemplateError} when the template is not valid Handlebars, with Handlebars' message.
 */
export function compileTemplate(source: string): CompiledTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  if (!source.includes("{{")) return { source, names: NO_NAMES, render: () => source };
  let compiled: CompiledTemplate | undefined = compileSimpleTemplate(source);
  if (!compiled) {
    const hb = handlebars();
    const names = new Set<string>();
    let ast: HBNode;
    try {
      ast = hb.parse(source) as unknown as HBNode;
    } catch (error) {
      throw new TemplateError(`invalid template: ${(error as Error).message.split("\n")[0]}`);
    }
    collectNames(ast, names);
    const fn = hb.compile(ast as any, { noEscape: true, strict: false });
    compiled = {
      source,
      names,
      render: (context) => {
        try {
          return fn(context);
        } catch (error) {
          throw new TemplateError(`template failed: ${(error as Error).message.split("\n")[0]}`);
        }
      },
    };
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/**
 * Turns a parameter value into what a template inserts: strings and numbers as
 * they are; objects and arrays keep their shape for `#each`/`lookup`, but print
 * as JSON when inserted whole (not as `[object Object]`).
 */
export function templateValue(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const json = JSON.stringify(value);
  if (Array.isArray(value)) {
    const copy = value.map(templateValue);
    Object.defineProperty(copy, "toString", { value: () => json, enumerable: false });
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) copy[k] = templateValue(v);
  Object.defineProperty(copy, "toString", { value: () => json, enumerable: false });
  return copy;
}
