/**
 * The page's wllama engines: one `Wllama` instance (a worker running
 * llama.cpp compiled to WebAssembly) per model URL, thread count and
 * context size, loaded once and kept for later runs.
 *
 * The model is fetched through wllama's cache (`CacheManager`, the Origin
 * Private File System): a second run, or a second visit, reads it from there
 * instead of the network. The WebAssembly file is the site's own copy
 * (`wasmUrl`), never a CDN. `@wllama/wllama` is imported on the first run.
 *
 * Source: wllama 3 README ("Simple usage with ES6 module", `loadModelFromUrl`,
 * `createCompletion`, `createChatCompletion`).
 *
 * @packageDocumentation
 */
import type { Wllama } from "@wllama/wllama";
import { WllamaLoadError } from "./errors.js";

const engines = new Map<string, Promise<Wllama>>();

/**
 * Where `wllama.wasm` is: an absolute URL on the site, or a function giving
 * one on first use (e.g. a `blob:` URL of bytes the page decompressed from the
 * site's `wllama.wasm.gz`; the page's CSP then needs `blob:` in `connect-src`,
 * as wllama's worker fetches it).
 */
export type WasmSource = string | (() => Promise<string>);

/** What loading a model needs. */
export interface LoadOptions {
  /** Absolute URL of the GGUF file. */
  modelUrl: string;
  /** `wllama.wasm` on the site (see {@link WasmSource}). */
  wasmUrl: WasmSource;
  /** Threads (1 = single-thread mode). */
  threads: number;
  /** Context window in tokens. */
  contextSize: number;
  /** Stops the download (the load itself runs to its end and is kept). */
  signal: AbortSignal;
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

/**
 * The engine of a model, loading it on first use.
 * @throws {WllamaLoadError} when the WebAssembly or the model cannot be loaded
 * @throws the signal's reason when `signal` aborts while downloading
 */
export function loadWllama(options: LoadOptions): Promise<Wllama> {
  const key = `${options.modelUrl}\n${options.threads}\n${options.contextSize}`;
  let engine = engines.get(key);
  if (!engine) {
    engine = (async () => {
      const { Wllama, LoggerWithoutDebug } = await import("@wllama/wllama");
      let wasmUrl: string;
      try {
        wasmUrl = typeof options.wasmUrl === "string" ? options.wasmUrl : await options.wasmUrl();
      } catch (error) {
        throw new WllamaLoadError(`wllama could not load its WebAssembly: ${message(error)}`, { cause: error });
      }
      const wllama = new Wllama({ default: wasmUrl }, { suppressNativeLog: true, allowOffline: true, logger: LoggerWithoutDebug });
      try {
        await wllama.loadModelFromUrl(options.modelUrl, {
          n_threads: options.threads,
          n_ctx: options.contextSize,
          n_gpu_layers: 0,
          signal: options.signal,
        });
      } catch (error) {
        if (options.signal.aborted) throw options.signal.reason;
        throw new WllamaLoadError(`wllama could not load ${options.modelUrl}: ${message(error)}`, { cause: error });
      }
      return wllama;
    })();
    engines.set(key, engine);
    engine.catch(() => {
      if (engines.get(key) === engine) engines.delete(key);
    });
  }
  return engine;
}

/** Ends every engine of the page (their workers and memory); the next run loads again (from the cache). */
export async function disposeWllama(): Promise<void> {
  const all = [...engines.values()];
  engines.clear();
  await Promise.all(all.map((e) => e.then((w) => w.exit()).catch(() => undefined)));
}

/**
 * The size of a file on the site, from a `HEAD` request's `Content-Length`;
 * `undefined` when the request fails (offline) or the header is missing.
 */
export async function remoteSize(url: string, signal: AbortSignal): Promise<number | undefined> {
  try {
    const response = await fetch(url, { method: "HEAD", signal });
    const length = Number(response.headers.get("content-length"));
    return response.ok && Number.isFinite(length) && length > 0 ? length : undefined;
  } catch {
    return undefined;
  }
}
