/**
 * The provider interface: what a model provider (the specification's
 * "ModelParser") implements so that the runtime can run prompts on it.
 *
 * A provider turns a prompt into the request its API takes (`resolve`, the
 * specification's "deserialize"), sends that request (`run`, streaming), reads
 * the text of its outputs (`outputText`) and turns a request back into prompts
 * (`serialize`). It publishes the JSON Schema of its settings so that editors
 * can build forms and `validate` can check settings.
 *
 * Providers load their SDK lazily (inside `run`), so that importing a provider
 * package is cheap.
 *
 * @packageDocumentation
 */
import type { AIConfig, Attachment, JSONObject, ModelSettings, Output, Prompt, StoredData } from "./types.js";

/** Version of this interface. Bumped on any breaking change. */
export const PROVIDER_INTERFACE_VERSION = 1 as const;

/**
 * The provider specification version this core implements
 * ({@link Provider.specificationVersion}). A provider module built against
 * another version is refused by the registry with a one-line error.
 */
export const PROVIDER_SPECIFICATION_VERSION = "v1" as const;

/** A version of the provider specification (see {@link PROVIDER_SPECIFICATION_VERSION}). */
export type ProviderSpecificationVersion = typeof PROVIDER_SPECIFICATION_VERSION;

/**
 * What a provider does, by task: the task names of the Gradio Notebook (the
 * seed's Hugging Face tasks) plus `chat`.
 */
export type ProviderTask =
  | "chat"
  | "text-generation"
  | "summarization"
  | "translation"
  | "automatic-speech-recognition"
  | "text-to-speech"
  | "text-to-image"
  | "image-to-text";

/**
 * What a provider can do, for model and task pickers (the editor, the hosted
 * notebook) and for checks before a run. Describes; the runtime enforces none of it.
 */
export interface ProviderCapabilities {
  /** The tasks it does. */
  readonly tasks: readonly ProviderTask[];
  /** MIME patterns of the attachments it takes beside text, e.g. `["image/*"]`; absent = text only. */
  readonly inputMedia?: readonly string[];
  /** MIME types of the outputs it makes, e.g. `["audio/wav"]`, `["image/png"]`; absent = text. */
  readonly outputMedia?: readonly string[];
  /** Whether it streams output (through {@link RunContext.stream}). */
  readonly streams: boolean;
  /** Whether earlier prompts are sent as chat turns (as {@link Provider.chat}). */
  readonly chat: boolean;
  /** Whether it runs with no network and no key. */
  readonly offline?: boolean;
  /** Names of the environment variables that hold the key it needs, e.g. `["OPENAI_API_KEY"]` (any one suffices). */
  readonly credentials?: readonly string[];
  /** Model names to offer in pickers, the task's default model first. */
  readonly models?: readonly string[];
  /** A retired service kept so that old files resolve (PaLM, Bedrock ids); pickers hide it unless a file uses it. */
  readonly retired?: boolean;
}

/** Why a model stopped generating, in one vocabulary across providers. */
export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

/**
 * Token usage and finish reason of one output, normalised across providers
 * (see {@link Provider.outputUsage}). Counts are in tokens; any may be unknown.
 */
export interface OutputUsage {
  /** Tokens of the prompt (input), cached ones included. */
  readonly inputTokens?: number;
  /** Tokens generated (output), reasoning tokens included. */
  readonly outputTokens?: number;
  /** Input plus output tokens, as the provider reports it. */
  readonly totalTokens?: number;
  /** Of the output tokens, those spent reasoning (thinking). */
  readonly reasoningTokens?: number;
  /** Why generation stopped. */
  readonly finishReason?: FinishReason;
}

/** A JSON Schema (draft-07) object. */
export type JSONSchema = { [key: string]: unknown };

/**
 * An attachment of a prompt input, resolved against the aiconfig file's folder.
 */
export interface ResolvedAttachment {
  /** The attachment as written in the file (or handed on from an earlier output). */
  readonly attachment: Attachment;
  /** Its MIME type; `text/plain` when the file gives none. */
  readonly mimeType: string;
  /**
   * Where the data is: an `http(s):` or `data:` URL, or an absolute local path
   * (a relative `file_uri` is resolved against the aiconfig file's folder).
   * `undefined` for inline JSON data.
   */
  readonly uri: string | undefined;
  /**
   * The bytes: decodes base64, reads a local file, or fetches a URL.
   * @throws {AttachmentError} when the file cannot be read or the URL fetched.
   */
  bytes(): Promise<Uint8Array>;
}

/** A prompt input with its parameters rendered. */
export interface RenderedInput {
  /**
   * The text: the rendered template of a string input, or of a string
   * `input.data`; for other object data, its JSON; `""` when there is none.
   */
  readonly text: string;
  /**
   * Attachments: those of the input, then those handed on by references to
   * non-text outputs (e.g. `{{speak.output}}` of an audio output).
   */
  readonly attachments: readonly ResolvedAttachment[];
}

/** An earlier prompt sent as a previous turn of a chat. */
export interface ChatTurn {
  readonly prompt: Prompt;
  /** Its input, rendered with its own parameters. */
  readonly input: RenderedInput;
  /** Its latest `execute_result` output, if any. */
  readonly output: Output | undefined;
  /** The text of that output (via the provider's `outputText`), if any. */
  readonly outputText: string | undefined;
}

/**
 * The earlier prompts of a chat (its chat context), read by position: turn
 * `index` runs from 0 (the earliest) to `length - 1`. The same turns as
 * {@link ResolveContext.chatHistory}, without an object built per turn, so
 * a provider building a request of 10,000 turns allocates little beyond the
 * request itself. The runtime's view renders the inputs of the commonest
 * shape (a string with no mustache, or whose only one is `{{name}}` of a
 * string parameter) in the pass that finds the turns; any other turn's input
 * is rendered when {@link ChatTurns.text} or {@link ChatTurns.attachments}
 * asks for it (the last one asked for is kept, so asking for both costs one
 * rendering), so one that sends only the last turns renders only those.
 *
 * Read it while the provider's `resolve` runs: it reads the document as it
 * is then. Get it with {@link chatTurnsOf}, which also serves a
 * {@link ResolveContext} built without {@link ResolveContext.chatTurns}.
 */
export interface ChatTurns {
  /** The number of turns (0 when `remember_chat_context` is `false` for the prompt). */
  readonly length: number;
  /**
   * The earlier prompt of a turn.
   * @throws {RangeError} for an index outside `0 .. length - 1` (as every method here)
   */
  prompt(index: number): Readonly<Prompt>;
  /**
   * Its input's text, rendered with its own parameters (leniently: a name
   * nothing defines renders empty), as {@link RenderedInput.text}.
   * @throws {TemplateError} for a template Handlebars cannot read
   */
  text(index: number): string;
  /** Its input's attachments, as {@link RenderedInput.attachments} (a shared empty list when none). */
  attachments(index: number): readonly ResolvedAttachment[];
  /** Its latest `execute_result` output, if any. */
  output(index: number): Output | undefined;
  /** The text of that output (via the provider's `outputText`, else the runtime's generic reading), if any. */
  outputText(index: number): string | undefined;
}

/** What a provider is given to build a request (see {@link Provider.resolve}). */
export interface ResolveContext {
  /** The whole document (read it, do not change it). */
  readonly config: Readonly<AIConfig>;
  /** The prompt being resolved. */
  readonly prompt: Readonly<Prompt>;
  /** The model name the prompt runs on (from `metadata.model` or `default_model`). */
  readonly model: string;
  /** Root `models[model]` settings merged with the prompt's own (prompt wins). */
  readonly settings: Readonly<ModelSettings>;
  /** The parameter values in force, after precedence (see the runtime docs). */
  readonly parameters: Readonly<JSONObject>;
  /** The prompt's input, rendered. */
  readonly input: RenderedInput;
  /**
   * Renders a template string with the prompt's parameters and references.
   * @throws {MissingParameterError} for an undefined parameter (unless `strict: false`).
   */
  render(template: string): string;
  /**
   * The earlier prompts of the same model, in file order, each with its latest
   * output: empty when `remember_chat_context` is `false` for this prompt.
   * Builds a {@link ChatTurn} per earlier prompt, rendering every input, in
   * time linear in the number of prompts; {@link ResolveContext.chatTurns}
   * reads the same turns without building them.
   */
  chatHistory(): readonly ChatTurn[];
  /**
   * The same turns as {@link ResolveContext.chatHistory}, read by position
   * ({@link ChatTurns}): found in one pass over the earlier prompts, each input
   * rendered only when asked for. Each call returns a new view.
   * Absent from contexts built before it existed: read it through
   * {@link chatTurnsOf}, which falls back on `chatHistory()`.
   */
  chatTurns?(): ChatTurns;
  /** Folder of the aiconfig file, for relative paths; `undefined` when it has none. */
  readonly configDir: string | undefined;
  /**
   * Environment: `process.env` over the `.env` file beside the aiconfig file
   * (the process wins). Read secrets from here; never write them to outputs.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A piece of a streamed output. */
export interface StreamChunk {
  /** The new text. */
  readonly delta: string;
  /** Which output (choice) it belongs to; 0 when there is one. */
  readonly index: number;
}

/**
 * The rate-limit facts of one HTTP response, reported by a provider to a
 * caller that schedules requests (see {@link RunContext.reportRateLimit}).
 */
export interface RateLimitReport {
  /** The HTTP status (429 when the request was rate-limited; 200 on success). */
  readonly status: number;
  /**
   * The response's headers, names in lower case. Only the rate-limit ones are
   * read: `retry-after` (seconds or an HTTP date), `retry-after-ms`,
   * OpenAI's `x-ratelimit-remaining-requests|tokens` and
   * `x-ratelimit-reset-requests|tokens` (durations such as `6m0s`, `20ms`),
   * Anthropic's `anthropic-ratelimit-requests|tokens-remaining|reset` (RFC 3339 times).
   */
  readonly headers: Readonly<Record<string, string>>;
}

/** What a provider is given to send a request (see {@link Provider.run}). */
export interface RunContext {
  readonly prompt: Readonly<Prompt>;
  readonly model: string;
  readonly settings: Readonly<ModelSettings>;
  /** Aborts the run; the provider must stop promptly and throw (any error). */
  readonly signal: AbortSignal;
  /**
   * `false` when nothing can cancel the run (its caller gave no signal):
   * {@link RunContext.signal} then never aborts, and a provider may leave it
   * out of its requests, sparing the controller and listener an SDK adds for
   * a signal it is given. Absent: treat as `true`.
   */
  readonly cancellable?: boolean;
  /** Whether the caller asked for streaming. */
  readonly streaming: boolean;
  /** Delivers a streamed piece of output to the caller. Never throws. */
  stream(chunk: StreamChunk): void;
  readonly configDir: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Stores binary output (audio, images): as base64, or, when the runtime is
   * set to write files, as a file beside the aiconfig file returned as a
   * relative `file_uri`.
   * @param bytes the data
   * @param mimeType e.g. `audio/wav`
   */
  storeBinary(bytes: Uint8Array, mimeType: string): Promise<StoredData>;
  /**
   * Present when the caller schedules requests against rate limits (a batch
   * run, see `runBatch`). The provider then sends each request once, leaving
   * retries of rate-limited (429) and overloaded replies to the caller (e.g.
   * an SDK's `maxRetries: 0`), and reports the status and headers of each HTTP
   * response here, successful or not, before it returns or throws. Never throws.
   * Absent: the provider retries as it likes.
   */
  reportRateLimit?(report: RateLimitReport): void;
  /** As {@link ResolveContext.allowedEndpoints}. */
  readonly allowedEndpoints?: readonly string[];
  /**
   * Tells the user what the provider is doing that they would otherwise
   * wonder about (e.g. "waiting 60 s before retrying"): one line, no secrets.
   * Absent: providers write the line on stderr.
   */
  warn?(message: string): void;
}

/** What a provider is given to turn a request back into prompts. */
export interface SerializeContext {
  /** Name for the (last) prompt made. */
  readonly promptName: string;
  /** Model name to store on the prompts. */
  readonly model: string;
  /** Parameters to store on the prompts. */
  readonly parameters: Readonly<JSONObject>;
}

/**
 * A model provider (the specification's ModelParser).
 *
 * @typeParam Request the request type this provider sends (e.g. OpenAI's
 *   chat completion body); `resolve` returns it and `run` takes it.
 */
export interface Provider<Request = unknown> {
  /**
   * The provider specification version it was built against
   * ({@link PROVIDER_SPECIFICATION_VERSION}); absent means `"v1"`. The registry
   * refuses a provider of another version.
   */
  readonly specificationVersion?: ProviderSpecificationVersion;
  /** Stable id; `metadata.model_parsers` values name it. */
  readonly id: string;
  /** Other ids that old files use for this provider (e.g. `HuggingFaceTextGenerationParser`). */
  readonly aliases?: readonly string[];
  /** One line saying what it runs. */
  readonly description?: string;
  /** Whether earlier prompts are sent as chat turns (see {@link ResolveContext.chatHistory}). */
  readonly chat?: boolean;
  /** JSON Schema (draft-07, `type: "object"`) of the settings it reads. */
  readonly settingsSchema?: JSONSchema;
  /**
   * Whether this provider serves a model name when no `model_parsers` entry
   * names a provider for it (e.g. any `gpt-*` name for OpenAI).
   */
  servesModel?(model: string): boolean;
  /**
   * Builds the request for a prompt, without sending it. Return the request
   * itself (not a promise) when nothing needs waiting for (e.g. no attachment
   * to read): `runtime.run` then sends it without a turn of the event loop.
   * A synchronous `resolve` may throw; the runtime treats that as a rejection.
   */
  resolve(context: ResolveContext): Request | Promise<Request>;
  /**
   * Sends a request built by `resolve` and returns the outputs to store.
   * Streams text through `context.stream` when `context.streaming`.
   * @throws any error on failure; the runtime records it as an `error` output.
   */
  run(request: Request, context: RunContext): Promise<Output[]>;
  /** The text of one of its outputs; the runtime's generic reading is used when absent or `undefined`. */
  outputText?(output: Output): string | undefined;
  /** What it does (tasks, media, streaming, key, models), for pickers. */
  readonly capabilities?: ProviderCapabilities;
  /**
   * Token usage and finish reason of one of its outputs, normalised (the output
   * keeps the provider's raw metadata); `undefined` when the output has none.
   */
  outputUsage?(output: Output): OutputUsage | undefined;
  /** Turns a request of this provider into prompts (the reverse of `resolve`). */
  serialize?(request: unknown, context: SerializeContext): Prompt[] | Promise<Prompt[]>;
  /**
   * Starts, in the background, the start-up work its first `run` will wait
   * for (e.g. the llama provider loads its native engine, which first tests
   * the binary in a child process), so that it overlaps the caller's own work
   * until then. A caller that knows a prompt of this provider is about to run
   * (the CLI's `aiconfig run`, once the file is loaded) may call it; calling
   * it again, or never, changes nothing but timing. Returns at once; never
   * throws: a failure is reported by the `run` that needs the work.
   */
  warmUp?(): void;
}
