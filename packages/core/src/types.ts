/**
 * Types of the AIConfig file format.
 *
 * Source: the AIConfig specification (`shared/seeds/specification.md`) and its
 * published JSON Schema (`aiconfig.schema.json`, draft-07), which
 * `src/schema/aiconfig.schema.json` copies. Every object type allows extra,
 * user-defined properties, as the specification says; they are kept on save.
 *
 * @packageDocumentation
 */

/** Any JSON value. */
export type JSONValue = null | string | number | boolean | JSONValue[] | JSONObject;

/** A JSON object. */
export type JSONObject = { [key: string]: JSONValue };

/**
 * The version of the schema a file follows: `"latest"`, `"v1"` or
 * `{major, minor}` (all three forms are in the schema).
 */
export type SchemaVersion = "latest" | "v1" | { major: number; minor: number };

/**
 * Model settings (inference parameters such as `temperature`), keyed by
 * setting name. What each setting means is up to the provider; see its
 * `settingsSchema`.
 */
export type ModelSettings = { [key: string]: JSONValue };

/**
 * Root metadata: global parameters, model settings, the default model and the
 * model-to-provider map. Extra properties are allowed.
 */
export interface ConfigMetadata {
  /** Parameters usable in every prompt as `{{name}}` (Handlebars syntax). */
  parameters?: JSONObject;
  /** Global settings per model name, merged under each prompt's own settings. */
  models?: { [modelName: string]: ModelSettings };
  /** Model used by prompts that name none. */
  default_model?: string;
  /** Model name to provider id (the specification's ModelParser ID). */
  model_parsers?: { [modelName: string]: string };
  [key: string]: unknown;
}

/** `{name, settings}` form of a prompt's `metadata.model`. */
export interface PromptModel {
  /** The model name (a key of `metadata.models`, or a name a provider serves). */
  name: string;
  /** Settings for this prompt; they win over the root `models[name]` settings. */
  settings?: ModelSettings;
  [key: string]: unknown;
}

/** Prompt metadata. Extra properties are allowed. */
export interface PromptMetadata {
  /** Parameters for this prompt; they win over root parameters. */
  parameters?: JSONObject;
  /** The model, as a name or `{name, settings}`; else the root `default_model`. */
  model?: string | PromptModel;
  /** Tags on the prompt: unique, without commas. */
  tags?: string[];
  /**
   * For chat providers: send the earlier prompts of the same model, with their
   * latest outputs, as previous turns. Default `true`.
   */
  remember_chat_context?: boolean;
  [key: string]: unknown;
}

/**
 * Data of an attachment or output stored as a string: a path or URL
 * (`file_uri`), or base64-encoded bytes (`base64`). `mime_type` beside it says
 * what the bytes are.
 */
export interface StoredData {
  kind: "file_uri" | "base64";
  value: string;
}

/** A tool call made by a model (shaped like OpenAI's `ChatCompletionMessageToolCall`). */
export interface ToolCall {
  id?: string;
  type: "function";
  function: { name: string; arguments: string };
  [key: string]: unknown;
}

/** Output data holding the tool calls a model asked for. */
export interface ToolCallsData {
  kind: "tool_calls";
  value: ToolCall[];
}

/** An input attachment (image, audio, ...) of a multi-modal prompt. */
export interface Attachment {
  /** The data: usually {@link StoredData}, any JSON value is allowed. */
  data: StoredData | JSONValue;
  /** MIME type of the data; `text/plain` when absent. */
  mime_type?: string;
  metadata?: JSONObject;
  [key: string]: unknown;
}

/** The object form of a prompt input. */
export interface PromptInputObject {
  /** The input; its structure is up to the provider. A string is a template. */
  data?: JSONValue;
  /** Extra inputs of other MIME types. */
  attachments?: Attachment[];
  [key: string]: unknown;
}

/** A prompt input: a template string, or an object with data and attachments. */
export type PromptInput = string | PromptInputObject;

/** The result of running a prompt. */
export interface ExecuteResult {
  output_type: "execute_result";
  /** Index of the choice when a run gave several (e.g. `n > 1`). */
  execution_count?: number;
  /** The result: text, JSON, {@link StoredData} or {@link ToolCallsData}. */
  data: JSONValue | StoredData | ToolCallsData;
  /** MIME type of `data`; plain text when absent. */
  mime_type?: string;
  /** Usage, finish reason, ids and so on. */
  metadata?: { [key: string]: unknown };
  [key: string]: unknown;
}

/** An error met while running a prompt. */
export interface ErrorOutput {
  output_type: "error";
  /** The error's name, e.g. `RateLimitError`. */
  ename: string;
  /** The error's message. */
  evalue: string;
  /** The error's stack, one line per entry. */
  traceback: string[];
  [key: string]: unknown;
}

/** An output of a prompt. */
export type Output = ExecuteResult | ErrorOutput;

/** A prompt: a named input with its metadata and cached outputs. */
export interface Prompt {
  /** Unique name in the file; other prompts refer to it as `{{name.output}}`. */
  name: string;
  input: PromptInput;
  metadata?: PromptMetadata;
  outputs?: Output[];
  [key: string]: unknown;
}

/** A whole aiconfig document. */
export interface AIConfig {
  name: string;
  description?: string;
  schema_version: SchemaVersion;
  metadata: ConfigMetadata;
  prompts: Prompt[];
  [key: string]: unknown;
}
