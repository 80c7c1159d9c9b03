/**
 * Handlebars templates rendered without `eval`: what a page whose
 * Content-Security-Policy has no `'unsafe-eval'` (the static site's) uses,
 * since `Handlebars.compile` builds its render function with `new Function`.
 *
 * Only the last step of Handlebars' pipeline is replaced. Handlebars itself
 * still parses the template (`parse`, whitespace control included) and
 * turns the tree into its opcodes (`Compiler`: which mustache is a helper
 * call, a path or ambiguous, block parameters, `../` depths, `@data`); and
 * Handlebars' own runtime (`template`, the documented entry of precompiled
 * templates) still runs the result: its property lookup with the
 * prototype-access rules, its program frames (`data`, block parameters,
 * depths), its helpers (`if`, `unless`, `each`, `with`, `lookup`, `log`,
 * the `helperMissing`/`blockHelperMissing` hooks), partials, the `inline`
 * decorator and `escapeExpression`. What `JavaScriptCompiler` would write
 * as JavaScript source for each opcode is built here as closures instead,
 * one per opcode, following `handlebars/lib/handlebars/compiler/javascript-compiler.js`
 * (4.7) opcode by opcode: the same lookups in the same order, the same
 * `options` object handed to helpers (`name`, `hash`, `fn`, `inverse`,
 * `data`, `blockParams`, `loc`), and the same joining of a program's pieces
 * as text, as core's compiled templates do (`handlebars-text-joining.ts`): each appended value is converted with
 * `"" + value`, so `{{a}}{{b}}` with the numbers 1 and 2 gives "12" (bare
 * Handlebars with `noEscape` adds them and gives "3").
 *
 * One difference, on purpose: where compiled code calls a value that is not
 * a function as a helper (`{{name "x"}}` where `name` is a string), the
 * engine's `TypeError` quotes the generated source; this module throws a
 * `TypeError` with {@link NOT_A_HELPER_MESSAGE} instead.
 *
 * @packageDocumentation
 */

/** Handlebars' AST node, as `parse` gives it (only what is read here). */
type HandlebarsNode = { type: string; [key: string]: unknown };

/** A source position, as Handlebars' parser records it. */
interface SourceLocation {
  start: { line: number; column: number };
  end: { line: number; column: number };
  source?: string;
}

/** One opcode of Handlebars' `Compiler` (`compiler/compiler.js`). */
interface Opcode {
  opcode: string;
  args: any[];
  loc?: SourceLocation;
}

/** What `new Compiler().compile(ast, options)` gives: a program's opcodes and its child programs. */
interface CompilerEnvironment {
  opcodes: Opcode[];
  children: CompilerEnvironment[];
  /** The program's body is one statement (its function returns that statement's value as it is). */
  isSimple: boolean;
  /** How many block parameters the program declares (`as |a b|`). */
  blockParams: number;
  useDepths?: boolean;
  usePartial?: boolean;
  useDecorators?: boolean;
}

/** The runtime's `container` (`runtime.js`'s `template()`): what compiled code calls. */
interface Container {
  lookupProperty(parent: unknown, name: string): unknown;
  lambda(value: unknown, context: unknown): unknown;
  escapeExpression(value: unknown): string;
  invokePartial(partial: unknown, context: unknown, options: object): unknown;
  program(index: number, data: unknown, declaredBlockParams: number, blockParams?: unknown, depths?: unknown): unknown;
  data(data: unknown, depth: number): unknown;
  hooks: { helperMissing: RuntimeFunction; blockHelperMissing: RuntimeFunction };
  decorators: Record<string, unknown>;
  nullContext: object;
  noop: RuntimeFunction;
}

/** A function of Handlebars' runtime (a hook, `noop`), called with `.call(thisArg, ...)`. */
type RuntimeFunction = (this: unknown, ...args: any[]) => unknown;

/** The parts of a Handlebars instance (`Handlebars.create()`) this module uses. */
export interface HandlebarsForInterpreter {
  parse(input: any, options?: object): any;
  Compiler: new () => { compile(ast: any, options: object): any };
  template(spec: object): (context: unknown, options?: object) => string;
  COMPILER_REVISION: number;
  REVISION_CHANGES: Record<number, string>;
}

/** Options as `Handlebars.compile` takes them; those read here. */
export interface InterpretedTemplateOptions {
  /** Insert values as they are, never HTML-escaped (core's prompts). Default `false`, as in Handlebars. */
  noEscape?: boolean;
}

/**
 * The message of the `TypeError` thrown when a template calls, as a helper,
 * a value that is not a function (`{{name "x"}}` where `name` is a string).
 */
export const NOT_A_HELPER_MESSAGE =
  "a mustache with arguments names a value that is not a helper (remove the arguments, or use a helper: if, unless, each, with, lookup, log)";

/** The variables of one call of a program function (`function(container, depth0, helpers, partials, data, blockParams, depths)`). */
interface Frame {
  container: Container;
  depth0: any;
  helpers: any;
  partials: any;
  data: any;
  blockParams: any;
  depths: any;
  /** The `stack1` variable after a block whose helper is ambiguous (`{{#name}}`). */
  stack: any;
  /** The `options` register of such a block. */
  options: any;
  /** A decorator function's `fn` and `props`. */
  fn?: any;
  props?: any;
}

type Expr = (frame: Frame) => any;

/** A value known when the template is translated (JavaScriptCompiler's `Literal`): strings, numbers, `null` (no program), `undefined`. */
class Literal {
  constructor(readonly value: unknown) {}
}

/** The marker of a value kept in the frame's `stack` register (what `flushInline` leaves). */
const STACK_REGISTER = Symbol("stack register");

type Entry = Expr | Literal | typeof STACK_REGISTER;

/** One line of a program function: an appended piece, a statement, or the append of the `stack` register. */
type Line = { piece: Expr } | { statement: (frame: Frame) => void } | { appendStack: true };

/** A translated program: what its function does when called. */
interface ProgramPlan {
  simple: boolean;
  lines: Line[];
}

function expressionOf(entry: Entry): Expr {
  if (entry instanceof Literal) {
    const value = entry.value;
    return () => value;
  }
  if (entry === STACK_REGISTER) return (frame) => frame.stack;
  return entry;
}

/** Runs a program's lines as the function `JavaScriptCompiler.mergeSource` writes would. */
function runProgram(plan: ProgramPlan, frame: Frame): any {
  const lines = plan.lines;
  if (plan.simple) {
    // Each append is `return ...;`: the first one ends the function.
    for (const line of lines) {
      if ("piece" in line) return line.piece(frame);
      if ("statement" in line) line.statement(frame);
      else return frame.stack != null ? "" + frame.stack : "";
    }
    return "";
  }
  let buffer: any = "";
  let statementSeen = false;
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if ("piece" in line) {
      // A run of appended pieces: `return a + b` (nothing else in the function),
      // `buffer = a + b` (before any statement), `buffer += a + b`, or a final `return buffer + a + b`.
      let end = i + 1;
      while (end < lines.length && "piece" in lines[end]!) end++;
      const last = end === lines.length;
      if (last && statementSeen) {
        let all = buffer;
        for (let j = i; j < end; j++) all = all + (lines[j] as { piece: Expr }).piece(frame);
        return all;
      }
      let run = line.piece(frame);
      for (let j = i + 1; j < end; j++) run = run + (lines[j] as { piece: Expr }).piece(frame);
      if (last) return run;
      buffer = statementSeen ? buffer + run : run;
      i = end;
      continue;
    }
    statementSeen = true;
    if ("statement" in line) line.statement(frame);
    else if (frame.stack != null) buffer = buffer + ("" + frame.stack);
    i++;
  }
  return statementSeen ? buffer : "";
}

function nullContextOf(frame: Frame): any {
  return frame.depth0 != null ? frame.depth0 : frame.container.nullContext || {};
}

function locationOf(loc: SourceLocation | undefined): Expr | undefined {
  if (!loc) return undefined;
  const json = JSON.stringify(loc);
  const { start, end } = loc;
  if (loc.source !== undefined) return () => JSON.parse(json);
  return () => ({ start: { line: start.line, column: start.column }, end: { line: end.line, column: end.column } });
}

/** An object literal of entries, as `CodeGen.objectLiteral` writes one: keys in order, a literal `undefined` left out. */
function objectOf(pairs: [string, Entry][]): Expr {
  const kept = pairs.filter(([, entry]) => !(entry instanceof Literal && entry.value === undefined));
  const keys = kept.map(([key]) => key);
  const values = kept.map(([, entry]) => expressionOf(entry));
  return (frame) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) object[keys[i]!] = values[i]!(frame);
    return object;
  };
}

/**
 * A helper's options object (`name`, `hash`, `fn`, `inverse`, `args`,
 * `data`, `blockParams`, `loc`, in that order, as `setupParams` writes them):
 * {@link objectOf} with the keys written out, so that every object built at
 * one place has one shape.
 */
function helperOptionsOf(pairs: [string, Entry][]): Expr {
  const known = ["name", "hash", "fn", "inverse", "args", "data", "blockParams", "loc"];
  if (pairs.some(([key], i) => key !== known.filter((k) => pairs.some(([p]) => p === k))[i])) return objectOf(pairs);
  const of = (key: string): Expr | undefined => {
    const entry = pairs.find(([k]) => k === key)?.[1];
    return entry === undefined || (entry instanceof Literal && entry.value === undefined) ? undefined : expressionOf(entry);
  };
  const name = of("name")!;
  const hash = of("hash");
  const fn = of("fn");
  const inverse = of("inverse");
  const args = of("args");
  const withData = pairs.some(([key]) => key === "data");
  const withBlockParams = pairs.some(([key]) => key === "blockParams");
  const loc = of("loc");
  return (frame) => {
    const options: Record<string, unknown> = { name: name(frame) };
    if (hash) options.hash = hash(frame);
    if (fn) options.fn = fn(frame);
    if (inverse) options.inverse = inverse(frame);
    if (args) options.args = args(frame);
    if (withData) options.data = frame.data;
    if (withBlockParams) options.blockParams = frame.blockParams;
    if (loc) options.loc = loc(frame);
    return options;
  };
}

/**
 * The arguments of compiled code's `helper.call(context, ...params, options)`,
 * evaluated in its order: the context (`depth0`, or the runtime's
 * `nullContext` when it is `null`/`undefined`), the parameters, the options.
 */
function callArguments(params: Expr[], options: Expr): (frame: Frame) => unknown[] {
  const count = params.length;
  return (frame) => {
    const args = new Array<unknown>(count + 2);
    args[0] = nullContextOf(frame);
    for (let i = 0; i < count; i++) args[i + 1] = params[i]!(frame);
    args[count + 1] = options(frame);
    return args;
  };
}

interface TranslatedProgram {
  index: number;
  useDepths: boolean;
  useBlockParams: boolean;
  blockParams: number;
}

interface Translation {
  spec: Record<string, unknown>;
  count: number;
}

/** Translates one program (and, first, its children) into spec functions, as `JavaScriptCompiler.compile` does. */
function translate(environment: CompilerEnvironment, translation: Translation, key: string): TranslatedProgram & { decorated: boolean } {
  const children: TranslatedProgram[] = [];
  let useDepths = false;
  let useBlockParams = false;
  for (const child of environment.children) {
    const index = translation.count++;
    const translated = translate(child, translation, String(index));
    children.push({ ...translated, index });
    useDepths ||= translated.useDepths;
    useBlockParams ||= translated.useBlockParams;
  }
  useDepths = useDepths || !!environment.useDepths || !!environment.useDecorators;

  const stack: Entry[] = [];
  const hashes: Record<string, Entry>[] = [];
  let hash: Record<string, Entry> | undefined;
  const lines: Line[] = [];
  const decorators: ((frame: Frame) => void)[] = [];
  let lastContext = 0;
  let lastHelper = "";
  let loc: SourceLocation | undefined;

  const pop = (): Entry => {
    const entry = stack.pop();
    if (entry === undefined) throw new Error("handlebars-interpreter: invalid stack pop");
    return entry;
  };
  const contextOf = (depth: number): Expr => (useDepths && depth ? (frame) => frame.depths[depth] : (frame) => frame.depth0);
  const resolvePath = (parts: string[], start: number, falsy: boolean): void => {
    for (let i = start; i < parts.length; i++) {
      const current = expressionOf(pop());
      const name = parts[i]!;
      stack.push(
        falsy
          ? (frame) => {
              const parent = current(frame);
              return parent && frame.container.lookupProperty(parent, name);
            }
          : (frame) => {
              const parent = current(frame);
              return parent != null ? frame.container.lookupProperty(parent, name) : parent;
            },
      );
    }
  };
  /** `setupParams`: pops hash, inverse, program and the parameters; the options object's entries. */
  const setupParams = (name: string, paramCount: number, objectArgs: boolean): { params: Entry[]; options: [string, Entry][] } => {
    const options: [string, Entry][] = [
      ["name", new Literal(name)],
      ["hash", pop()],
    ];
    const inverse = pop();
    const program = pop();
    const isProgram = (entry: Entry) => !(entry instanceof Literal && !entry.value);
    if (isProgram(program) || isProgram(inverse)) {
      const noop: Expr = (frame) => frame.container.noop;
      options.push(["fn", isProgram(program) ? program : noop], ["inverse", isProgram(inverse) ? inverse : noop]);
    }
    const params: Entry[] = [];
    for (let i = paramCount - 1; i >= 0; i--) params[i] = pop();
    if (objectArgs) {
      const values = params.map(expressionOf);
      options.push(["args", (frame) => values.map((value) => value(frame))]);
    }
    options.push(["data", (frame) => frame.data]);
    if (useBlockParams) options.push(["blockParams", (frame) => frame.blockParams]);
    return { params, options };
  };
  /** `setupHelperArgs`: the options object with `loc`. */
  const helperOptions = (name: string, paramCount: number, objectArgs = false): { params: Expr[]; options: Expr } => {
    const { params, options } = setupParams(name, paramCount, objectArgs);
    const location = locationOf(loc);
    if (location) options.push(["loc", location]);
    return { params: params.map(expressionOf), options: helperOptionsOf(options) };
  };

  const opcodes: Record<string, (...args: any[]) => void> = {
    appendContent(content: string) {
      lines.push({ piece: () => content });
    },
    append() {
      const top = pop();
      if (top === STACK_REGISTER) {
        lines.push({ appendStack: true });
        return;
      }
      const value = expressionOf(top);
      lines.push({
        piece: (frame) => {
          const result = value(frame);
          return result != null ? "" + result : "";
        },
      });
    },
    appendEscaped() {
      const value = expressionOf(pop());
      lines.push({ piece: (frame) => "" + frame.container.escapeExpression(value(frame)) });
    },
    getContext(depth: number) {
      lastContext = depth;
    },
    pushContext() {
      stack.push(contextOf(lastContext));
    },
    lookupOnContext(parts: string[], falsy: boolean) {
      stack.push(contextOf(lastContext));
      resolvePath(parts, 0, !!falsy);
    },
    lookupBlockParam(id: [number, number], parts: string[]) {
      useBlockParams = true;
      const [depth, position] = id;
      stack.push((frame) => frame.blockParams[depth][position]);
      resolvePath(parts, 1, false);
    },
    lookupData(depth: number, parts: string[]) {
      stack.push(depth ? (frame) => frame.container.data(frame.data, depth) : (frame) => frame.data);
      resolvePath(parts, 0, true);
    },
    resolvePossibleLambda() {
      const value = expressionOf(pop());
      stack.push((frame) => frame.container.lambda(value(frame), frame.depth0));
    },
    emptyHash(omitEmpty: boolean) {
      stack.push(omitEmpty ? new Literal(undefined) : () => ({}));
    },
    pushHash() {
      if (hash) hashes.push(hash);
      hash = {};
    },
    popHash() {
      const values = hash ?? {};
      hash = hashes.pop();
      stack.push(objectOf(Object.entries(values)));
    },
    assignToHash(key: string) {
      const value = pop();
      if (hash) hash[key] = value;
    },
    pushString(value: string) {
      stack.push(new Literal(value));
    },
    pushLiteral(value: unknown) {
      stack.push(new Literal(value === "undefined" ? undefined : value === "null" ? null : value));
    },
    pushProgram(guid: number | null | undefined) {
      if (guid == null) {
        stack.push(new Literal(null));
        return;
      }
      const child = children[guid]!;
      const withBlockParams = useBlockParams || useDepths;
      const withDepths = useDepths;
      stack.push((frame) =>
        frame.container.program(
          child.index,
          frame.data,
          child.blockParams,
          withBlockParams ? frame.blockParams : undefined,
          withDepths ? frame.depths : undefined,
        ),
      );
    },
    registerDecorator(paramCount: number, name: string) {
      const { options } = helperOptions(name, paramCount, true);
      decorators.push((frame) => {
        const decorator = frame.container.lookupProperty(frame.container.decorators, name);
        if (typeof decorator !== "function") throw new Error(`Missing decorator: "${name}"`);
        frame.fn = decorator(frame.fn, frame.props, frame.container, options(frame)) || frame.fn;
      });
    },
    invokeHelper(paramCount: number, name: string, isSimple: boolean) {
      const nonHelper = expressionOf(pop());
      const { params, options } = helperOptions(name, paramCount);
      const args = callArguments(params, options);
      stack.push((frame) => {
        const fn =
          (isSimple ? frame.container.lookupProperty(frame.helpers, name) : undefined) ||
          nonHelper(frame) ||
          frame.container.hooks.helperMissing;
        const call = fn.call;
        if (typeof call !== "function") throw new TypeError(NOT_A_HELPER_MESSAGE);
        return Reflect.apply(call, fn, args(frame));
      });
    },
    invokeKnownHelper(paramCount: number, name: string) {
      const { params, options } = helperOptions(name, paramCount);
      const args = callArguments(params, options);
      stack.push((frame) => {
        const fn = frame.container.lookupProperty(frame.helpers, name) as any;
        return Reflect.apply(fn.call, fn, args(frame)); // an unregistered one (helperMissing, moved to the hooks) fails reading `call`, as compiled code does
      });
    },
    invokeAmbiguous(name: string, isBlock: boolean) {
      const nonHelper = expressionOf(pop());
      stack.push(() => ({}));
      const { options } = helperOptions(name, 0);
      lastHelper = name;
      stack.push((frame) => {
        let helper = frame.container.lookupProperty(frame.helpers, name) || nonHelper(frame);
        helper = helper != null ? helper : frame.container.hooks.helperMissing;
        if (isBlock) frame.options = options(frame);
        if (typeof helper !== "function") return helper;
        return helper.call(nullContextOf(frame), isBlock ? frame.options : options(frame));
      });
    },
    ambiguousBlockValue() {
      // The program, inverse and hash pushed again are not used: the options of the ambiguous call are.
      pop();
      pop();
      pop();
      const value = expressionOf(pop());
      const name = lastHelper;
      lines.push({
        statement: (frame) => {
          frame.stack = value(frame);
        },
      });
      lines.push({
        statement: (frame) => {
          if (!frame.container.lookupProperty(frame.helpers, name)) {
            frame.stack = frame.container.hooks.blockHelperMissing.call(frame.depth0, frame.stack, frame.options);
          }
        },
      });
      stack.push(STACK_REGISTER);
    },
    blockValue(name: string) {
      const { options } = helperOptions(name, 0);
      const value = expressionOf(pop());
      stack.push((frame) => {
        const blockHelperMissing = frame.container.hooks.blockHelperMissing;
        return blockHelperMissing.call(frame.depth0, value(frame), options(frame));
      });
    },
    invokePartial(isDynamic: boolean, name: string, indent: string) {
      const { params, options } = setupParams(name, 1, false);
      let partial: Expr = (frame) => frame.container.lookupProperty(frame.partials, name);
      if (isDynamic) {
        partial = expressionOf(pop());
        options.shift();
      }
      if (indent) options.push(["indent", new Literal(indent)]);
      options.push(
        ["helpers", (frame) => frame.helpers],
        ["partials", (frame) => frame.partials],
        ["decorators", (frame) => frame.container.decorators],
      );
      const context = expressionOf(params[0]!);
      const optionsObject = objectOf(options);
      stack.push((frame) => frame.container.invokePartial(partial(frame), context(frame), optionsObject(frame)));
    },
  };

  for (const { opcode, args, loc: at } of environment.opcodes) {
    const run = opcodes[opcode];
    if (!run) throw new Error(`handlebars-interpreter: unsupported opcode ${opcode}`);
    loc = at;
    run(...args);
  }
  if (stack.length || hashes.length) throw new Error("handlebars-interpreter: content left on the stack");

  const plan: ProgramPlan = { simple: environment.isSimple, lines };
  translation.spec[key] = (
    container: Container,
    depth0: unknown,
    helpers: unknown,
    partials: unknown,
    data: unknown,
    blockParams: unknown,
    depths: unknown,
  ) => runProgram(plan, { container, depth0, helpers, partials, data, blockParams, depths, stack: undefined, options: undefined });
  if (decorators.length) {
    translation.spec[`${key}_d`] = (
      fn: unknown,
      props: unknown,
      container: Container,
      depth0: unknown,
      data: unknown,
      blockParams: unknown,
      depths: unknown,
    ) => {
      const frame: Frame = {
        container,
        depth0,
        helpers: undefined,
        partials: undefined,
        data,
        blockParams,
        depths,
        stack: undefined,
        options: undefined,
        fn,
        props,
      };
      for (const decorator of decorators) decorator(frame);
      return frame.fn;
    };
  }
  return { index: -1, useDepths, useBlockParams, blockParams: environment.blockParams, decorated: decorators.length > 0 };
}

/**
 * Makes a render function for a template without `eval` or `new Function`:
 * what `Handlebars.compile(template, options)` returns (same output, same
 * helpers, same errors, thrown at the first render as `compile` throws
 * them), for templates run with the instance's own helpers, partials and
 * decorators (no per-call `helpers`/`partials` options needed by core).
 *
 * @param handlebars a Handlebars instance (`Handlebars.create()`), whose `parse`, `Compiler` and `template` are used.
 * @param template the template text, or the tree `handlebars.parse` gave for it.
 * @param options `noEscape` as `Handlebars.compile` takes it.
 * @returns `render(context)`: the text. Throws what compiled Handlebars throws (a Handlebars
 *   `Exception` for a missing helper or partial, a wrong helper call, ...), except
 *   {@link NOT_A_HELPER_MESSAGE} for a value called as a helper.
 * @throws a Handlebars `Exception` when the template does not parse (as `Handlebars.compile` does when it renders).
 */
export function compileTemplateWithoutEval(
  handlebars: HandlebarsForInterpreter,
  template: string | HandlebarsNode,
  options: InterpretedTemplateOptions = {},
): (context: unknown) => string {
  let render: ((context: unknown) => string) | undefined;
  const compileOptions = { noEscape: !!options.noEscape, strict: false, data: true };
  return (context) => {
    if (!render) {
      const ast = handlebars.parse(template, compileOptions);
      const environment = new handlebars.Compiler().compile(ast, compileOptions) as CompilerEnvironment;
      const translation: Translation = { spec: {}, count: 0 };
      const main = translate(environment, translation, "main");
      const revision = handlebars.COMPILER_REVISION;
      const spec = translation.spec;
      spec.compiler = [revision, handlebars.REVISION_CHANGES[revision]];
      spec.useData = true;
      if (environment.usePartial) spec.usePartial = true;
      if (main.useDepths) spec.useDepths = true;
      if (main.useBlockParams) spec.useBlockParams = true;
      if (Object.keys(spec).some((key) => key.endsWith("_d"))) spec.useDecorators = true;
      render = handlebars.template(spec);
    }
    return render(context);
  };
}
