/**
 * Finding a prompt by name in constant time while the document stays
 * editable as plain data: an index of first positions by name, checked on
 * every hit and rebuilt when the prompt list changed (another array, another
 * length, a renamed prompt, a name not found). Lookups of names that exist
 * cost O(1); a name that no prompt has costs O(prompts).
 *
 * The index is built only once lookups have scanned as many prompts as
 * building it costs: the first lookups after a load (e.g. the one resolve of
 * `aiconfig run`) scan the list, which is cheaper than hashing every name.
 * A load hands over the table of names its repeated-name check built
 * ({@link PromptIndex.seed}): lookups use it, with no scan and no index to
 * build, until the list changes or a name is not in it.
 *
 * @packageDocumentation
 */
import { findPromptName } from "./check-names-and-tags.js";
import type { Prompt } from "./types.js";

/** Prompts by name over a prompt list that may change between lookups. */
export class PromptIndex {
  #prompts: readonly Prompt[] | undefined;
  #length = -1;
  readonly #byName = new Map<string, number>();
  /** Prompts compared by scans since the index was last built (scans stop once this reaches the list's length). */
  #scanned = 0;
  /** A load's table of names ({@link PromptIndex.seed}), the list it was built for, and that list's length. */
  #seed: { readonly table: Int32Array; readonly prompts: readonly Prompt[]; readonly length: number } | undefined;

  /** @param source returns the current prompt list (e.g. `() => runtime.config.prompts`) */
  constructor(private readonly source: () => readonly Prompt[]) {}

  /**
   * Hands over the table of every prompt's name a load's check built
   * (`checkOnLoad`'s `names`: complete, no name repeated) for `prompts`,
   * the list the source returns now.
   */
  seed(prompts: readonly Prompt[], table: Int32Array): void {
    this.#seed = { table, prompts, length: prompts.length };
  }

  /** The first prompt named `name` (what `getPrompt` returns), or `undefined`. */
  get(name: string): Prompt | undefined {
    const prompts = this.source();
    const seed = this.#seed;
    if (seed !== undefined) {
      if (prompts === seed.prompts && prompts.length === seed.length) {
        const i = findPromptName(seed.table, prompts, name);
        if (i >= 0) return prompts[i];
      }
      // The list changed, or the name is not in the table (a new or renamed prompt): the usual way from now on.
      this.#seed = undefined;
    }
    if (prompts === this.#prompts && prompts.length === this.#length) {
      const i = this.#byName.get(name);
      if (i !== undefined) {
        const p = prompts[i];
        if (p !== undefined && p.name === name) return p;
      }
    } else {
      // The list changed since the index was built (or it never was): unused until rebuilt.
      this.#prompts = undefined;
    }
    if (this.#scanned < prompts.length) {
      for (let i = 0; i < prompts.length; i++) {
        const p = prompts[i]!;
        if (p.name === name) {
          this.#scanned += i + 1;
          return p;
        }
      }
      this.#scanned += prompts.length;
      return undefined;
    }
    this.#rebuild(prompts);
    const i = this.#byName.get(name);
    return i === undefined ? undefined : prompts[i];
  }

  #rebuild(prompts: readonly Prompt[]): void {
    this.#prompts = prompts;
    this.#length = prompts.length;
    this.#scanned = 0;
    this.#byName.clear();
    for (let i = 0; i < prompts.length; i++) {
      const name = prompts[i]!.name;
      if (!this.#byName.has(name)) this.#byName.set(name, i);
    }
  }
}
