/**
 * `aiconfig serve FILE`: opens the store, builds the hosted notebook and
 * listens (127.0.0.1 unless told otherwise), printing the real addresses.
 *
 * @packageDocumentation
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { networkInterfaces } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ProviderRegistry } from "@aiconfig-ts/core";
import { listenFailure } from "@aiconfig-ts/editor";
import { type NotebookApp, type NotebookAppOptions, createNotebookApp } from "./create-notebook-app.js";
import { openStore } from "./open-store.js";

/** Options of {@link startNotebookServer}: those of {@link createNotebookApp} without the store, plus where to listen. */
export interface StartNotebookServerOptions extends Omit<NotebookAppOptions, "store" | "registry"> {
  registry: ProviderRegistry;
  /** Port; default 7860 (Hugging Face Spaces' port); 0 picks a free one. */
  port?: number;
  /** Address to listen on; default `127.0.0.1`. `0.0.0.0` listens on every interface. */
  host?: string;
  /** `--store`: a folder or `redis://HOST:PORT`. Default: `.aiconfig-serve/` beside the file. */
  store?: string;
}

/** A running hosted notebook. */
export interface RunningNotebookServer {
  /** The addresses to open, e.g. `["http://127.0.0.1:7860/"]` (every interface's for `0.0.0.0`). */
  urls: string[];
  port: number;
  /** The owner's token for `/metrics` and the owner routes. */
  ownerToken: string;
  notebook: NotebookApp;
  /** Where sessions and snapshots live, for messages. */
  storeDescription: string;
  /** Stops listening, cancels runs and closes the store. */
  close(): Promise<void>;
}

/** The URLs of a server listening on `host:port` under `basePath`. */
export function listeningUrls(host: string, port: number, basePath: string): string[] {
  const path = `${basePath.replace(/\/+$/, "")}/`;
  if (host === "0.0.0.0" || host === "::") {
    const out: string[] = [];
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? [])
        if (a.family === "IPv4" || host === "::") out.push(`http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${port}${path}`);
    return out.length ? out : [`http://127.0.0.1:${port}${path}`];
  }
  return [`http://${host.includes(":") ? `[${host}]` : host}:${port}${path}`];
}

/**
 * Starts the hosted notebook.
 * @throws an Error naming the file, the store or the address when one of them fails (one line)
 */
export async function startNotebookServer(options: StartNotebookServerOptions): Promise<RunningNotebookServer> {
  const file = resolve(options.file);
  const store = await openStore(options.store, join(dirname(file), ".aiconfig-serve"));
  const ownerToken = options.ownerToken ?? randomBytes(24).toString("base64url");
  let notebook: NotebookApp;
  try {
    notebook = await createNotebookApp({ ...options, file, store, ownerToken });
  } catch (e) {
    await store.close();
    throw e;
  }
  const host = options.host ?? "127.0.0.1";
  const { serve } = await import("@hono/node-server");
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer, reject) => {
    const s = serve({ fetch: notebook.fetch, port: options.port ?? 7860, hostname: host }, () => resolveServer(s));
    s.once("error", (e: NodeJS.ErrnoException) =>
      reject(new Error(listenFailure(host, options.port ?? 7860, e, "or --port 0 for a free one"), { cause: e })),
    );
  }).catch(async (e) => {
    await notebook.close();
    await store.close();
    throw e;
  });
  // keep idle connections longer than load balancers do (60 s), so a proxy never reuses one the server just closed
  const http = server as unknown as { keepAliveTimeout: number; headersTimeout: number };
  http.keepAliveTimeout = 65_000;
  http.headersTimeout = 66_000;
  const port = (server.address() as AddressInfo).port;
  return {
    urls: listeningUrls(host, port, options.basePath ?? ""),
    port,
    ownerToken,
    notebook,
    storeDescription: store.description,
    close: async () => {
      await notebook.close();
      await new Promise<void>((r) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => r());
      });
      await store.close();
    },
  };
}
