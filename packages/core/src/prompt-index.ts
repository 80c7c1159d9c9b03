/**
 * Finding a prompt by name in constant time while the document stays
 * editable as plain data: an index of first positions by name, checked on
 * every hit and rebuilt when the prompt list changed (another array, another
 * length, a renamed prompt, a name not found). Lookups of names that exist
 * cost O(1); a name that no prompt has costs one rebuild, O(prompts).
 *
 * @packageDocumentation
 */
import type { Prompt } from "./types.js";

/** Prompts by name over a prompt list that may change between lookups. */
export class PromptIndex {
  #prompts: readonly Prompt[] | undefined;
  #length = -1;
  readonly #byName = new Map<string, number>();

  /** @param source returns the current prompt list (e.g. `() => runtime.config.prompts`) */
  constructor(private readonly source: () => readonly Prompt[]) {}

  /** The first prompt named `name` (what `getPrompt` returns), or `undefined`. */
  get(name: string): Prompt | undefined {
    const prompts = this.source();
    if (prompts === this.#prompts && prompts.length === this.#length) {
      const i = this.#byName.get(name);
      if (i !== undefined) {
        const p = prompts[i];
        if (p !== undefined && p.name === name) return p;
      }
    }
    this.#rebuild(prompts);
    const i = this.#byName.get(name);
    return i === undefined ? undefined : prompts[i];
  }

  #rebuild(prompts: readonly Prompt[]): void {
    this.#prompts = prompts;
    this.#length = prompts.length;
    this.#byName.clear();
    for (let i = 0; i < prompts.length; i++) {
      const name = prompts[i]!.name;
      if (!this.#byName.has(name)) this.#byName.set(name, i);
    }
  }
}
