const MARKER = Symbol.for("@aiconfig-ts/cli.UsageError");

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError";
  readonly [MARKER] = true;

  /**
   * Whether `error` is a UsageError, also one made by another copy of this
   * class (the start-up bundle, dist/bin.cjs, and the commands' ES modules
   * each hold one), where `instanceof` would say no.
   */
  static isInstance(error: unknown): error is UsageError {
    return typeof error === "object" && error !== null && (error as { [MARKER]?: unknown })[MARKER] === true;
  }
}
