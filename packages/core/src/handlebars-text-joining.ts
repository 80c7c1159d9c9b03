/**
 * Handlebars templates whose pieces are joined as text.
 *
 * With `noEscape` (a prompt is not HTML), the code `Handlebars.compile`
 * generates joins a program's pieces with a bare `+`, so `{{a}}{{b}}` with
 * the numbers 1 and 2 gives "3", and `{{#each xs}}{{this}}{{@index}}{{/each}}`
 * over [5, 6] gives "57". Escaped Handlebars (what the original SDK renders
 * with) converts each value to text first and gives "12" and "5061", as
 * core's plain `{{name}}` path does. The page's eval-free renderer
 * (`handlebars-interpreter.ts`) joins as text too.
 *
 * @packageDocumentation
 */

type HandlebarsModule = typeof import("handlebars");

/**
 * Makes `env.compile` (and `env.precompile`) of a Handlebars environment
 * (from `Handlebars.create()`) append each piece as `"" + (piece)`; the
 * lookups, helpers, and `null`/`undefined` printed as "" are Handlebars'
 * own. Follows `JavaScriptCompiler.appendToBuffer` of Handlebars 4.7, whose
 * child programs (block bodies) are compiled by `new this.compiler()`.
 * @returns the same environment, changed
 */
export function joinPiecesAsText<T extends HandlebarsModule>(env: T): T {
  // Handlebars' typings omit the compiler's internals (appendToBuffer, the child compiler class).
  const Base = (env as any).JavaScriptCompiler as new () => any;
  class TextJoiningCompiler extends Base {
    appendToBuffer(source: unknown, location: unknown, explicit: unknown): unknown {
      return super.appendToBuffer(['"" + (', source, ")"], location, explicit);
    }
  }
  (TextJoiningCompiler.prototype as any).compiler = TextJoiningCompiler;
  (env as any).JavaScriptCompiler = TextJoiningCompiler;
  return env;
}
