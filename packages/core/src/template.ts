/**
 * Prompt templates: Handlebars with HTML escaping off (a prompt is not HTML:
 * `<b>Tom & "Jerry"</b>` reaches the model unchanged), and a check that every
 * parameter a template uses is defined.
 *
 * Handlebars is loaded lazily, on the first template that needs it; a string
 * without `{{` is returned as it is, so plain prompts cost nothing. Each
 * distinct template is compiled once and kept in a least-recently-used cache.
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

/**
 * Compiled templates by source: a least-recently-used cache (`lru-cache`) of
 * {@link CACHE_MAX_TEMPLATES} entries, so that a file of 100,000 templated
 * prompts stays compiled across resolves, and a long-running process (the
 * editor, a server) forgets the templates it stopped using, one at a time,
 * never all at once. Bounded by count, not size: the size bookkeeping cost
 * more than compiling a plain-path template. Loaded on the first template with `{{`.
 */
const CACHE_MAX_TEMPLATES = 100_000;
type TemplateCache = { get(key: string): CompiledTemplate | undefined; set(key: string, value: CompiledTemplate): unknown };
let cache: TemplateCache | undefined;
function templateCache(): TemplateCache {
  if (!cache) {
    const { LRUCache } = require("lru-cache") as typeof import("lru-cache");
    cache = new LRUCache<string, CompiledTemplate>({ max: CACHE_MAX_TEMPLATES });
  }
  return cache;
}

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

/** The inside of `{{name}}`, `{{name.output}}`, `{{{ name }}}`: a mustache that only looks up a path. */
const SIMPLE_PATH = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * Templates whose every mustache is a plain path lookup (the great majority of
 * prompts) are rendered without compiling them with Handlebars, which costs
 * far more than rendering. The output is what Handlebars gives for them with
 * `noEscape`: own properties only, functions called, `null`/`undefined` as
 * `""`, other values as `String(value)`. Anything else (blocks, helpers, comments, escapes,
 * whitespace control) returns `undefined` and goes to Handlebars. One scan
 * with `indexOf`, no regular expression over the whole text.
 */
function compileSimpleTemplate(source: string): CompiledTemplate | undefined {
  if (source.includes("\\{{")) return undefined;
  const literals: string[] = [];
  const paths: string[][] = [];
  let last = 0;
  for (let open = source.indexOf("{{"); open !== -1; open = source.indexOf("{{", last)) {
    const triple = source.charCodeAt(open + 2) === OPEN_BRACE;
    const start = open + (triple ? 3 : 2);
    const close = source.indexOf("}}", start);
    if (close === -1) return undefined;
    let end = close + 2;
    if (triple) {
      if (source.charCodeAt(end) !== CLOSE_BRACE) return undefined; // `{{{x}}`: let Handlebars judge
      end++;
    }
    if (source.charCodeAt(end) === CLOSE_BRACE) return undefined; // `{{x}}}`: let Handlebars judge
    const inner = source.slice(start, close).trim();
    if (!SIMPLE_PATH.test(inner)) return undefined;
    const segments = inner.split(".");
    if (segments[0] === "this") return undefined;
    literals.push(source.slice(last, open));
    paths.push(segments);
    last = end;
  }
  const tail = source.slice(last);
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
 * Compiles a template (kept by source in a least-recently-used cache: each
 * distinct template in use is compiled once).
 * @throws {TemplateError} when the template is not valid Handlebars, with Handlebars' message.
 */
export function compileTemplate(source: string): CompiledTemplate {
  if (!source.includes("{{")) return { source, names: NO_NAMES, render: () => source };
  const cache = templateCache();
  const hit = cache.get(source);
  if (hit) return hit;
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
