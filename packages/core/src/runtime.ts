/**
 * The AIConfig runtime: loads a file, resolves and runs its prompts on
 * providers, keeps their outputs, and saves the file.
 *
 * Method names follow the original TypeScript SDK (npm `aiconfig` 1.1.15) so
 * that its users can move over. Where that SDK is unsound, this one differs:
 * - providers are registered per runtime (falling back to a shared default
 *   registry), not only in a global mutable registry;
 * - parameters are not HTML-escaped (`<b>Tom & "Jerry"</b>` reaches the model unchanged);
 * - files are validated against the schema on load, with located errors;
 * - a parameter that nothing defines is an error, not an empty string (`strict: false` restores that);
 * - saves are atomic, and keep outputs unless told not to;
 * - building a chat request takes time linear in the number of prompts.
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve as resolvePath } from "node:path";
import { resolveAttachment } from "./attachments.js";
import { assertNoCycle, promptReferences, promptTemplate } from "./dependencies.js";
import { loadEnvironment } from "./env.js";
import { errorOutput, secretValues } from "./redact.js";
import {
  AIConfigError,
  MissingParameterError,
  NoModelError,
  ProviderError,
  RunAbortedError,
  UnknownPromptError,
  ValidationError,
} from "./errors.js";
import { latestOutput, latestResult, promptModelName, promptSettings } from "./document.js";
import { EventHub, type RuntimeEvent, type RuntimeEventCallback, type RuntimeEventName } from "./events.js";
import { isMediaOutput, outputText as genericOutputText } from "./output-text.js";
import { parseConfigText, readConfigFile } from "./parse.js";
import type { ChatTurn, Provider, RenderedInput, ResolveContext, ResolvedAttachment, RunContext, StreamChunk } from "./provider.js";
import { defaultRegistry, ProviderRegistry } from "./registry.js";
import { formatForPath, serializeConfig, writeFileAtomic } from "./save.js";
import { compileTemplate, templateValue } from "./template.js";
import type {
  AIConfig,
  ExecuteResult,
  JSONObject,
  JSONValue,
  ModelSettings,
  Output,
  Prompt,
  PromptModel,
  SchemaVersion,
  StoredData,
} from "./types.js";
import { validateConfig } from "./validate.js";

/** Options of a runtime. */
export interface RuntimeOptions {
  /**
   * Providers for this runtime. Default: a new registry whose parent is
   * {@link defaultRegistry}, so registering on one runtime does not affect others.
   */
  registry?: ProviderRegistry;
  /**
   * Whether a parameter that a template uses and nothing defines is an error
   * ({@link MissingParameterError}). Default `true`; `false` renders it empty.
   */
  strict?: boolean;
  /** Validate the document against the schema when loading. Default `true`. */
  validate?: boolean;
  /**
   * Write binary outputs (audio, images) to files beside the aiconfig file and
   * store them as relative `file_uri`s, instead of base64 in the file. Default `false`.
   */
  outputFiles?: boolean;
  /** Environment for providers. Default: `process.env` over the `.env` beside the file. */
  env?: Record<string, string | undefined>;
}

/** A stream event delivered to {@link RunOptions.onStream}. */
export interface PromptStreamChunk extends StreamChunk {
  /** The prompt whose output this is. */
  readonly prompt: string;
}

/** Options of {@link AIConfigRuntime.run}. */
export interface RunOptions {
  /** Ask the provider to stream. Default: `true` when `onStream` or `callbacks.streamCallback` is given. */
  stream?: boolean;
  /** Receives each streamed piece of output. What it throws is ignored. */
  onStream?: (chunk: PromptStreamChunk) => void;
  /** Cancels the run; the prompt keeps its previous outputs. */
  signal?: AbortSignal;
  /** The original SDK's form: `streamCallback(delta, accumulated, index)`. */
  callbacks?: { streamCallback?: (data: unknown, accumulatedData: unknown, index: number) => unknown };
}

/** Options of {@link AIConfigRuntime.runAll}. */
export interface RunAllOptions extends RunOptions {
  /** Keep running the other prompts after one fails. Default `false`. */
  continueOnError?: boolean;
}

/** Options of {@link AIConfigRuntime.save} and {@link AIConfigRuntime.toString}. */
export interface SaveOptions {
  /** Keep prompt outputs in the file. Default `true`. */
  includeOutputs?: boolean;
  /** The original SDK's name for `includeOutputs`. */
  serializeOutputs?: boolean;
}

/** A prompt resolved for a provider. */
interface Resolved {
  prompt: Prompt;
  provider: Provider;
  model: string;
  settings: ModelSettings;
  request: unknown;
  env: Record<string, string | undefined>;
}

const MIME_EXTENSIONS: Record<string, string> = {
  "audio/wav": ".wav",
  "audio/x-wav": ".wav",
  "audio/mpeg": ".mp3",
  "audio/ogg": ".ogg",
  "audio/flac": ".flac",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/webp": ".webp",
  "image/gif": ".gif",
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Membership test of prompt names. */
type NameSet = { has(name: string): boolean };

/** The names of `prompts`, collected on the first `has` (most runs never ask). */
function lazyNameSet(prompts: readonly Prompt[]): NameSet {
  let names: Set<string> | undefined;
  return { has: (name) => (names ??= new Set(prompts.map((p) => p.name))).has(name) };
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts, so that a
 * cancelled run ends promptly even when a provider is slow to notice.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error("aborted"));
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The AIConfig runtime. */
export class AIConfigRuntime {
  /** The document (plain data, as in the file). Edit it through the methods, or directly. */
  config: AIConfig;
  /** The file the document was loaded from or last saved to. */
  filePath: string | undefined;
  /** Providers for this runtime. */
  readonly registry: ProviderRegistry;
  readonly #options: RuntimeOptions;
  readonly #events = new EventHub();
  #env: Record<string, string | undefined> | undefined;

  /**
   * Wraps a document. Most code uses {@link AIConfigRuntime.load} or {@link AIConfigRuntime.create}.
   * @param config the document; it is used as it is, not copied
   */
  constructor(config: AIConfig, options: RuntimeOptions = {}, filePath?: string) {
    this.config = config;
    this.filePath = filePath;
    this.#options = options;
    this.registry = options.registry ?? new ProviderRegistry(defaultRegistry);
  }

  // ---------------------------------------------------------------- loading

  /**
   * Loads a file: JSON, JSON with comments, or YAML (`.yaml`, `.yml`), chosen
   * by extension with a content fallback; validated against the schema.
   * @throws {ParseError} when the file cannot be read or parsed (with file, line, column)
   * @throws {ValidationError} when it does not follow the schema (each problem located)
   */
  static load(filePath: string, options: RuntimeOptions = {}): AIConfigRuntime {
    const started = Date.now();
    const doc = readConfigFile(filePath);
    if (options.validate !== false) {
      const problems = validateConfig(doc.data, doc, filePath);
      if (problems.length) throw new ValidationError(problems);
    }
    const runtime = new AIConfigRuntime(doc.data as AIConfig, options, resolvePath(filePath));
    runtime.#emit("load_start", { timestamp: started });
    runtime.#emit("load_end", { durationMs: Date.now() - started });
    return runtime;
  }

  /**
   * Loads a document from a JSON text (comments allowed) or an object.
   * @throws {ParseError} | {ValidationError}
   */
  static loadJSON(json: string | object, options: RuntimeOptions = {}): AIConfigRuntime {
    return AIConfigRuntime.#fromText(json, "json", options);
  }

  /**
   * Loads a document from a YAML text.
   * @throws {ParseError} | {ValidationError}
   */
  static loadYAML(yaml: string, options: RuntimeOptions = {}): AIConfigRuntime {
    return AIConfigRuntime.#fromText(yaml, "yaml", options);
  }

  static #fromText(input: string | object, format: "json" | "yaml", options: RuntimeOptions): AIConfigRuntime {
    const doc = typeof input === "string" ? parseConfigText(input, undefined, format) : undefined;
    const data = doc ? doc.data : input;
    if (options.validate !== false) {
      const problems = validateConfig(data, doc);
      if (problems.length) throw new ValidationError(problems);
    }
    return new AIConfigRuntime(data as AIConfig, options);
  }

  /** Creates a new, empty document (`schema_version: "latest"`). */
  static create(
    name = "",
    description = "",
    schemaVersion: SchemaVersion = "latest",
    metadata: AIConfig["metadata"] = {},
    prompts: Prompt[] = [],
    options: RuntimeOptions = {},
  ): AIConfigRuntime {
    const config: AIConfig = { name, schema_version: schemaVersion, metadata: { parameters: {}, models: {}, ...metadata }, prompts };
    if (description) config.description = description;
    return new AIConfigRuntime(config, options);
  }

  /** Registers a provider in the shared default registry (the original SDK's global registration). */
  static registerModelParser(provider: Provider, models: readonly string[] = []): void {
    defaultRegistry.register(provider, models);
  }

  /** Registers a provider for this runtime only, for the given model names. */
  registerModelParser(provider: Provider, models: readonly string[] = []): this {
    this.registry.register(provider, models);
    return this;
  }

  // ---------------------------------------------------------------- document fields (as the original SDK exposes them)

  get name(): string {
    return this.config.name;
  }
  set name(value: string) {
    this.config.name = value;
  }
  get description(): string | undefined {
    return this.config.description;
  }
  set description(value: string | undefined) {
    if (value === undefined) delete this.config.description;
    else this.config.description = value;
  }
  get schema_version(): SchemaVersion {
    return this.config.schema_version;
  }
  get metadata(): AIConfig["metadata"] {
    return this.config.metadata;
  }
  get prompts(): Prompt[] {
    return this.config.prompts;
  }
  /** Sets the document's name. */
  setName(name: string): void {
    this.config.name = name;
  }
  /** Sets the document's description. */
  setDescription(description: string): void {
    this.config.description = description;
  }

  // ---------------------------------------------------------------- events

  /** Adds an event callback (start and end of load, resolve, run, save); returns its remover. */
  onEvent(callback: RuntimeEventCallback): () => void {
    return this.#events.on(callback);
  }

  #emit(name: RuntimeEventName, extra: Partial<RuntimeEvent> = {}): void {
    if (this.#events.size === 0) return;
    this.#events.emit({ name, timestamp: Date.now(), file: this.filePath, ...extra });
  }

  // ---------------------------------------------------------------- saving

  /**
   * The document as text.
   * @param format `json` (default) or `yaml`
   */
  toString(options: SaveOptions = {}, format: "json" | "yaml" = "json"): string {
    return serializeConfig(this.config, format, { includeOutputs: options.includeOutputs ?? options.serializeOutputs ?? true });
  }

  /**
   * Saves atomically (a temporary file in the same folder, then a rename), as
   * JSON or YAML by the extension. Unknown properties are kept; outputs too
   * unless `includeOutputs: false`.
   * @param filePath default: the file it was loaded from
   * @throws {AIConfigError} when there is no path; the file system's error when writing fails (the old file is then untouched)
   */
  save(filePath?: string, options: SaveOptions = {}, format?: "json" | "yaml"): void {
    const target = filePath ?? this.filePath;
    if (!target) throw new AIConfigError("save needs a file path: this document was not loaded from a file");
    const started = Date.now();
    this.#emit("save_start", { file: target });
    try {
      writeFileAtomic(target, this.toString(options, format ?? formatForPath(target)));
      this.filePath = resolvePath(target);
      this.#emit("save_end", { file: target, durationMs: Date.now() - started });
    } catch (error) {
      this.#emit("save_end", { file: target, durationMs: Date.now() - started, error });
      throw error;
    }
  }

  // ---------------------------------------------------------------- prompts

  #promptIndex(name: string): number {
    const prompts = this.config.prompts;
    for (let i = 0; i < prompts.length; i++) if (prompts[i]!.name === name) return i;
    return -1;
  }

  /** The prompt with this name, or `undefined`. */
  getPrompt(name: string): Prompt | undefined {
    const i = this.#promptIndex(name);
    return i < 0 ? undefined : this.config.prompts[i];
  }

  #requirePrompt(name: string): Prompt {
    const prompt = this.getPrompt(name);
    if (!prompt)
      throw new UnknownPromptError(
        name,
        this.config.prompts.map((p) => p.name),
      );
    return prompt;
  }

  /**
   * Adds a prompt, at the end or at `index`.
   * @throws {AIConfigError} when a prompt of that name exists
   */
  addPrompt(prompt: Prompt, index?: number): void {
    if (this.getPrompt(prompt.name)) throw new AIConfigError(`a prompt named "${prompt.name}" already exists: prompt names must be unique`);
    if (index === undefined || index >= this.config.prompts.length) this.config.prompts.push(prompt);
    else this.config.prompts.splice(Math.max(0, index), 0, prompt);
  }

  /**
   * Replaces the prompt named `name` (the new prompt may have a new name).
   * @throws {UnknownPromptError} | {AIConfigError} when the new name is taken
   */
  updatePrompt(name: string, prompt: Prompt): Prompt {
    const i = this.#promptIndex(name);
    if (i < 0)
      throw new UnknownPromptError(
        name,
        this.config.prompts.map((p) => p.name),
      );
    if (prompt.name !== name && this.getPrompt(prompt.name)) {
      throw new AIConfigError(`cannot rename prompt "${name}" to "${prompt.name}": a prompt of that name exists`);
    }
    this.config.prompts[i] = prompt;
    return prompt;
  }

  /** Deletes a prompt. @throws {UnknownPromptError} */
  deletePrompt(name: string): void {
    const i = this.#promptIndex(name);
    if (i < 0)
      throw new UnknownPromptError(
        name,
        this.config.prompts.map((p) => p.name),
      );
    this.config.prompts.splice(i, 1);
  }

  // ---------------------------------------------------------------- models

  /**
   * Adds (or replaces) a model's settings: in the root `metadata.models`, or,
   * with `promptName`, as that prompt's `metadata.model`.
   */
  addModel(model: { name: string; settings?: ModelSettings }, promptName?: string): void {
    const settings = model.settings ?? {};
    if (promptName) {
      const prompt = this.#requirePrompt(promptName);
      prompt.metadata = { ...prompt.metadata, model: { name: model.name, settings } };
      return;
    }
    this.config.metadata.models = { ...this.config.metadata.models, [model.name]: settings };
  }

  /**
   * Merges settings into a model's existing settings (root, or a prompt's).
   * With `promptName` and no settings, only switches the prompt to that model.
   */
  updateModel(model: { name: string; settings?: ModelSettings }, promptName?: string): void {
    if (promptName) {
      const prompt = this.#requirePrompt(promptName);
      const current = prompt.metadata?.model;
      const currentSettings =
        isObject(current) && (current as PromptModel).name === model.name ? ((current as PromptModel).settings ?? {}) : {};
      prompt.metadata = {
        ...prompt.metadata,
        model:
          model.settings || Object.keys(currentSettings).length
            ? { name: model.name, settings: { ...currentSettings, ...model.settings } }
            : model.name,
      };
      return;
    }
    const models = (this.config.metadata.models ??= {});
    models[model.name] = { ...models[model.name], ...model.settings };
  }

  /** Removes a model's root settings. */
  deleteModel(name: string): void {
    if (this.config.metadata.models) delete this.config.metadata.models[name];
  }

  /** Sets (or, with `undefined`, removes) the root `default_model`. */
  setDefaultModel(name: string | undefined): void {
    if (name === undefined) delete this.config.metadata.default_model;
    else this.config.metadata.default_model = name;
  }

  /** Maps a model to a provider id in `model_parsers` (or removes the mapping). */
  setModelParser(model: string, providerId: string | undefined): void {
    const parsers = (this.config.metadata.model_parsers ??= {});
    if (providerId === undefined) delete parsers[model];
    else parsers[model] = providerId;
  }

  /**
   * The model name of a prompt: `metadata.model` (a name or `{name}`), else the root `default_model`.
   * @throws {NoModelError} when there is neither
   */
  getModelName(prompt: string | Prompt): string {
    const p = typeof prompt === "string" ? this.#requirePrompt(prompt) : prompt;
    const name = this.#modelNameOrUndefined(p);
    if (name === undefined) throw new NoModelError(p.name);
    return name;
  }

  #modelNameOrUndefined(prompt: Prompt): string | undefined {
    return promptModelName(this.config, prompt);
  }

  /** The root settings of a model (`metadata.models[name]`). */
  getGlobalSettings(model: string): ModelSettings | undefined {
    return this.config.metadata.models?.[model];
  }

  /** A prompt's settings: the root `models[name]` settings merged with the prompt's own (the prompt's win). */
  getSettings(prompt: string | Prompt): ModelSettings {
    const p = typeof prompt === "string" ? this.#requirePrompt(prompt) : prompt;
    return promptSettings(this.config, p, this.getModelName(p));
  }

  /**
   * The provider of a prompt.
   * @throws {NoModelError} | {UnknownModelError} naming the model and the registered providers
   */
  getProvider(prompt: string | Prompt): Provider {
    const p = typeof prompt === "string" ? this.#requirePrompt(prompt) : prompt;
    return this.registry.forModel(this.getModelName(p), this.config.metadata.model_parsers, p.name);
  }

  // ---------------------------------------------------------------- parameters and metadata

  #metadataOf(promptName?: string): Record<string, unknown> {
    if (!promptName) return this.config.metadata;
    const prompt = this.#requirePrompt(promptName);
    return (prompt.metadata ??= {});
  }

  /** Sets a parameter, in the root metadata or a prompt's. */
  setParameter(name: string, value: JSONValue, promptName?: string): void {
    const metadata = this.#metadataOf(promptName);
    metadata.parameters = { ...(metadata.parameters as JSONObject | undefined), [name]: value };
  }

  /** The original SDK's name for {@link AIConfigRuntime.setParameter}. */
  updateParameter(name: string, value: JSONValue, promptName?: string): void {
    this.setParameter(name, value, promptName);
  }

  /** Sets several parameters at once. */
  setParameters(parameters: JSONObject, promptName?: string): void {
    for (const [k, v] of Object.entries(parameters)) this.setParameter(k, v, promptName);
  }

  /** Removes a parameter. */
  deleteParameter(name: string, promptName?: string): void {
    const parameters = this.#metadataOf(promptName).parameters as JSONObject | undefined;
    if (parameters) delete parameters[name];
  }

  /** Sets a metadata key, on the root or a prompt. */
  setMetadata(key: string, value: JSONValue, promptName?: string): void {
    this.#metadataOf(promptName)[key] = value;
  }

  /** Removes a metadata key. */
  deleteMetadata(key: string, promptName?: string): void {
    delete this.#metadataOf(promptName)[key];
  }

  /** The root metadata, or a prompt's. */
  getMetadata(promptName?: string): Record<string, unknown> {
    return this.#metadataOf(promptName);
  }

  // ---------------------------------------------------------------- outputs

  /** Adds an output to a prompt (or replaces its outputs with it, with `overwrite`). */
  addOutput(promptName: string, output: Output, overwrite = false): Output[] {
    const prompt = this.#requirePrompt(promptName);
    prompt.outputs = overwrite ? [output] : [...(prompt.outputs ?? []), output];
    return prompt.outputs;
  }

  /** Removes a prompt's outputs and returns them. */
  deleteOutput(promptName: string): Output[] {
    const prompt = this.#requirePrompt(promptName);
    const outputs = prompt.outputs ?? [];
    prompt.outputs = [];
    return outputs;
  }

  /** Removes every prompt's outputs. */
  clearOutputs(): void {
    for (const prompt of this.config.prompts) prompt.outputs = [];
  }

  /** A prompt's latest output (the last of its outputs). */
  getLatestOutput(prompt: string | Prompt): Output | undefined {
    const p = typeof prompt === "string" ? this.getPrompt(prompt) : prompt;
    return p && latestOutput(p);
  }

  /**
   * The text of a prompt's output (default: its latest), read by its provider
   * when that provider is registered, else by the generic reading.
   */
  getOutputText(prompt: string | Prompt, output?: Output): string {
    const p = typeof prompt === "string" ? this.#requirePrompt(prompt) : prompt;
    const out = output ?? this.#latestResult(p);
    if (!out) return "";
    const model = this.#modelNameOrUndefined(p);
    const provider = model === undefined ? undefined : this.registry.find(model, this.config.metadata.model_parsers);
    return provider?.outputText?.(out) ?? genericOutputText(out);
  }

  #latestResult(prompt: Prompt): Output | undefined {
    return latestResult(prompt);
  }

  // ---------------------------------------------------------------- resolving

  #environment(): Record<string, string | undefined> {
    if (this.#options.env) return this.#options.env;
    this.#env ??= loadEnvironment(this.filePath ? dirname(this.filePath) : undefined);
    return this.#env;
  }

  #dirOf: { file: string | undefined; dir: string | undefined } = { file: undefined, dir: undefined };

  get #configDir(): string | undefined {
    if (this.#dirOf.file !== this.filePath) this.#dirOf = { file: this.filePath, dir: this.filePath ? dirname(this.filePath) : undefined };
    return this.#dirOf.dir;
  }

  /**
   * Builds the template context and attachments for one prompt.
   * Precedence, highest first: `runParams`, the prompt's parameters, the root
   * parameters, then references to other prompts (`{{NAME.output}}`, `{{NAME.input}}`).
   */
  #renderer(prompt: Prompt, runParams: JSONObject, promptNames: NameSet, strict: boolean) {
    const parameters: JSONObject = {
      ...(this.config.metadata.parameters as JSONObject | undefined),
      ...(prompt.metadata?.parameters as JSONObject | undefined),
      ...runParams,
    };
    const handedOn: ResolvedAttachment[] = [];
    const configDir = this.#configDir;
    const render = (template: string): string => {
      const compiled = compileTemplate(template);
      if (compiled.names.size === 0) return compiled.render({});
      const context: Record<string, unknown> = {};
      for (const name of compiled.names) {
        if (Object.hasOwn(parameters, name)) {
          context[name] = templateValue(parameters[name]);
        } else if (promptNames.has(name)) {
          const ref = this.getPrompt(name)!;
          const latest = this.#latestResult(ref);
          if (isMediaOutput(latest)) {
            handedOn.push(resolveAttachment({ data: latest.data, mime_type: latest.mime_type }, configDir));
          }
          const renderInputOf = () => this.#renderReferencedInput(ref, runParams, promptNames);
          context[name] = {
            output: this.getOutputText(ref),
            get input() {
              return renderInputOf();
            },
          };
        } else if (strict) {
          throw new MissingParameterError(name, prompt.name);
        }
      }
      return compiled.render(context);
    };
    const renderInput = (): RenderedInput => {
      const input = prompt.input;
      let text = "";
      const attachments: ResolvedAttachment[] = [];
      if (typeof input === "string") text = render(input);
      else if (isObject(input)) {
        if (typeof input.data === "string") text = render(input.data);
        else if (input.data !== undefined && input.data !== null) text = JSON.stringify(input.data);
        else if (typeof input.content === "string") text = render(input.content);
        for (const attachment of input.attachments ?? []) attachments.push(resolveAttachment(attachment, configDir));
      }
      attachments.push(...handedOn);
      return { text, attachments };
    };
    return { parameters, render, renderInput };
  }

  readonly #renderingInputs = new Set<Prompt>();

  /** `{{NAME.input}}`: the input of prompt NAME rendered with its own parameters (raw in a reference cycle). */
  #renderReferencedInput(ref: Prompt, runParams: JSONObject, promptNames: NameSet): string {
    const template = promptTemplate(ref);
    if (this.#renderingInputs.has(ref)) return template;
    this.#renderingInputs.add(ref);
    try {
      return this.#renderer(ref, runParams, promptNames, false).render(template);
    } finally {
      this.#renderingInputs.delete(ref);
    }
  }

  async #resolvePrompt(prompt: Prompt, params: JSONObject): Promise<Resolved> {
    const model = this.getModelName(prompt);
    const provider = this.registry.forModel(model, this.config.metadata.model_parsers, prompt.name);
    const settings = this.getSettings(prompt);
    const strict = this.#options.strict !== false;
    const prompts = this.config.prompts;
    const promptNames = lazyNameSet(prompts);
    const { parameters, render, renderInput } = this.#renderer(prompt, params, promptNames, strict);
    const input = renderInput();
    const env = this.#environment();
    const remember = prompt.metadata?.remember_chat_context ?? (settings.remember_chat_context as boolean | undefined) ?? true;
    const chatHistory = (): ChatTurn[] => {
      if (!remember) return [];
      const turns: ChatTurn[] = [];
      for (const earlier of prompts) {
        if (earlier === prompt) break;
        if (this.#modelNameOrUndefined(earlier) !== model) continue;
        const output = this.#latestResult(earlier);
        const plain = typeof earlier.input === "string" && !earlier.input.includes("{{");
        turns.push({
          prompt: earlier,
          // A plain string input needs no rendering (the common case in long chats).
          input: plain
            ? { text: earlier.input as string, attachments: [] }
            : this.#renderer(earlier, params, promptNames, false).renderInput(),
          output,
          // Same model, so same provider as this prompt.
          outputText: output ? (provider.outputText?.(output) ?? genericOutputText(output)) : undefined,
        });
      }
      return turns;
    };
    const context: ResolveContext = {
      config: this.config,
      prompt,
      model,
      settings,
      parameters,
      input,
      render,
      chatHistory,
      configDir: this.#configDir,
      env,
    };
    const request = await provider.resolve(context);
    return { prompt, provider, model, settings, request, env };
  }

  /**
   * The request a prompt's provider would send, without sending it (the
   * specification's "deserialize").
   * @param params parameter values that win over the file's
   * @throws {UnknownPromptError} | {NoModelError} | {UnknownModelError} | {MissingParameterError} | {TemplateError}
   */
  async resolve(promptName: string, params: JSONObject = {}): Promise<unknown> {
    const prompt = this.#requirePrompt(promptName);
    const started = Date.now();
    this.#emit("resolve_start", { prompt: promptName, data: params });
    try {
      const { request } = await this.#resolvePrompt(prompt, params);
      this.#emit("resolve_end", { prompt: promptName, durationMs: Date.now() - started });
      return request;
    } catch (error) {
      this.#emit("resolve_end", { prompt: promptName, durationMs: Date.now() - started, error });
      throw error;
    }
  }

  /**
   * Turns a provider request (e.g. an OpenAI `messages` body) into prompts of
   * this document (they are returned, not added).
   * @throws {UnknownModelError} | {AIConfigError} when the provider cannot serialize
   */
  async serialize(model: string, data: unknown, promptName: string, params: JSONObject = {}): Promise<Prompt[]> {
    const provider = this.registry.forModel(model, this.config.metadata.model_parsers, promptName);
    if (!provider.serialize) throw new AIConfigError(`provider "${provider.id}" cannot turn requests into prompts`);
    return provider.serialize(data, { promptName, model, parameters: params });
  }

  // ---------------------------------------------------------------- running

  async #storeBinary(bytes: Uint8Array, mimeType: string, promptName: string): Promise<StoredData> {
    if (!this.#options.outputFiles || !this.filePath) return { kind: "base64", value: Buffer.from(bytes).toString("base64") };
    const dir = join(dirname(this.filePath), `${basename(this.filePath, extname(this.filePath))}.outputs`);
    mkdirSync(dir, { recursive: true });
    const safe = promptName.replace(/[^A-Za-z0-9_.-]+/g, "_");
    const file = join(dir, `${safe}-${Date.now().toString(36)}${MIME_EXTENSIONS[mimeType] ?? ".bin"}`);
    writeFileSync(file, bytes);
    return { kind: "file_uri", value: relative(dirname(this.filePath), file).split("\\").join("/") };
  }

  /**
   * Runs a prompt and stores its outputs on it (replacing the earlier ones).
   *
   * Streams when asked (`options.stream`, `onStream`). A cancelled run
   * (`options.signal`) leaves the prompt's previous outputs in place. A failed
   * run stores an `error` output.
   * @returns the outputs stored
   * @throws {RunAbortedError} when cancelled
   * @throws {ProviderError} when the provider fails (its error is the `cause`)
   * @throws the errors of {@link AIConfigRuntime.resolve}
   */
  async run(promptName: string, params: JSONObject = {}, options: RunOptions = {}): Promise<Output[]> {
    const prompt = this.#requirePrompt(promptName);
    const started = Date.now();
    this.#emit("run_start", { prompt: promptName, data: params });
    const { signal } = options;
    // Each run gets its own signal, following the caller's: listeners that a
    // provider or SDK adds to it go away with the run, even when the caller
    // passes one long-lived signal to many runs.
    const runController = new AbortController();
    const followCaller = () => runController.abort(signal?.reason);
    signal?.addEventListener("abort", followCaller, { once: true });
    const previous = prompt.outputs;
    let provider: Provider | undefined;
    try {
      if (signal?.aborted) throw new RunAbortedError(promptName);
      const resolved = await this.#resolvePrompt(prompt, params);
      provider = resolved.provider;
      if (signal?.aborted) throw new RunAbortedError(promptName);
      const accumulated = new Map<number, string>();
      const streamCallback = options.callbacks?.streamCallback;
      const runContext: RunContext = {
        prompt,
        model: resolved.model,
        settings: resolved.settings,
        signal: runController.signal,
        streaming: options.stream ?? Boolean(options.onStream || streamCallback),
        stream: (chunk) => {
          try {
            options.onStream?.({ prompt: promptName, delta: chunk.delta, index: chunk.index });
            if (streamCallback) {
              const text = (accumulated.get(chunk.index) ?? "") + chunk.delta;
              accumulated.set(chunk.index, text);
              const r = streamCallback(chunk.delta, text, chunk.index) as Promise<unknown> | undefined;
              if (r && typeof r.catch === "function") r.catch(() => {});
            }
          } catch {
            // A stream callback's failure does not break the run.
          }
        },
        configDir: this.#configDir,
        env: resolved.env,
        storeBinary: (bytes, mimeType) => this.#storeBinary(bytes, mimeType, promptName),
      };
      const outputs = await untilAborted(provider.run(resolved.request, runContext), signal);
      if (signal?.aborted) throw new RunAbortedError(promptName);
      prompt.outputs = outputs;
      this.#emit("run_end", { prompt: promptName, durationMs: Date.now() - started, data: outputs });
      return outputs;
    } catch (error) {
      if (signal?.aborted) {
        prompt.outputs = previous;
        const aborted = error instanceof RunAbortedError ? error : new RunAbortedError(promptName);
        this.#emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error: aborted });
        throw aborted;
      }
      if (!provider) {
        // Resolving failed (a user mistake in the file): nothing ran, outputs stay.
        this.#emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error });
        throw error;
      }
      // Keys the run could see never reach the stored output, the message or the events.
      const secrets = secretValues(this.#environment(), this.config.metadata.models, this.getSettings(prompt));
      const stored = errorOutput(error, secrets);
      prompt.outputs = [stored];
      const wrapped = new ProviderError(
        `prompt "${promptName}" failed on provider "${provider.id}": ${stored.evalue}`,
        promptName,
        provider.id,
        {
          cause: error,
        },
      );
      this.#emit("run_end", { prompt: promptName, durationMs: Date.now() - started, error: wrapped });
      throw wrapped;
    } finally {
      signal?.removeEventListener("abort", followCaller);
    }
  }

  /** The prompts a prompt refers to through `{{NAME.output}}` / `{{NAME.input}}`. */
  getDependencies(promptName: string, params: JSONObject = {}): string[] {
    const prompt = this.#requirePrompt(promptName);
    const promptNames = new Set(this.config.prompts.map((p) => p.name));
    const shadowing = new Set([
      ...Object.keys(this.config.metadata.parameters ?? {}),
      ...Object.keys(prompt.metadata?.parameters ?? {}),
      ...Object.keys(params),
    ]);
    return promptReferences(prompt, promptNames, shadowing);
  }

  /**
   * Runs a prompt after every prompt it refers to, directly or transitively:
   * each once, independent ones concurrently.
   * @throws {DependencyCycleError} naming the prompts in a cycle (before anything runs)
   * @throws the errors of {@link AIConfigRuntime.run} (the first failure stops the chain)
   */
  async runWithDependencies(promptName: string, params: JSONObject = {}, options: RunOptions = {}): Promise<Output[]> {
    this.#requirePrompt(promptName);
    const deps = (name: string) => this.getDependencies(name, params);
    assertNoCycle(promptName, deps);
    const running = new Map<string, Promise<Output[]>>();
    const runOne = (name: string): Promise<Output[]> => {
      let p = running.get(name);
      if (!p) {
        p = Promise.all(deps(name).map(runOne)).then(() => this.run(name, params, options));
        running.set(name, p);
      }
      return p;
    };
    return runOne(promptName);
  }

  /**
   * Runs every prompt. A prompt waits for the prompts it refers to and, for
   * chat providers that remember chat context, for the earlier prompts of the
   * same model; the rest run concurrently.
   * @returns the outputs by prompt name, for the prompts that ran
   * @throws the first error, unless `continueOnError` (then failures are stored as `error` outputs)
   */
  async runAll(params: JSONObject = {}, options: RunAllOptions = {}): Promise<Map<string, Output[]>> {
    const prompts = this.config.prompts;
    const depsOf = new Map<string, string[]>();
    for (let i = 0; i < prompts.length; i++) {
      const prompt = prompts[i]!;
      const deps = new Set(this.getDependencies(prompt.name, params));
      const model = this.#modelNameOrUndefined(prompt);
      const provider = model === undefined ? undefined : this.registry.find(model, this.config.metadata.model_parsers);
      if (provider?.chat && prompt.metadata?.remember_chat_context !== false) {
        for (let j = i - 1; j >= 0; j--) {
          if (this.#modelNameOrUndefined(prompts[j]!) === model) {
            deps.add(prompts[j]!.name);
            break;
          }
        }
      }
      depsOf.set(prompt.name, [...deps]);
    }
    for (const prompt of prompts) assertNoCycle(prompt.name, (n) => depsOf.get(n) ?? []);
    const results = new Map<string, Output[]>();
    const running = new Map<string, Promise<void>>();
    const runOne = (name: string): Promise<void> => {
      let p = running.get(name);
      if (!p) {
        p = Promise.all((depsOf.get(name) ?? []).map(runOne)).then(async () => {
          try {
            results.set(name, await this.run(name, params, options));
          } catch (error) {
            if (!options.continueOnError || error instanceof RunAbortedError) throw error;
          }
        });
        running.set(name, p);
      }
      return p;
    };
    await Promise.all(prompts.map((p) => runOne(p.name)));
    return results;
  }
}

export type { ExecuteResult };
