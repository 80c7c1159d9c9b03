/**
 * The editor's HTTP API, shared by the server (`src/server`) and the page:
 * request and response shapes. All routes are under `/api` and need the token.
 */
import type { AIConfig, Output, OutputUsage, ProviderCapabilities } from "@aiconfig-ts/core";

/** A registered provider as the page sees it. */
export interface ProviderInfo {
  id: string;
  description?: string;
  chat?: boolean;
  /** JSON Schema (draft-07) of its settings, for the settings form. */
  settingsSchema?: Record<string, unknown>;
  /** What it does (tasks, media, offline, the key variables it needs), for the pickers. */
  capabilities?: ProviderCapabilities;
  /**
   * Whether one of the key variables in `capabilities.credentials` is set where
   * runs read them (environment, `.env`, the session); never the value.
   * Absent when it needs no key.
   */
  keySet?: boolean;
}

/** A model name the page can offer, with the provider that serves it. */
export interface ModelInfo {
  name: string;
  provider: string;
  /** The provider is a retired service (offered only because the document uses this model). */
  retired?: boolean;
}

/** `GET /api/state`: what the page starts from. */
export interface EditorState {
  config: AIConfig;
  /** The file's name (no folder). */
  fileName: string;
  format: "json" | "yaml";
  /** Version of the file on disk (sha-256 of its bytes) when the server read or wrote it. */
  version: string;
  readOnly: boolean;
  providers: ProviderInfo[];
  models: ModelInfo[];
  /** A one-line warning to show on loading (e.g. the file changed on disk and cannot be read). */
  warning?: string;
  /** Present when the page is served by the hosted notebook (`aiconfig serve`), not by `aiconfig edit`. */
  hosted?: HostedState;
}

/** What the page of a hosted notebook (`@aiconfig-ts/server`) shows beside the editor. */
export interface HostedState {
  /** `session`: the visitor's own copy; `snapshot`: a shared read-only snapshot. */
  mode: "session" | "snapshot";
  /** How long a session lasts without use, in ms. */
  sessionTtlMs: number;
  /** The keys a visitor may enter, and whether this session holds one (never the value). */
  keys: { env: string; label: string; set: boolean }[];
  /** Whether runs may use the owner's keys (`--share-owner-keys`). */
  ownerKeys: boolean;
  /** Whether sharing is on. */
  share: boolean;
  /** The snapshot shown (mode `snapshot`). */
  snapshotId?: string;
}

/** `POST /api/save` body. */
export interface SaveRequest {
  config: AIConfig;
  /** The version the page loaded or last saved; a different version on disk is a conflict. */
  baseVersion: string;
  /** Save even when the file changed on disk. */
  force?: boolean;
}

/** `POST /api/save` answer (200). */
export interface SaveResponse {
  version: string;
}

/** An error answer: `error` is one line; `problems` lists each bad field; `conflict` marks a changed file (409). */
export interface ErrorResponse {
  error: string;
  problems?: string[];
  conflict?: boolean;
}

/** `POST /api/runs` body. */
export interface RunRequest {
  /** The document as edited in the page (unsaved edits run too). */
  config: AIConfig;
  /** `one`: the prompt; `deps`: the prompt after the prompts it refers to; `all`: every prompt. */
  mode: "one" | "deps" | "all";
  /** The prompt, for `one` and `deps`. */
  prompt?: string;
  /**
   * For `all`: go on after a failed prompt, skipping only the prompts that
   * depend on it (the page sends `true` unless "stop at the first error" is
   * ticked). Default: the first failure stops starting new ones.
   */
  continueOnError?: boolean;
}

/** Events of a run, sent as server-sent events (unnamed `message` events whose `data:` is the JSON). */
export type RunEvent =
  | { type: "queued"; prompts: string[] }
  | { type: "start"; prompt: string }
  | { type: "delta"; prompt: string; index: number; delta: string }
  | {
      type: "outputs";
      prompt: string;
      outputs: Output[];
      durationMs: number;
      /** Token usage and finish reason, normalised by the provider (`Provider.outputUsage`), when it reports them. */
      usage?: OutputUsage;
    }
  | { type: "error"; prompt: string; name: string; message: string; durationMs: number; outputs?: Output[] }
  | { type: "cancelled"; prompt: string }
  | { type: "skipped"; prompt: string; reason: string }
  /** The run ended: `ok` when every prompt it ran succeeded (a Run all that went on past a failure is not ok). */
  | { type: "done"; ok: boolean; error?: string }
  /** The run's prompts wait for the local model (hosted notebook): `position` 1 is next. */
  | { type: "waiting"; prompts: string[]; position: number };

/** `POST /api/attachments` body: a local file picked in the page. */
export interface AttachmentUpload {
  name: string;
  mimeType: string;
  base64: string;
}
