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

/** Base class of every error this package throws. */
export class AIConfigError extends Error {
  override name = "AIConfigError";
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
      `prompt "${prompt}" uses the output of prompt "${reference}", which has no output yet: run "${reference}" first, or run with dependencies (--with-dependencies)`,
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
