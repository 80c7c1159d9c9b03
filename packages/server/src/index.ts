/**
 * `@aiconfig-ts/server`: the hosted notebook (a Gradio Notebook for any Node
 * host). Every visitor gets their own copy of the owner's aiconfig, runs it
 * with their own keys, downloads it and shares read-only snapshots; the
 * owner's file and keys stay untouched.
 *
 * Mount it in any Node server that speaks web-standard fetch:
 *
 * ```ts
 * import { createNotebookHandler } from "@aiconfig-ts/server";
 * const notebook = await createNotebookHandler({ file: "my.aiconfig.json", basePath: "/notebook" });
 * // Next.js route handler: export const GET = notebook.fetch, POST = notebook.fetch, ...
 * // node:http: http.createServer(toNodeListener(notebook.fetch))
 * ```
 *
 * @packageDocumentation
 */
export {
  type NotebookApp,
  type NotebookAppOptions,
  type SessionLimits,
  DEFAULT_LIMITS,
  DEFAULT_MAX_MEMORY_BYTES,
  createNotebookApp,
} from "./create-notebook-app.js";
export { sweepBlobs } from "./blob-sweep.js";
export { FolderStore, type FolderStoreOptions } from "./folder-store.js";
export { LocalModelBusyError, LocalModelQueue, type LocalModelQueueOptions } from "./local-model-queue.js";
export { type NotebookHandler, type NotebookHandlerOptions, createNotebookHandler, toNodeListener } from "./notebook-handler.js";
export { NotebookMetrics } from "./notebook-metrics.js";
export type { NotebookStore, SessionPolicy, SessionRecord, SnapshotRecord } from "./notebook-store.js";
export { openStore } from "./open-store.js";
export { parseByteSize } from "./parse-byte-size.js";
export { parseDuration } from "./parse-duration.js";
export { RedisStore } from "./redis-store.js";
export { type VisitorKeyName, visitorKeyNames } from "./session-keys.js";
export {
  listeningUrls,
  type RunningNotebookServer,
  type StartNotebookServerOptions,
  startNotebookServer,
} from "./start-notebook-server.js";
export {
  type FileReference,
  STORED_ATTACHMENT,
  fileReferences,
  storedBlobIds,
} from "./stored-attachments.js";
export { VisitorRunRefusedError } from "./visitor-run-policy.js";
export { SessionTooLargeError } from "./visitor-session.js";
