/**
 * Rendering a prompt for its provider: the template context (parameters by
 * precedence, references to other prompts' `{{NAME.output}}` and
 * `{{NAME.input}}`), the rendered input with its attachments, the chat
 * history of earlier prompts, and the {@link ResolveContext} handed to
 * `Provider.resolve` (the specification's "deserialize").
 *
 * Precedence of a name in a template, highest first: the run's parameters,
 * the prompt's `metadata.parameters`, the root `metadata.parameters`, then
 * another prompt of that name.
 *
 * Sources: the AIConfig specification (`shared/seeds/specification.md`,
 * "Parameters" and "Chaining prompts"); the original SDK's `parameterize.ts`.
 *
 * @packageDocumentation
 */
import { type AttachmentAccess, resolveAttachment } from "./attachments.js";
import { promptTemplate } from "./dependencies.js";
import { latestResult, promptModelName, promptOwnModelName, promptSettings } from "./document.js";
import { MissingOutputError, MissingParameterError, NoModelError } from "./errors.js";
import { isMediaOutput, outputText as genericOutputText } from "./output-text.js";
import { chatTurnList, chatTurnOutOfRange } from "./chat-turns.js";
import type { ChatTurns, Provider, RenderedInput, ResolveContext, ResolvedAttachment } from "./provider.js";
import type { ProviderRegistry } from "./registry.js";
import {
  type CompiledTemplate,
  compileTemplate,
  isOnlyNameMustache,
  onlyNameMustacheEnd,
  renderPlainTemplate,
  templateValue,
} from "./template.js";
import type { AIConfig, JSONObject, ModelSettings, Output, Prompt } from "./types.js";

/** What rendering reads from the runtime that owns the document. */
export interface PromptScope {
  /** The document. */
  readonly config: AIConfig;
  /** The providers, to find each prompt's. */
  readonly registry: ProviderRegistry;
  /** Folder of the aiconfig file (relative attachments), `undefined` when it has none. */
  readonly configDir: string | undefined;
  /**
   * Strict rendering: a name nothing defines is a {@link MissingParameterError},
   * and `{{NAME.output}}` of a prompt without output a {@link MissingOutputError}.
   */
  readonly strict: boolean;
  /** Folders attachments may also be read from (`RuntimeOptions.allowPaths`). */
  readonly allowPaths?: readonly string[];
  /** Hosts attachment URLs may be fetched from even when private (`RuntimeOptions.allowHosts`, `AICONFIG_ALLOW_ENDPOINTS`). */
  readonly allowHosts?: readonly string[];
  /** The aiconfig file, named in a refused attachment's error. */
  readonly filePath: string | undefined;
  /** The environment providers read (loaded on first use). */
  environment(): Record<string, string | undefined>;
  /** The prompt `getPrompt(name)` returns (the first of that name). */
  getPrompt(name: string): Prompt | undefined;
}

/** A prompt resolved for its provider. */
export interface ResolvedPrompt {
  readonly prompt: Prompt;
  readonly provider: Provider;
  readonly model: string;
  readonly settings: ModelSettings;
  /** What `Provider.resolve` returned (a promise when it is async). */
  readonly request: unknown;
  readonly env: Record<string, string | undefined>;
}

const NO_ATTACHMENTS: readonly ResolvedAttachment[] = Object.freeze([]);
const NO_CONTEXT: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
/** What {@link RenderSession}'s parameter lookup gives for a name no parameter defines. */
const NO_PARAMETER: unique symbol = Symbol("no parameter");

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** State shared by every prompt rendered during one resolve. */
class RenderSession {
  /** Prompts whose `{{NAME.input}}` is being rendered (a reference cycle renders raw); made on the first such reference, not per run. */
  #renderingInputs: Set<Prompt> | undefined;
  /** Scratch list of the attachments a string input's references hand on (rendering a string input does not nest). */
  private readonly handedOnScratch: ResolvedAttachment[] = [];
  /** Names asked for that no prompt has (each costs the prompt index a rebuild). */
  #notPrompts: Set<string> | undefined;
  // The fields and methods a resolve uses once per earlier prompt of a chat are `private`, not `#`:
  // a `#` field is read through a keyed lookup, which costs more in the code not optimised yet.
  private readonly rootParameters: JSONObject | undefined;
  /** What {@link RenderSession.render} is rendering, read by the one lookup function it hands the template scan. */
  private rendering: Prompt | undefined;
  private renderingStrict = false;
  private renderingHandedOn: ResolvedAttachment[] | undefined;
  /** The lookup of a top-level name for the template being rendered (one function per session, not one per template). */
  private readonly lookup = (name: string): unknown => this.value(this.rendering!, name, this.renderingStrict, this.renderingHandedOn);

  constructor(
    readonly scope: PromptScope,
    readonly runParams: JSONObject,
  ) {
    this.rootParameters = scope.config.metadata.parameters as JSONObject | undefined;
  }

  /** Whether a prompt has this name. */
  isPromptName(name: string): boolean {
    if (this.#notPrompts?.has(name)) return false;
    if (this.scope.getPrompt(name)) return true;
    (this.#notPrompts ??= new Set()).add(name);
    return false;
  }

  /** The merged parameters of a prompt (what `ResolveContext.parameters` shows). */
  parameters(prompt: Prompt): JSONObject {
    return { ...this.rootParameters, ...(prompt.metadata?.parameters as JSONObject | undefined), ...this.runParams };
  }

  /**
   * Renders a template for `prompt`.
   * @param handedOn receives the attachments that references to media outputs hand on
   * @throws {MissingParameterError} | {MissingOutputError} in strict mode; {TemplateError}
   */
  render(prompt: Prompt, template: string, strict: boolean, handedOn?: ResolvedAttachment[]): string {
    // Plain `{{name}}` templates (most prompts) are rendered by a scan: nothing compiled, cached or built per prompt.
    // Restored after: reading a reference's `input` renders another prompt.
    const outer = this.rendering;
    const outerStrict = this.renderingStrict;
    const outerHandedOn = this.renderingHandedOn;
    this.rendering = prompt;
    this.renderingStrict = strict;
    this.renderingHandedOn = handedOn;
    const plain = renderPlainTemplate(template, this.lookup);
    this.rendering = outer;
    this.renderingStrict = outerStrict;
    this.renderingHandedOn = outerHandedOn;
    if (plain !== undefined) return plain;
    const compiled = compiledFor(prompt, template);
    if (compiled.names.size === 0) return compiled.render(NO_CONTEXT);
    const context: Record<string, unknown> = {};
    for (const name of compiled.names) {
      const value = this.value(prompt, name, strict, handedOn);
      if (value !== undefined) context[name] = value;
    }
    return compiled.render(context);
  }

  /**
   * The value a template of `prompt` sees for a top-level name: a parameter
   * by precedence (the run's, the prompt's, the file's; objects readable as
   * JSON), a reference to a prompt, or `undefined`.
   */
  private value(prompt: Prompt, name: string, strict: boolean, handedOn: ResolvedAttachment[] | undefined): unknown {
    const value = this.parameter(prompt, name);
    if (value !== NO_PARAMETER) return typeof value === "object" && value !== null ? templateValue(value) : value;
    if (this.isPromptName(name)) return this.#reference(prompt, name, strict, handedOn);
    if (strict) throw new MissingParameterError(name, prompt.name);
    return undefined;
  }

  /** The parameter `name` of `prompt` by precedence (the run's, the prompt's, the file's), as stored; {@link NO_PARAMETER} when none defines it. */
  private parameter(prompt: Prompt, name: string): unknown {
    if (Object.hasOwn(this.runParams, name)) return this.runParams[name];
    const own = prompt.metadata?.parameters as JSONObject | undefined;
    if (own && Object.hasOwn(own, name)) return own[name];
    const root = this.rootParameters;
    if (root && Object.hasOwn(root, name)) return root[name];
    return NO_PARAMETER;
  }

  /**
   * The mustache {@link RenderSession.quickInputText} read last for a prompt
   * without parameters of its own, as `name}}` ("" before the first), and
   * the name's value (the run's or the file's parameter, the same for every
   * such prompt of this resolve). Consecutive turns mostly use the same name,
   * which is then compared where it stands in the template: no match run, no
   * name string cut out, no property lookup (each hashes a new string).
   */
  private sharedMustache = "";
  private sharedValue: unknown;

  /**
   * The text of a string input (leniently rendered, no attachments) when it
   * has no mustache or its only one is `{{name}}` of a string parameter (most
   * chat turns): nothing built but the text; `undefined` for any other
   * input, which {@link RenderSession.renderInputText} renders.
   */
  quickInputText(prompt: Prompt): string | undefined {
    const input = prompt.input;
    if (typeof input !== "string") return undefined;
    const open = input.indexOf("{{");
    if (open === -1) return input;
    const own = prompt.metadata?.parameters;
    const shared = this.sharedMustache;
    let value: unknown;
    let after: number;
    if (!own && shared !== "" && isOnlyNameMustache(input, open, shared)) {
      value = this.sharedValue;
      after = open + 2 + shared.length;
    } else {
      after = onlyNameMustacheEnd(input, open);
      if (after === -1) return undefined;
      const name = input.slice(open + 2, after - 2);
      value = this.parameter(prompt, name);
      if (!own) {
        this.sharedMustache = input.slice(open + 2, after);
        this.sharedValue = value;
      }
    }
    return typeof value === "string" ? input.slice(0, open) + value + input.slice(after) : undefined;
  }

  /** Where a prompt's attachments may be read from, and what a refusal names. */
  #access(prompt: Prompt, pointer: string): AttachmentAccess {
    const scope = this.scope;
    return {
      allowPaths: scope.allowPaths,
      // read when a URL is fetched, not on every resolve
      get allowHosts() {
        return scope.allowHosts;
      },
      prompt: prompt.name,
      pointer,
      file: scope.filePath,
    };
  }

  /** `{{NAME.output}}` and `{{NAME.input}}` of prompt NAME, seen from `from`. */
  #reference(from: Prompt, name: string, strict: boolean, handedOn: ResolvedAttachment[] | undefined): unknown {
    const ref = this.scope.getPrompt(name)!;
    const latest = latestResult(ref);
    if (handedOn && isMediaOutput(latest)) {
      const pointer = `/prompts/${this.scope.config.prompts.indexOf(ref)}/outputs/${ref.outputs!.indexOf(latest)}`;
      handedOn.push(
        resolveAttachment({ data: latest.data, mime_type: latest.mime_type }, this.scope.configDir, this.#access(ref, pointer)),
      );
    }
    const session = this;
    const scope = this.scope;
    return {
      get output() {
        if (!latest) {
          if (strict) throw new MissingOutputError(name, from.name);
          return "";
        }
        return outputTextOf(scope, ref, latest);
      },
      get input() {
        return session.referencedInput(ref);
      },
    };
  }

  /** `{{NAME.input}}`: the input of prompt NAME rendered with its own parameters (raw in a reference cycle). */
  referencedInput(ref: Prompt): string {
    const template = promptTemplate(ref);
    const rendering = (this.#renderingInputs ??= new Set());
    if (rendering.has(ref)) return template;
    rendering.add(ref);
    try {
      return this.render(ref, template, false);
    } finally {
      rendering.delete(ref);
    }
  }

  /** The attachments of the input {@link RenderSession.renderInputText} rendered last. */
  renderedAttachments: readonly ResolvedAttachment[] = NO_ATTACHMENTS;

  /**
   * A prompt's input, rendered: the text of a string input, of a string
   * `input.data` (JSON for other data), or of an old file's `input.content`;
   * its attachments, then those handed on by references to media outputs.
   */
  renderInput(prompt: Prompt, strict: boolean): RenderedInput {
    const text = this.renderInputText(prompt, strict);
    return { text, attachments: this.renderedAttachments };
  }

  /**
   * The text of {@link RenderSession.renderInput}, its attachments left in
   * {@link RenderSession.renderedAttachments}. A string input allocates
   * nothing beyond its text.
   */
  renderInputText(prompt: Prompt, strict: boolean): string {
    const input = prompt.input;
    if (typeof input === "string") {
      this.renderedAttachments = NO_ATTACHMENTS;
      if (!input.includes("{{")) return input;
      // Only references to other prompts hand on attachments: collected in a scratch list, copied when there are some.
      const handedOn = this.handedOnScratch;
      handedOn.length = 0;
      const text = this.render(prompt, input, strict, handedOn);
      if (handedOn.length !== 0) {
        this.renderedAttachments = handedOn.slice();
        handedOn.length = 0;
      }
      return text;
    }
    const handedOn: ResolvedAttachment[] = [];
    let text = "";
    let attachments: ResolvedAttachment[] = [];
    if (isObject(input)) {
      if (typeof input.data === "string") text = this.render(prompt, input.data, strict, handedOn);
      else if (input.data !== undefined && input.data !== null) text = JSON.stringify(input.data);
      else if (typeof input.content === "string") text = this.render(prompt, input.content, strict, handedOn);
      for (const [i, attachment] of (input.attachments ?? []).entries()) {
        const pointer = `/prompts/${this.scope.config.prompts.indexOf(prompt)}/input/attachments/${i}`;
        attachments.push(resolveAttachment(attachment, this.scope.configDir, this.#access(prompt, pointer)));
      }
    }
    if (handedOn.length) attachments = attachments.concat(handedOn);
    this.renderedAttachments = attachments.length ? attachments : NO_ATTACHMENTS;
    return text;
  }
}

/** Compiled templates by prompt, in front of the template cache: a resolve renders every earlier prompt of a chat. */
const compiledByPrompt = new WeakMap<Prompt, CompiledTemplate>();

function compiledFor(prompt: Prompt, template: string): CompiledTemplate {
  const known = compiledByPrompt.get(prompt);
  if (known !== undefined && known.source === template) return known;
  const compiled = compileTemplate(template);
  compiledByPrompt.set(prompt, compiled);
  return compiled;
}

/** The text of a prompt's output, read by the prompt's provider when one is registered, else generically. */
export function outputTextOf(scope: Pick<PromptScope, "config" | "registry">, prompt: Prompt, output: Output): string {
  const model = promptModelName(scope.config, prompt);
  const provider = model === undefined ? undefined : scope.registry.find(model, scope.config.metadata.model_parsers);
  return provider?.outputText?.(output) ?? genericOutputText(output);
}

const NO_PROMPTS: readonly Prompt[] = Object.freeze([]);

/**
 * The chat turns of a resolve ({@link ChatTurns}): the earlier prompts of the
 * model, found in one pass over the document. That pass also reads each
 * turn's latest output and renders the inputs that need no more than one
 * parameter's value ({@link RenderSession.quickInputText}: most turns); any
 * other input is rendered (leniently) when asked for, the last one kept.
 */
class RenderedChatTurns implements ChatTurns {
  readonly length: number;
  // Read once or twice per turn: `private`, not `#` (see RenderSession).
  private readonly prompts: Prompt[] = [];
  /** Each turn's text when the pass rendered it, else `undefined`. */
  private readonly texts: (string | undefined)[] = [];
  /** Each turn's latest `execute_result` output. */
  private readonly outputs: (Output | undefined)[] = [];
  /** The turn rendered when asked for last (none yet, or its rendering failed: `undefined`), its text and attachments. */
  private rendered: number | undefined = undefined;
  private renderedText = "";
  private renderedAttachments: readonly ResolvedAttachment[] = NO_ATTACHMENTS;

  /**
   * @param prompt the prompt being resolved: the turns are the prompts before it
   * @param model its model: only prompts of this model are turns
   * @param provider its provider (every turn is of the same model, so of the same provider)
   * @param remember whether the prompt remembers its chat context (no turns when not)
   */
  constructor(
    private readonly session: RenderSession,
    prompt: Prompt,
    model: string,
    private readonly provider: Provider,
    remember: boolean,
  ) {
    const config = session.scope.config;
    const prompts = remember ? config.prompts : NO_PROMPTS;
    const defaultModel = config.metadata.default_model;
    for (let i = 0; i < prompts.length; i++) {
      const p = prompts[i]!;
      if (p === prompt) break;
      // promptModelName's rule, with the common case (a model name string) read inline.
      const own = p.metadata?.model;
      const name = typeof own === "string" ? own : (promptOwnModelName(p) ?? defaultModel);
      if (name !== model) continue;
      this.prompts.push(p);
      this.texts.push(session.quickInputText(p));
      this.outputs.push(latestResult(p));
    }
    this.length = this.prompts.length;
  }

  prompt(index: number): Prompt {
    const prompt = this.prompts[index];
    if (prompt === undefined) throw chatTurnOutOfRange(index, this.length); // also for -1, 0.5, NaN: no such element
    return prompt;
  }

  private renderTurn(index: number): void {
    const prompt = this.prompt(index);
    this.rendered = undefined; // a failed rendering keeps nothing
    this.renderedText = this.session.renderInputText(prompt, false);
    this.renderedAttachments = this.session.renderedAttachments;
    this.rendered = index;
  }

  text(index: number): string {
    const text = this.texts[index];
    if (text !== undefined) return text;
    if (index !== this.rendered) this.renderTurn(index);
    return this.renderedText;
  }

  attachments(index: number): readonly ResolvedAttachment[] {
    if (this.texts[index] !== undefined) return NO_ATTACHMENTS;
    if (index !== this.rendered) this.renderTurn(index);
    return this.renderedAttachments;
  }

  output(index: number): Output | undefined {
    if (this.prompts[index] === undefined) throw chatTurnOutOfRange(index, this.length);
    return this.outputs[index];
  }

  outputText(index: number): string | undefined {
    const output = this.output(index);
    return output ? (this.provider.outputText?.(output) ?? genericOutputText(output)) : undefined;
  }
}

/**
 * Resolves a prompt: finds its model, provider and settings, renders its
 * input, and calls `Provider.resolve` with a {@link ResolveContext}.
 * @param params the run's parameters (they win over the file's)
 * @returns the resolved prompt; its `request` is what `Provider.resolve` returned (await it)
 * @throws {NoModelError} | {UnknownModelError} | {MissingParameterError} | {MissingOutputError} | {TemplateError}
 *   | {AttachmentError}, and what `Provider.resolve` throws synchronously
 */
export function resolvePrompt(scope: PromptScope, prompt: Prompt, params: JSONObject): ResolvedPrompt {
  const config = scope.config;
  const model = promptModelName(config, prompt);
  if (model === undefined) throw new NoModelError(prompt.name);
  const provider = scope.registry.forModel(model, config.metadata.model_parsers, prompt.name);
  const settings = promptSettings(config, prompt, model);
  const session = new RenderSession(scope, params);
  const strict = scope.strict;
  const input = session.renderInput(prompt, strict);
  const env = scope.environment();
  const remember = prompt.metadata?.remember_chat_context ?? (settings.remember_chat_context as boolean | undefined) ?? true;
  const context: ResolveContext = {
    config,
    prompt,
    model,
    settings,
    parameters: session.parameters(prompt),
    input,
    render: (template) => session.render(prompt, template, strict),
    chatTurns: () => new RenderedChatTurns(session, prompt, model, provider, remember),
    chatHistory: () => (remember ? chatTurnList(new RenderedChatTurns(session, prompt, model, provider, true)) : []),
    configDir: scope.configDir,
    env,
  };
  return { prompt, provider, model, settings, request: provider.resolve(context), env };
}
