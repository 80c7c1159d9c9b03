/**
 * Merging the pieces of a function call that Gemini 3 streams
 * (`toolConfig.functionCallingConfig.streamFunctionCallArguments`) into whole
 * calls: a part with the call's name and `willContinue: true`, then parts
 * whose `partialArgs` carry `{jsonPath, stringValue | numberValue | boolValue
 * | nullValue, willContinue}`, then a `functionCall` with nothing in it that
 * ends the call. A string streamed in several pieces for one `jsonPath`
 * (each but the last with `willContinue: true`) is joined.
 *
 * Source: `FunctionCall.partialArgs`, `FunctionCall.willContinue` and
 * `PartialArg` of `@google/genai` (types.ts; "not supported in Gemini API",
 * i.e. Vertex AI), JSON Path per RFC 9535.
 *
 * @packageDocumentation
 */
import type { FunctionCall, Part, PartialArg } from "@google/genai";

type JSONContainer = Record<string, unknown> | unknown[];

/**
 * Sets `container[key]` as an own data property (a step named `__proto__`
 * makes a key of that name, as `JSON.parse` does, never the container's
 * prototype); an array is first filled with `null` up to the index (JSON has
 * no holes).
 */
function setStep(container: JSONContainer, key: string | number, value: unknown): void {
  if (Array.isArray(container) && typeof key === "number") while (container.length < key) container.push(null);
  Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The most `null`s a step may add before its index ({@link setStep}): Gemini
 * streams an array's items in order, so an index far past the end is no
 * argument but a reply that would fill memory (`$.a[4294967294]`).
 */
const MAX_INDEX_GAP = 1000;

/**
 * Whether a step can be taken in `container`: an index into an array at most
 * {@link MAX_INDEX_GAP} past its end, or any name or index of an object (a
 * name such as `length` does not step into an array).
 */
function fits(container: JSONContainer, key: string | number): boolean {
  if (!Array.isArray(container)) return true;
  return typeof key === "number" && key - container.length <= MAX_INDEX_GAP;
}

/**
 * `container[key]` when it is the container's own property, else `undefined`:
 * a step named `__proto__` or `constructor` reads no inherited object, so a
 * reply's path cannot write into `Object.prototype`.
 */
function ownStep(container: JSONContainer, key: string | number): unknown {
  return Object.hasOwn(container, key) ? (container as Record<string | number, unknown>)[key] : undefined;
}

/**
 * The steps of a JSON Path of names and indices (`$.a.b[0]["c d"]`), or
 * `undefined` when it has other selectors (wildcards, filters, slices).
 */
export function jsonPathSteps(path: string): Array<string | number> | undefined {
  if (!path.startsWith("$")) return undefined;
  const steps: Array<string | number> = [];
  const step = /\.([A-Za-z_][\w-]*)|\[(\d+)\]|\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/y;
  step.lastIndex = 1;
  while (step.lastIndex < path.length) {
    const m = step.exec(path);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4] ?? "").replace(/\\(.)/g, "$1"));
  }
  return steps;
}

function partialArgValue(arg: PartialArg): { value: unknown } | undefined {
  if (arg.stringValue !== undefined) return { value: arg.stringValue };
  if (arg.numberValue !== undefined) return { value: arg.numberValue };
  if (arg.boolValue !== undefined) return { value: arg.boolValue };
  if (arg.nullValue !== undefined) return { value: null };
  return undefined;
}

/** One call being assembled from its pieces. */
class PendingCall {
  readonly args: Record<string, unknown>;
  /** jsonPaths whose string is still coming (the last piece said `willContinue`). */
  readonly #continuing = new Set<string>();

  constructor(
    readonly first: Part,
    readonly call: FunctionCall,
  ) {
    this.args = structuredClone(call.args ?? {});
  }

  /**
   * Adds the pieces' values at their paths. A piece whose path has other
   * selectors, or does not fit the arguments so far (see `fits`), is left out.
   */
  apply(partialArgs: readonly PartialArg[] | undefined): void {
    pieces: for (const arg of partialArgs ?? []) {
      const path = arg.jsonPath ?? "";
      const steps = jsonPathSteps(path);
      const given = partialArgValue(arg);
      if (!steps || steps.length === 0 || !given) continue;
      let container: JSONContainer = this.args;
      for (const [i, key] of steps.slice(0, -1).entries()) {
        if (!fits(container, key)) continue pieces;
        const next = ownStep(container, key);
        if (typeof next === "object" && next !== null) container = next as JSONContainer;
        else {
          const made: JSONContainer = typeof steps[i + 1] === "number" ? [] : {};
          setStep(container, key, made);
          container = made;
        }
      }
      const last = steps[steps.length - 1]!;
      if (!fits(container, last)) continue;
      const before = ownStep(container, last);
      const joins = this.#continuing.has(path) && typeof before === "string" && typeof given.value === "string";
      setStep(container, last, joins ? before + (given.value as string) : given.value);
      if (arg.willContinue) this.#continuing.add(path);
      else this.#continuing.delete(path);
    }
  }

  /** The whole call as one part (the first piece's other fields, e.g. its `thoughtSignature`, kept). */
  part(): Part {
    const { partialArgs: _p, willContinue: _w, ...call } = this.call;
    return { ...this.first, functionCall: { ...call, args: this.args } };
  }
}

function isEmptyCall(call: FunctionCall): boolean {
  return !call.name && !call.id && !call.args && !(call.partialArgs && call.partialArgs.length > 0);
}

/**
 * The parts with every streamed function call merged into one part holding
 * the call's name, id and whole `args`; other parts (text, whole calls,
 * media) kept in order. A call whose end never came (the stream stopped) is
 * kept with the arguments received so far.
 */
export function mergeFunctionCallParts(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  let pending: PendingCall | undefined;
  const finish = () => {
    if (pending) out.push(pending.part());
    pending = undefined;
  };
  for (const part of parts) {
    const call = part.functionCall;
    if (!call) {
      out.push(part);
      continue;
    }
    if (pending && !call.name) {
      // A piece of the pending call: more arguments, or (empty, or no willContinue) its end.
      pending.apply(call.partialArgs);
      if (!call.willContinue || isEmptyCall(call)) finish();
      continue;
    }
    finish();
    if (call.willContinue || call.partialArgs) {
      pending = new PendingCall(part, call);
      pending.apply(call.partialArgs);
      if (!call.willContinue) finish();
      continue;
    }
    if (!isEmptyCall(call)) out.push(part);
  }
  finish();
  return out;
}
