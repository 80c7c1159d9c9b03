/**
 * Error classes, one per kind of failure. Every message is one line a user
 * can act on: it names the file, the place and the fix where they are known.
 *
 * @packageDocumentation
 */

/** Where in a file a problem is. Lines and columns count from 1. */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer of the offending value, e.g. `/prompts/0/name`. */
  pointer?: string;
}

/**
 * Marks every {@link AIConfigError}: `Symbol.for`, so that two copies of this
 * package (e.g. one bundled in a CLI, one in a provider package) mark errors
 * the same way. Its value lists the error's kinds: the names of its class and
 * of every error class above it, most derived first.
 */
const ERROR_MARKER: unique symbol = Symbol.for("aiconfig-ts.error") as never;

function kindsOf(errorClass: { readonly name: string } | undefined): string[] {
  const kinds: string[] = [];
  for (
    let c: { readonly name: string } | null | undefined = errorClass;
    c && c !== Error && c !== Function.prototype;
    c = Object.getPrototypeOf(c)
  )
    kinds.push(c.name);
  return kinds;
}

/**
 * Base class of every error this package throws.
 *
 * Check errors with the static `isInstance` of a class (e.g.
 * `ParseError.isInstance(error)`), not `instanceof`: it also holds for errors
 * made by another copy of this package, by the class names marked on the error
 * (after vercel/ai's `AISDKError.isInstance`).
 */
export class AIConfigError extends Error {
  override name = "AIConfigError";
  /** The kinds of this error (see {@link ERROR_MARKER}); not enumerable. */
  declare readonly [ERROR_MARKER]: readonly string[];

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, ERROR_MARKER, { value: kindsOf(new.target), enumerable: false });
  }

  /**
   * Whether `error` is an error of this class or a subclass, made by any copy
   * of this package.
   */
  static isInstance<T extends AIConfigError>(this: abstract new (...args: never[]) => T, error: unknown): error is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class isInstance is called on (a subclass too).
    if (error instanceof this) return true;
    if (typeof error !== "object" || error === null) return false;
    const kinds = (error as { [ERROR_MARKER]?: unknown })[ERROR_MARKER];
    // biome-ignore lint/complexity/noThisInStatic: as above.
    return Array.isArray(kinds) && kinds.includes(this.name);
  }
}

/** Formats a location as `file:line:col` (parts that are unknown are left out). */
export function formatLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.line !== undefined) {
    parts.push(String(loc.line));
    if (loc.column !== undefined) parts.push(String(loc.column));
  }
  return parts.join(":");
}

/** A problem found while parsing or validating a file. */
export interface Problem extends Location {
  /** What is wrong, in words a user understands. */
  message: string;
}

/** Formats a problem as `FILE:LINE:COL: message (at /json/pointer)`. */
export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  const at = p.pointer !== undefined ? ` (at ${p.pointer === "" ? "/" : p.pointer})` : "";
  return `${where ? `${where}: ` : ""}${p.message}${at}`;
}

/** A file could not be parsed as JSON, JSON with comments or YAML. */
export class ParseError extends AIConfigError {
  override name = "ParseError";
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** A document does not follow the AIConfig schema. */
export class ValidationError extends AIConfigError {
  override name = "ValidationError";
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** A template uses a parameter that nothing defines. */
export class MissingParameterError extends AIConfigError {
  override name = "MissingParameterError";
  constructor(
    readonly parameter: string,
    readonly prompt: string,
  ) {
    super(
      `prompt "${prompt}" uses parameter "${parameter}" but nothing defines it: set it in the prompt's or the root metadata.parameters, or pass it to run (-p ${parameter}=VALUE)`,
    );
  }
}

/**
 * In strict mode, a template uses `{{NAME.output}}` of a prompt that has no
 * output yet (lenient mode renders it as empty text).
 */
export class MissingOutputError extends AIConfigError {
  override name = "MissingOutputError";
  /**
   * @param reference the prompt whose output is used (NAME)
   * @param prompt the prompt whose template uses it
   */
  constructor(
    readonly reference: string,
    readonly prompt: string,
  ) {
    super(
      `prompt "${prompt}" uses the output of prompt "${reference}", which has no output yet: run "${reference}" first, or run this prompt with runWithDependencies`,
    );
  }
}

/** No prompt has the given name. */
export class UnknownPromptError extends AIConfigError {
  override name = "UnknownPromptError";
  constructor(
    readonly prompt: string,
    known: string[],
  ) {
    super(`no prompt named "${prompt}"${known.length ? `; the prompts are: ${known.join(", ")}` : "; the file has no prompts"}`);
  }
}

/** No registered provider serves a model. */
export class UnknownModelError extends AIConfigError {
  override name = "UnknownModelError";
  constructor(
    readonly model: string,
    readonly prompt: string | undefined,
    providers: string[],
    detail?: string,
  ) {
    super(
      detail ??
        `no provider serves model "${model}"${prompt ? ` (prompt "${prompt}")` : ""}: map it in metadata.model_parsers to one of the registered providers: ${providers.join(", ") || "(none registered)"}`,
    );
  }
}

/** A prompt names no model and the file has no `default_model`. */
export class NoModelError extends AIConfigError {
  override name = "NoModelError";
  constructor(readonly prompt: string) {
    super(`prompt "${prompt}" names no model and the file has no metadata.default_model: set metadata.model on the prompt`);
  }
}

/** Prompts refer to each other in a cycle. */
export class DependencyCycleError extends AIConfigError {
  override name = "DependencyCycleError";
  constructor(readonly cycle: string[]) {
    super(`prompts refer to each other in a cycle: ${cycle.join(" -> ")}`);
  }
}

/** A template cannot be compiled. */
export class TemplateError extends AIConfigError {
  override name = "TemplateError";
}

/** An attachment cannot be read. */
export class AttachmentError extends AIConfigError {
  override name = "AttachmentError";
}

/** A run was cancelled through its AbortSignal. */
export class RunAbortedError extends AIConfigError {
  override name = "RunAbortedError";
  constructor(readonly prompt: string) {
    super(`run of prompt "${prompt}" was cancelled`);
  }
}

/** A provider failed while running a prompt; `cause` holds the provider's error. */
export class ProviderError extends AIConfigError {
  override name = "ProviderError";
  constructor(
    message: string,
    readonly prompt: string,
    readonly provider: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A provider module was built against another version of the provider specification. */
export class ProviderVersionError extends AIConfigError {
  override name = "ProviderVersionError";
  constructor(
    readonly provider: string,
    readonly version: string,
    readonly supported: string,
  ) {
    super(
      `provider "${provider}" implements provider specification ${version}, but this @aiconfig-ts/core implements ${supported}: install versions of the provider package and @aiconfig-ts/core that match`,
    );
  }
}

/**
 * A provider needs a key (credential) and none is set. Providers' own classes
 * (e.g. OpenAI's `MissingAPIKeyError`) extend it, so their stored names stay.
 */
export class MissingCredentialError extends AIConfigError {
  override name = "MissingCredentialError";
}

/** A setting has a value of the wrong type or out of range, or a needed setting is missing. */
export class InvalidSettingError extends AIConfigError {
  override name = "InvalidSettingError";
}

/** A prompt's input cannot be turned into a request (no text, no attachment of the kind needed, an attachment of a type the model does not take). */
export class InvalidInputError extends AIConfigError {
  override name = "InvalidInputError";
}

/**
 * A key would go to an endpoint that a less trusted source chose (e.g. a
 * `base_url` in the file, with the key from the user's environment). See
 * `readCredential`.
 */
export class EndpointNotAllowedError extends AIConfigError {
  override name = "EndpointNotAllowedError";
  /**
   * @param endpoint the endpoint URL (never with credentials in it)
   * @param host what to allow (`host[:port]`) to send the key there anyway
   */
  constructor(
    readonly endpoint: string,
    readonly host: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A provider's server could not be reached, answered with something that is
 * not what its API sends (HTML, broken JSON), stalled longer than the
 * `timeout`, or sent more than the reply size limit. The message names the
 * URL (never with credentials in it).
 */
export class ProviderResponseError extends AIConfigError {
  override name = "ProviderResponseError";
  /**
   * @param url the URL requested, without credentials
   * @param kind what went wrong
   */
  constructor(
    readonly url: string,
    readonly kind: "connection" | "timeout" | "not-json" | "too-large",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Core was asked for a file, a folder or a `.env` where there is no file
 * system (the browser build): load the document from text or objects, save it
 * to text, give attachments as data or URLs, and the environment as a record.
 */
export class NoFileSystemError extends AIConfigError {
  override name = "NoFileSystemError";
}
