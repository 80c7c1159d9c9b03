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
 * Finds a cycle in a dependency graph reachable from `start`.
 * @returns the prompts in the cycle, first repeated at the end (`a -> b -> a`), or `undefined`.
 */
export function findCycle(start: string, dependencies: (name: string) => readonly string[]): string[] | undefined {
  const state = new Map<string, 1 | 2>(); // 1: on the path, 2: done
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const s = state.get(name);
    if (s === 2) return undefined;
    if (s === 1) return [...path.slice(path.indexOf(name)), name];
    state.set(name, 1);
    path.push(name);
    for (const dep of dependencies(name)) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 2);
    return undefined;
  };
  return visit(start);
}

/**
 * Throws when the prompts reachable from `start` form a cycle.
 * @throws {DependencyCycleError} naming the prompts in the cycle.
 */
export function assertNoCycle(start: string, dependencies: (name: string) => readonly string[]): void {
  const cycle = findCycle(start, dependencies);
  if (cycle) throw new DependencyCycleError(cycle);
}
