/**
 * The hosted notebook as a web-standard fetch handler, for mounting in an
 * existing Node server under a path: Next.js route handlers, Hono, Express or
 * Fastify (through {@link toNodeListener}), or `node:http`.
 *
 * @packageDocumentation
 */
import { dirname, join, resolve } from "node:path";
import { ProviderRegistry, defaultRegistry } from "@aiconfig-ts/core";
import { type NotebookAppOptions, createNotebookApp } from "./create-notebook-app.js";
import { openStore } from "./open-store.js";

/** Options of {@link createNotebookHandler}: those of `createNotebookApp`, with the store and registry optional. */
export interface NotebookHandlerOptions extends Omit<NotebookAppOptions, "store" | "registry"> {
  /** A folder or `redis://HOST:PORT`. Default: `.aiconfig-serve/` beside the file. */
  store?: string;
  /** Providers. Default: a registry over core's `defaultRegistry` (register provider packages there or here). */
  registry?: ProviderRegistry;
}

/** A mounted notebook: `fetch` answers requests whose path starts with the base path. */
export interface NotebookHandler {
  /** Answers a web-standard request. */
  fetch(request: Request): Promise<Response>;
  /** Cancels runs and closes the store. */
  close(): Promise<void>;
}

/**
 * Creates the hosted notebook's fetch handler.
 * @throws as `createNotebookApp` does, or when the store cannot be opened
 */
export async function createNotebookHandler(options: NotebookHandlerOptions): Promise<NotebookHandler> {
  const file = resolve(options.file);
  const store = await openStore(options.store, join(dirname(file), ".aiconfig-serve"));
  const notebook = await createNotebookApp({
    ...options,
    file,
    store,
    registry: options.registry ?? new ProviderRegistry(defaultRegistry),
  }).catch(async (e: unknown) => {
    await store.close();
    throw e;
  });
  return {
    fetch: async (request) => notebook.fetch(request),
    close: async () => {
      await notebook.close();
      await store.close();
    },
  };
}

/**
 * A `node:http` request listener for a fetch handler (for `http.createServer`,
 * Express `app.use(path, listener)` with the original URL, Fastify raw routes).
 * Uses `@hono/node-server`'s adapter.
 */
export async function toNodeListener(
  fetch: (request: Request) => Promise<Response> | Response,
): Promise<(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void> {
  const { getRequestListener } = await import("@hono/node-server");
  return getRequestListener(fetch) as (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;
}
