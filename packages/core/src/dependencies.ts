/**
 * Prompt references (`{{NAME.output}}`, `{{NAME.input}}`) and the order in
 * which prompts that depend on each other run.
 *
 * @packageDocumentation
 */
import { DependencyCycleError } from "./errors.js";
import { compileTemplate } from "./template.js";
import type { Prompt } from "./types.js";

/**
 * The template string of a prompt: a string input, a string `input.data`, or,
 * in older files that stored an OpenAI message as the input
 * (`{role: "user", content: "..."}`, no `data`), a string `input.content`.
 */
export function promptTemplate(prompt: Prompt): string {
  const input = prompt.input;
  if (typeof input === "string") return input;
  if (input && typeof input === "object") {
    if (typeof input.data === "string") return input.data;
    if (input.data === undefined && typeof input.content === "string") return input.content;
  }
  return "";
}

/**
 * Names of the prompts a prompt refers to: top-level template names that are
 * prompt names and that no parameter shadows.
 * @param promptNames every prompt name of the file
 * @param parameterNames names defined as parameters for this prompt (they win over references)
 */
export function promptReferences(
  prompt: Prompt,
  promptNames: ReadonlySet<string>,
  parameterNames: ReadonlySet<string> = new Set(),
): string[] {
  const refs: string[] = [];
  for (const name of compileTemplate(promptTemplate(prompt)).names) {
    if (promptNames.has(name) && !parameterNames.has(name)) refs.push(name);
  }
  return refs;
}

/**
 * Finds a cycle in a dependency graph reachable from `start` (iteratively:
 * chains of any length).
 * @returns the prompts in the cycle, first repeated at the end (`a -> b -> a`), or `undefined`.
 */
export function findCycle(start: string, dependencies: (name: string) => readonly string[]): string[] | undefined {
  return findCycleFrom([start], dependencies, new Map());
}

/**
 * Depth-first search from each start in turn, sharing `state` (1: on the
 * current path, 2: done, no cycle below), with an explicit stack.
 */
function findCycleFrom(
  starts: Iterable<string>,
  dependencies: (name: string) => readonly string[],
  state: Map<string, 1 | 2>,
): string[] | undefined {
  const path: string[] = [];
  const depsOnPath: (readonly string[])[] = [];
  const next: number[] = [];
  for (const start of starts) {
    if (state.has(start)) continue;
    state.set(start, 1);
    path.push(start);
    depsOnPath.push(dependencies(start));
    next.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const deps = depsOnPath[top]!;
      if (next[top]! < deps.length) {
        const dep = deps[next[top]!++]!;
        const s = state.get(dep);
        if (s === 2) continue;
        if (s === 1) return [...path.slice(path.lastIndexOf(dep)), dep];
        state.set(dep, 1);
        path.push(dep);
        depsOnPath.push(dependencies(dep));
        next.push(0);
      } else {
        state.set(path.pop()!, 2);
        depsOnPath.pop();
        next.pop();
      }
    }
  }
  return undefined;
}

/**
 * Throws when the prompts reachable from `start` form a cycle.
 * @throws {DependencyCycleError} naming the prompts in the cycle.
 */
export function assertNoCycle(start: string, dependencies: (name: string) => readonly string[]): void {
  const cycle = findCycle(start, dependencies);
  if (cycle) throw new DependencyCycleError(cycle);
}

/** Options of {@link runInDependencyOrder}. */
export interface DependencyOrderOptions {
  /**
   * Order-only edges: the prompts a prompt runs after without needing their
   * results (e.g. the earlier turn of a chat). A failed or skipped prompt
   * does not skip the prompts that only run after it.
   */
  after?(name: string): readonly string[];
  /**
   * Called when `run` fails for a prompt: return `true` to go on with every
   * prompt that does not depend on it (its dependents, transitively, are
   * skipped), `false` to stop (the returned promise rejects with the error).
   * Default: stop at the first failure.
   */
  goOnAfter?(error: unknown, name: string): boolean;
  /** Called for each prompt skipped because a prompt it depends on (`failed`) failed or was cancelled. */
  onSkip?(name: string, failed: string): void;
}

/**
 * Runs `run(name)` for each of `targets` and every prompt they depend on
 * (transitively), each once, each after the prompts it depends on; prompts
 * that do not depend on each other run concurrently.
 *
 * Iterative throughout (no recursion, no promise chain per level): a linear
 * chain of 100,000 prompts works. Each prompt's `dependencies` are asked once.
 * @param dependencies the names a prompt depends on (names outside the graph are added to it)
 * @returns the values of the runs that succeeded, by name
 * @throws {DependencyCycleError} before anything runs when the prompts (with `after` edges) form a cycle
 * @throws the first error of `run` unless {@link DependencyOrderOptions.goOnAfter} says to go on
 */
export async function runInDependencyOrder<T>(
  targets: Iterable<string>,
  dependencies: (name: string) => readonly string[],
  run: (name: string) => Promise<T>,
  options: DependencyOrderOptions = {},
): Promise<Map<string, T>> {
  const needs = new Map<string, readonly string[]>();
  const follows = new Map<string, readonly string[]>();
  const edgesOf = new Map<string, readonly string[]>();
  const edges = (name: string): readonly string[] => {
    let all = edgesOf.get(name);
    if (!all) {
      const hard = [...new Set(dependencies(name))];
      const soft = options.after ? options.after(name).filter((n) => !hard.includes(n)) : [];
      needs.set(name, hard);
      follows.set(name, soft);
      all = soft.length ? [...hard, ...soft] : hard;
      edgesOf.set(name, all);
    }
    return all;
  };
  const cycle = findCycleFrom(targets, edges, new Map());
  if (cycle) throw new DependencyCycleError(cycle);

  // Every reachable prompt has its edges now. Count what each waits for.
  const waitingFor = new Map<string, number>();
  const needed = new Map<string, string[]>(); // prompt -> the prompts that need its result
  const followed = new Map<string, string[]>(); // prompt -> the prompts that only run after it
  const ready: string[] = [];
  const link = (index: Map<string, string[]>, from: string, to: string) => {
    const list = index.get(from);
    if (list) list.push(to);
    else index.set(from, [to]);
  };
  for (const [name, all] of edgesOf) {
    waitingFor.set(name, all.length);
    if (all.length === 0) ready.push(name);
    for (const dep of needs.get(name)!) link(needed, dep, name);
    for (const dep of follows.get(name)!) link(followed, dep, name);
  }

  const results = new Map<string, T>();
  let unsettled = edgesOf.size;
  return new Promise<Map<string, T>>((resolve, reject) => {
    let stopped = false;
    const skipped = new Set<string>();
    const settleOne = () => {
      if (--unsettled === 0 && !stopped) resolve(results);
    };
    const oneLess = (name: string) => {
      if (skipped.has(name)) return;
      const left = waitingFor.get(name)! - 1;
      waitingFor.set(name, left);
      if (left === 0) start(name);
    };
    /** After `name` settled: start what waited for it, or skip what needed it when it failed. */
    const release = (name: string, ok: boolean) => {
      const stack: string[] = [name];
      let first = true;
      while (stack.length > 0) {
        const current = stack.pop()!;
        const succeeded = ok && first;
        first = false;
        for (const d of needed.get(current) ?? []) {
          if (succeeded) oneLess(d);
          else if (!skipped.has(d)) {
            skipped.add(d);
            options.onSkip?.(d, name);
            stack.push(d);
            settleOne();
          }
        }
        for (const d of followed.get(current) ?? []) oneLess(d);
      }
    };
    const start = (name: string) => {
      let work: Promise<T>;
      try {
        work = run(name);
      } catch (error) {
        work = Promise.reject(error);
      }
      work.then(
        (value) => {
          if (stopped) return;
          results.set(name, value);
          release(name, true);
          settleOne();
        },
        (error: unknown) => {
          if (stopped) return;
          if (!options.goOnAfter?.(error, name)) {
            stopped = true;
            reject(error);
            return;
          }
          release(name, false);
          settleOne();
        },
      );
    };
    if (unsettled === 0) resolve(results);
    for (const name of ready) start(name);
  });
}
