/**
 * Prompt templates: Handlebars with HTML escaping off (a prompt is not HTML:
 * `<b>Tom & "Jerry"</b>` reaches the model unchanged), and a check that every
 * parameter a template uses is defined.
 *
 * Handlebars is loaded lazily, on the first template that needs it; a string
 * without `{{` is returned as it is, so plain prompts cost nothing. The
 * runtime renders a template of plain `{{name}}`/`{{name.output}}` lookups
 * (most prompts) by one scan, compiling and keeping nothing
 * ({@link renderPlainTemplate}); other templates are compiled once and kept
 * in a least-recently-used cache ({@link compileTemplate}).
 *
 * Node compiles them with `Handlebars.compile`. A browser renders them with
 * `#platform`'s `compileTemplateWithoutEval` (`handlebars-interpreter.ts`):
 * a page's Content-Security-Policy (the static site's has no
 * `'unsafe-eval'`) refuses the `new Function` that `Handlebars.compile`
 * makes; the output and the errors are the same.
 *
 * @packageDocumentation
 */
import { compileTemplateWithoutEval, requireLibrary } from "#platform";
import { TemplateError } from "./errors.js";
import { type HandlebarsForInterpreter, NOT_A_HELPER_MESSAGE } from "./handlebars-interpreter.js";
import { joinPiecesAsText } from "./handlebars-text-joining.js";

type HandlebarsModule = typeof import("handlebars");
type HBNode = { type: string; [key: string]: any };

const require = requireLibrary;
let handlebarsModule: HandlebarsModule | undefined;
function handlebars(): HandlebarsModule {
  if (!handlebarsModule) {
    const hb = require("handlebars") as HandlebarsModule;
    handlebarsModule = joinPiecesAsText(hb.create());
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

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const DOT = 46;
const BACKSLASH = 92;

/** Where {@link scanMustache} found the last mustache (module state, so that scanning allocates nothing; copy before calling out). */
let innerStart = 0;
let innerEnd = 0;
let mustacheEnd = 0;

/** A path `name(.name)*` from `lastIndex` (sticky), as Handlebars reads a plain lookup: `[A-Za-z_$][\w$-]*` segments. */
const PATH_AT = /[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*/y;

/**
 * The commonest mustache, `{{name}}` (no spaces, no dots, not triple), read
 * from just after its `{{` (sticky): the name and the closing braces, not
 * followed by a third. One native match instead of a scan of the mustache
 * char by char, which costs most in the code that has not been optimised yet
 * (the first resolve of a long chat renders 10,000 prompts once each).
 */
const NAME_AND_CLOSE_AT = /[A-Za-z_$][\w$-]*\}\}(?!\})/y;

/**
 * Reads the mustache opening (`{{`) at `open`: whether it is a plain path
 * lookup (`{{name}}`, `{{ name.output }}`, `{{{name}}}`: not escaped as
 * `\{{`, the inside matches `[A-Za-z_$][\w$-]*(\.[A-Za-z_$][\w$-]*)*` once
 * trimmed, and does not start with `this`). When it is, sets
 * {@link innerStart}/{@link innerEnd} (the trimmed path) and
 * {@link mustacheEnd} (after the closing braces).
 */
function scanMustache(source: string, open: number): boolean {
  if (source.charCodeAt(open - 1) === BACKSLASH) return false; // `\{{`: an escaped mustache, for Handlebars
  const triple = source.charCodeAt(open + 2) === OPEN_BRACE;
  const start = open + (triple ? 3 : 2);
  const close = source.indexOf("}}", start);
  if (close === -1) return false;
  let end = close + 2;
  if (triple) {
    if (source.charCodeAt(end) !== CLOSE_BRACE) return false; // `{{{x}}`: let Handlebars judge
    end++;
  }
  if (source.charCodeAt(end) === CLOSE_BRACE) return false; // `{{x}}}`: let Handlebars judge
  let s = start;
  let e = close;
  for (let c = source.charCodeAt(s); s < e && (c === 32 || (c >= 9 && c <= 13)); c = source.charCodeAt(++s));
  for (let c = source.charCodeAt(e - 1); e > s && (c === 32 || (c >= 9 && c <= 13)); c = source.charCodeAt(--e - 1));
  PATH_AT.lastIndex = s;
  if (!PATH_AT.test(source) || PATH_AT.lastIndex !== e) return false;
  if (source.startsWith("this", s) && (s + 4 === e || source.charCodeAt(s + 4) === DOT)) return false;
  innerStart = s;
  innerEnd = e;
  mustacheEnd = end;
  return true;
}

/** The number of mustaches when every one is a plain path lookup, else -1. */
function countPlainMustaches(source: string): number {
  if (source.includes("\\{{")) return -1;
  let count = 0;
  for (let open = source.indexOf("{{"); open !== -1; open = source.indexOf("{{", mustacheEnd)) {
    if (!scanMustache(source, open)) return -1;
    count++;
  }
  return count;
}

/** The end of the top-level name of the path between `start` and `end` (the path is short: no search beyond it). */
function headEnd(source: string, start: number, end: number): number {
  for (let i = start; i < end; i++) if (source.charCodeAt(i) === DOT) return i;
  return end;
}

/** The top-level name of the path between `start` and `end`. */
function topName(source: string, start: number, end: number): string {
  return source.slice(start, headEnd(source, start, end));
}

/**
 * Follows the path's segments after its head from `value`, as Handlebars
 * does: own properties only, a function called on its parent, `null` and
 * `undefined` as `""`, other values as `String(value)`.
 */
function pathText(source: string, start: number, end: number, head: unknown, context: unknown): string {
  let value = head;
  let parent = context;
  for (let at = headEnd(source, start, end); at < end && value !== undefined; ) {
    const next = headEnd(source, at + 1, end);
    const segment = source.slice(at + 1, next);
    parent = value;
    value =
      value !== null && typeof value === "object" && Object.hasOwn(value, segment)
        ? (value as Record<string, unknown>)[segment]
        : undefined;
    at = next;
  }
  if (typeof value === "function") value = value.call(parent); // as Handlebars does
  return value === null || value === undefined ? "" : String(value);
}

/**
 * Whether the mustache opening (`{{`) at `open` is `{{name}}` (a top-level
 * name, no spaces, no dots, not `{{this}}`, not escaped as `\{{`, not
 * triple) and the last mustache of `source`: such a template renders as the
 * text before it, the name's value, and the text after it (what
 * {@link renderPlainTemplate} gives a value that is a string). Most prompts
 * are of this shape; one native match reads it.
 * @param open the index of the first `{{` in `source`
 * @returns the index just after the mustache's closing braces (the name runs from `open + 2` to that index `- 2`), or -1 when it is not of that shape
 */
export function onlyNameMustacheEnd(source: string, open: number): number {
  if (source.charCodeAt(open - 1) === BACKSLASH) return -1; // `\{{`: an escaped mustache, for Handlebars
  NAME_AND_CLOSE_AT.lastIndex = open + 2;
  if (!NAME_AND_CLOSE_AT.test(source)) return -1;
  const after = NAME_AND_CLOSE_AT.lastIndex;
  if (after - open === 8 && source.startsWith("this", open + 2)) return -1; // `{{this}}`: the context itself
  return source.indexOf("{{", after) === -1 ? after : -1;
}

/**
 * {@link onlyNameMustacheEnd}'s answer for a mustache already known by name:
 * whether the mustache opening at `open` (the first `{{` of `source`) is
 * `{{name}}` for the `name}}` given and the last mustache of `source`. No
 * match is run: the name is compared where it stands.
 * @param nameAndClose a name {@link onlyNameMustacheEnd} accepted before, with its closing braces (`topic}}`)
 */
export function isOnlyNameMustache(source: string, open: number, nameAndClose: string): boolean {
  const after = open + 2 + nameAndClose.length;
  return (
    source.startsWith(nameAndClose, open + 2) &&
    source.charCodeAt(after) !== CLOSE_BRACE &&
    source.charCodeAt(open - 1) !== BACKSLASH &&
    source.indexOf("{{", after) === -1
  );
}

/**
 * Renders a template whose every mustache is a plain path lookup without
 * compiling it (no objects built, nothing cached): what rendering its
 * {@link compileTemplate} result with a context holding `lookup(name)` for
 * each top-level name gives. `lookup` is called once per distinct name, in
 * the order the names first appear, before any text is produced (so a
 * missing name is reported before any value is read); it returns
 * `undefined` for a name the context does not have.
 * @returns the text, or `undefined` when a mustache is not a plain path lookup (compile it).
 */
export function renderPlainTemplate(source: string, lookup: (name: string) => unknown): string | undefined {
  const firstOpen = source.indexOf("{{");
  if (firstOpen === -1) return source;
  const nameOnlyEnd = onlyNameMustacheEnd(source, firstOpen);
  if (nameOnlyEnd !== -1) {
    // `{{name}}`, the only mustache (most prompts): read in one match.
    const nameEnd = nameOnlyEnd - 2;
    const value = lookup(source.slice(firstOpen + 2, nameEnd));
    const text = typeof value === "string" ? value : pathText(source, nameEnd, nameEnd, value, undefined);
    return source.slice(0, firstOpen) + text + source.slice(nameOnlyEnd);
  }
  if (!scanMustache(source, firstOpen)) return undefined;
  const start = innerStart;
  const end = innerEnd;
  const after = mustacheEnd;
  const nextOpen = source.indexOf("{{", after);
  if (nextOpen === -1) {
    // One mustache (most prompts): one scan.
    const value = lookup(topName(source, start, end));
    return source.slice(0, firstOpen) + pathText(source, start, end, value, undefined) + source.slice(after);
  }
  for (let open = nextOpen; open !== -1; open = source.indexOf("{{", mustacheEnd)) if (!scanMustache(source, open)) return undefined;
  // Several: the distinct names' values first (a name used twice is looked up once), then the text.
  const names: string[] = [];
  const values: unknown[] = [];
  for (let open = firstOpen; open !== -1; open = source.indexOf("{{", mustacheEnd)) {
    scanMustache(source, open);
    const name = topName(source, innerStart, innerEnd);
    if (names.includes(name)) continue;
    const next = mustacheEnd;
    names.push(name);
    values.push(lookup(name));
    mustacheEnd = next;
  }
  let out = "";
  let last = 0;
  for (let open = firstOpen; open !== -1; ) {
    scanMustache(source, open);
    const from = innerStart;
    const to = innerEnd;
    const next = mustacheEnd;
    const head = values[names.indexOf(topName(source, from, to))];
    out += source.slice(last, open) + pathText(source, from, to, head, undefined);
    last = next;
    open = source.indexOf("{{", next);
  }
  return out + source.slice(last);
}

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
  const count = countPlainMustaches(source);
  if (count < 0) return undefined;
  const literals: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const names = new Set<string>();
  let last = 0;
  for (let open = source.indexOf("{{"); open !== -1; open = source.indexOf("{{", last)) {
    scanMustache(source, open);
    literals.push(source.slice(last, open));
    starts.push(innerStart);
    ends.push(innerEnd);
    names.add(source.slice(innerStart, headEnd(source, innerStart, innerEnd)));
    last = mustacheEnd;
  }
  literals.push(source.slice(last));
  return {
    source,
    names,
    render(context) {
      let out = literals[0]!;
      for (let i = 0; i < starts.length; i++) {
        const start = starts[i]!;
        const end = ends[i]!;
        const name = source.slice(start, headEnd(source, start, end));
        const head = context !== null && typeof context === "object" && Object.hasOwn(context, name) ? context[name] : undefined;
        out += pathText(source, start, end, head, context) + literals[i + 1]!;
      }
      return out;
    },
  };
}

/**
 * The first line of a render error's message. A value called as a helper
 * (`{{name "x"}}` where `name` is a string) makes compiled Handlebars' code
 * fail with a `TypeError` quoting that code (`(lookupProperty(...) || ...).call
 * is not a function`); it is said as the interpreter says it.
 */
function renderErrorMessage(error: unknown): string {
  const message = String((error as Error)?.message ?? error).split("\n")[0]!;
  return error instanceof TypeError && message.endsWith(".call is not a function") ? NOT_A_HELPER_MESSAGE : message;
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
    const fn = compileTemplateWithoutEval
      ? compileTemplateWithoutEval(hb as unknown as HandlebarsForInterpreter, ast, { noEscape: true }) // its typings omit Compiler and the revision
      : hb.compile(ast as any, { noEscape: true, strict: false });
    compiled = {
      source,
      names,
      render: (context) => {
        try {
          return fn(context);
        } catch (error) {
          throw new TemplateError(`template failed: ${renderErrorMessage(error)}`);
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
