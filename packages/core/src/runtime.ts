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
import { dirname, emitWarning, resolve as resolvePath, writeFileAtomic } from "#platform";
import { promptReferences, runInDependencyOrder } from "./dependencies.js";
import { type BatchOptions, type BatchRowResult, type BatchRows, runBatch } from "./batch/run-batch.js";
import { latestOutput, latestResult, promptModelName, promptSettings } from "./document.js";
import { loadEnvironment } from "./env.js";
import type { RepeatedPromptName } from "./check-names-and-tags.js";
import {
  AIConfigError,
  formatProblem,
  NoModelError,
  type ParseError,
  type Problem,
  RunAbortedError,
  UnknownPromptError,
  ValidationError,
} from "./errors.js";
import { EventHub, type RuntimeEvent, type RuntimeEventCallback, type RuntimeEventName } from "./events.js";
import { formatPointer } from "./json-pointer.js";
import { type ParsedDocument, parseConfigText } from "./parse.js";
import { readConfigFileToCheck } from "./read-config-to-check.js";
import { PromptIndex } from "./prompt-index.js";
import type { Provider } from "./provider.js";
import { defaultRegistry, ProviderRegistry } from "./registry.js";
import { outputTextOf, resolvePrompt } from "./render-prompt.js";
import { type RunOptions, type RunScope, runPrompt } from "./run-prompt.js";
import { RuntimeScope } from "./runtime-scope.js";
import { formatForPath, serializeConfig, serializeConfigFor } from "./save.js";
import type { AIConfig, ExecuteResult, JSONObject, JSONValue, ModelSettings, Output, Prompt, PromptModel, SchemaVersion } from "./types.js";
import { checkOnLoad } from "./validate-on-load.js";

export type { PromptStreamChunk, RunOptions } from "./run-prompt.js";

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
  /**
   * Receives what loading accepts but a person should know, as one located
   * problem (`formatProblem` gives `FILE:LINE:COL: message`): today, prompt
   * names used twice (the original SDK loaded such files; `getPrompt`, `run`
   * and `resolve` use the first prompt of a name; `validateConfig` still
   * reports it as an error). One warning per load. Default: `process.emitWarning`.
   */
  onWarning?: (warning: Problem) => void;
  /**
   * Folders beside the aiconfig file's own from which attachments may be read
   * (see `checkAttachmentPath`). Default none: attachments are read only
   * inside the file's folder.
   */
  allowPaths?: readonly string[];
  /**
   * Hosts the user trusts (`host`, `host:port` or a URL's origin): an
   * `http(s):` attachment URL on one of them is fetched even when it is this
   * machine or on a private network (see `fetchAttachment`). Default none:
   * attachment URLs are fetched only from hosts whose every address is
   * public. The `AICONFIG_ALLOW_ENDPOINTS` variable of the user's
   * environment (not of a `.env`), which the CLI's `--allow-endpoint` sets,
   * adds its hosts too.
   */
  allowHosts?: readonly string[];
}

/** Options of {@link AIConfigRuntime.runAll}. */
export interface RunAllOptions extends RunOptions {
  /**
   * Keep running after a prompt fails: only the prompts that depend on it
   * (through `{{NAME.output}}`/`{{NAME.input}}`, transitively) are skipped;
   * its error is stored as an `error` output. Default `false`: the first failure ends the run.
   */
  continueOnError?: boolean;
  /**
   * A signal per prompt, asked once when the prompt starts: aborting it
   * cancels that prompt (its previous outputs stay) and skips its dependents,
   * while the other prompts go on (whatever `continueOnError` says).
   * `signal` still cancels everything. Example: an editor's per-cell stop
   * button during Run all.
   */
  signalFor?: (promptName: string) => AbortSignal | undefined;
  /** Told of each prompt skipped because `failed`, a prompt it depends on, failed or was cancelled. */
  onSkip?: (promptName: string, failed: string) => void;
}

/** Options of {@link AIConfigRuntime.save} and {@link AIConfigRuntime.toString}. */
export interface SaveOptions {
  /** Keep prompt outputs in the file. Default `true`. */
  includeOutputs?: boolean;
  /** The original SDK's name for `includeOutputs`. */
  serializeOutputs?: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
  readonly #prompts = new PromptIndex(() => this.config.prompts);
  /** What the rendering and running modules read from this runtime. */
  readonly #scope: RunScope;

  /**
   * Wraps a document. Most code uses {@link AIConfigRuntime.load} or {@link AIConfigRuntime.create}.
   * @param config the document; it is used as it is, not copied
   */
  constructor(config: AIConfig, options: RuntimeOptions = {}, filePath?: string) {
    this.config = config;
    this.filePath = filePath;
    this.#options = options;
    this.registry = options.registry ?? new ProviderRegistry(defaultRegistry);
    this.#scope = new RuntimeScope({
      runtime: this,
      strict: options.strict !== false,
      outputFiles: options.outputFiles === true,
      allowPaths: options.allowPaths,
      allowHosts: options.allowHosts,
      configDir: () => this.#configDir,
      environment: () => this.#environment(),
      getPrompt: (name) => this.#prompts.get(name),
      emit: (name, extra) => this.#emit(name, extra),
      events: this.#events,
    });
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
    const { doc, nestingChecked, nestingError } = readConfigFileToCheck(filePath);
    const names = AIConfigRuntime.#check(doc.data, doc, filePath, options, nestingChecked ? undefined : nestingError);
    const runtime = new AIConfigRuntime(doc.data as AIConfig, options, resolvePath(filePath));
    if (names) runtime.#prompts.seed(runtime.config.prompts, names);
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
    const names = AIConfigRuntime.#check(data, doc, undefined, options);
    const runtime = new AIConfigRuntime(data as AIConfig, options);
    if (names) runtime.#prompts.seed(runtime.config.prompts, names);
    return runtime;
  }

  /**
   * Validates (unless `validate: false`) and warns once about repeated prompt names, in one pass
   * over the prompts; checks the nesting depth there too when `nestingError` is given (the parser left it).
   * @returns the table of the prompts' names the pass built, when it is complete (for the prompt index)
   */
  static #check(
    data: unknown,
    doc: ParsedDocument | undefined,
    file: string | undefined,
    options: RuntimeOptions,
    nestingError?: () => ParseError,
  ): Int32Array | undefined {
    const found = checkOnLoad(data, doc, file, { validate: options.validate !== false, nesting: nestingError !== undefined });
    if (found.tooDeep) throw nestingError!();
    if (found.problems.length) throw new ValidationError(found.problems);
    const repeated = found.repeated;
    if (repeated.length === 0) return found.names;
    const [{ name, first, index }] = repeated as [RepeatedPromptName];
    const pointer = formatPointer(["prompts", index, "name"]);
    const at = doc?.locate(pointer);
    const firstAt = doc?.locate(formatPointer(["prompts", first, "name"]));
    const others = [...new Set(repeated.slice(1).map((r) => r.name))];
    const warning: Problem = {
      message: `prompt name "${name}" is used again here (first at ${firstAt ? `line ${firstAt.line}, column ${firstAt.column}` : `prompt ${first + 1}`}): getPrompt, run and resolve use the first one; rename one of them${others.length ? ` (${others.length} more repeated: ${others.map((n) => `"${n}"`).join(", ")})` : ""}`,
      pointer,
      ...(file !== undefined ? { file } : {}),
      ...(at ? { line: at.line, column: at.column } : {}),
    };
    if (options.onWarning) options.onWarning(warning);
    else emitWarning(formatProblem(warning), "AIConfigWarning");
    return undefined;
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
      // Only what changed is rewritten: the file's layout and comments elsewhere stay.
      const includeOutputs = options.includeOutputs ?? options.serializeOutputs ?? true;
      writeFileAtomic(target, serializeConfigFor(target, this.config, format ?? formatForPath(target), { includeOutputs }));
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

  /** The prompt with this name (the first, when a file repeats a name), or `undefined`. */
  getPrompt(name: string): Prompt | undefined {
    return this.#prompts.get(name);
  }

  #requirePrompt(name: string): Prompt {
    const prompt = this.getPrompt(name);
    if (!prompt) throw this.#unknownPrompt(name);
    return prompt;
  }

  #unknownPrompt(name: string): UnknownPromptError {
    return new UnknownPromptError(
      name,
      this.config.prompts.map((p) => p.name),
    );
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
    if (i < 0) throw this.#unknownPrompt(name);
    if (prompt.name !== name && this.getPrompt(prompt.name)) {
      throw new AIConfigError(`cannot rename prompt "${name}" to "${prompt.name}": a prompt of that name exists`);
    }
    this.config.prompts[i] = prompt;
    return prompt;
  }

  /** Deletes a prompt. @throws {UnknownPromptError} */
  deletePrompt(name: string): void {
    const i = this.#promptIndex(name);
    if (i < 0) throw this.#unknownPrompt(name);
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
    const name = promptModelName(this.config, p);
    if (name === undefined) throw new NoModelError(p.name);
    return name;
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
    const out = output ?? latestResult(p);
    return out ? outputTextOf(this, p, out) : "";
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
      const request = await resolvePrompt(this.#scope, prompt, params).request;
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
  run(promptName: string, params: JSONObject = {}, options: RunOptions = {}): Promise<Output[]> {
    const prompt = this.getPrompt(promptName);
    if (!prompt) return Promise.reject(this.#unknownPrompt(promptName));
    return runPrompt(this.#scope, prompt, params, options);
  }

  /** The prompts a prompt refers to through `{{NAME.output}}` / `{{NAME.input}}`. */
  getDependencies(promptName: string, params: JSONObject = {}): string[] {
    return this.#dependencies(params)(this.#requirePrompt(promptName));
  }

  /**
   * The references of prompts under `params`: the parameter names that shadow
   * prompt names are computed once, the prompt-name set on first need.
   */
  #dependencies(params: JSONObject): (prompt: Prompt) => string[] {
    let promptNames: Set<string> | undefined;
    const rootParameters = Object.keys(this.config.metadata.parameters ?? {});
    return (prompt) => {
      promptNames ??= new Set(this.config.prompts.map((p) => p.name));
      const own = Object.keys(prompt.metadata?.parameters ?? {});
      const runParams = Object.keys(params);
      const shadowing = new Set(rootParameters.length + own.length + runParams.length ? [...rootParameters, ...own, ...runParams] : []);
      return promptReferences(prompt, promptNames, shadowing);
    };
  }

  /**
   * Runs a prompt after every prompt it refers to, directly or transitively:
   * each once, independent ones concurrently (iteratively: chains of any length).
   * @throws {DependencyCycleError} naming the prompts in a cycle (before anything runs)
   * @throws the errors of {@link AIConfigRuntime.run} (the first failure stops the chain)
   */
  async runWithDependencies(promptName: string, params: JSONObject = {}, options: RunOptions = {}): Promise<Output[]> {
    this.#requirePrompt(promptName);
    const references = this.#dependencies(params);
    const results = await runInDependencyOrder(
      [promptName],
      (name) => references(this.getPrompt(name)!),
      (name) => runPrompt(this.#scope, this.getPrompt(name)!, params, options),
    );
    return results.get(promptName)!;
  }

  /**
   * Runs every prompt. A prompt waits for the prompts it refers to and, for
   * chat providers that remember chat context, for the earlier prompts of the
   * same model; the rest run concurrently.
   *
   * With `continueOnError`, a failed prompt skips only the prompts that depend
   * on it (transitively); the others run. `signalFor(name)` cancels one
   * prompt and its dependents without stopping the others.
   * @returns the outputs by prompt name, for the prompts that ran
   * @throws {DependencyCycleError} before anything runs
   * @throws the first error, unless `continueOnError` (then every failure, a prompt that cannot be resolved
   *   included, is stored as its `error` output, and its dependents are skipped);
   *   {RunAbortedError} when `options.signal` aborts
   */
  async runAll(params: JSONObject = {}, options: RunAllOptions = {}): Promise<Map<string, Output[]>> {
    const prompts = this.config.prompts;
    const references = this.#dependencies(params);
    const needs = new Map<string, string[]>();
    const after = new Map<string, string[]>();
    const lastOfModel = new Map<string, string>();
    for (const prompt of prompts) {
      if (needs.has(prompt.name)) continue; // a repeated name: `run` runs the first
      needs.set(prompt.name, references(prompt));
      const model = promptModelName(this.config, prompt);
      if (model === undefined) continue;
      // A chat turn runs after the earlier turn of its model (it reads it as history), without needing it to succeed.
      const previous = lastOfModel.get(model);
      if (previous !== undefined && prompt.metadata?.remember_chat_context !== false) {
        if (this.registry.find(model, this.config.metadata.model_parsers)?.chat) after.set(prompt.name, [previous]);
      }
      lastOfModel.set(model, prompt.name);
    }
    const { signalFor, continueOnError } = options;
    return runInDependencyOrder(
      needs.keys(),
      (name) => needs.get(name) ?? [],
      (name) => {
        const prompt = this.getPrompt(name)!;
        const own = signalFor?.(name);
        // Going on past failures, a prompt that cannot even be resolved stores its error too: the caller finds every failure on the prompts.
        if (!own) return runPrompt(this.#scope, prompt, params, options, continueOnError === true);
        const signal = options.signal ? AbortSignal.any([options.signal, own]) : own;
        return runPrompt(this.#scope, prompt, params, { ...options, signal }, continueOnError === true);
      },
      {
        after: (name) => after.get(name) ?? [],
        goOnAfter: (error) => {
          if (error instanceof RunAbortedError) return !options.signal?.aborted && signalFor !== undefined;
          return continueOnError === true;
        },
        ...(options.onSkip ? { onSkip: options.onSkip } : {}),
      },
    );
  }

  /**
   * Runs a prompt over rows of parameters, each row on its own copy of the
   * document's outputs, under rate limits; yields each row's result as it
   * finishes. See `batch/run-batch.ts` for the options and errors.
   */
  runBatch(promptName: string, rows: BatchRows, options: BatchOptions = {}): AsyncGenerator<BatchRowResult, void, undefined> {
    const env = this.#environment();
    return runBatch(
      this,
      promptName,
      rows,
      options,
      (config, registry) => new AIConfigRuntime(config, { ...this.#options, registry, env }, this.filePath),
    );
  }
}

export type { ExecuteResult };
