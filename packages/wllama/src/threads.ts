/**
 * How many threads wllama runs a model on in the page.
 *
 * wllama's multi-thread mode needs `SharedArrayBuffer` shared with workers,
 * which browsers allow only in a cross-origin isolated page (the host sends
 * `Cross-Origin-Opener-Policy: same-origin` and
 * `Cross-Origin-Embedder-Policy: require-corp`); elsewhere it runs on one
 * thread, which needs no special header. As in the Node llama provider
 * (measured in `packages/llama/README.md`), models under 100 MB default to
 * one thread even where more are possible: their threads spend their time
 * waiting for each other.
 *
 * @packageDocumentation
 */

/** Models smaller than this (in bytes, 100 MB) default to one thread, as in the Node llama provider. */
export const TINY_MODEL_BYTES = 100_000_000;

/** What {@link chooseBrowserThreads} decided. */
export interface BrowserThreads {
  /** Threads to load the model with (1 = wllama's single-thread mode). */
  threads: number;
  /** A line to tell the user when the `threads` setting could not be followed, else `undefined`. */
  warning?: string;
}

/**
 * The thread count for a model in this page.
 * @param setting the `threads` setting, if any
 * @param isolated whether the page is cross-origin isolated (`globalThis.crossOriginIsolated`)
 * @param cores logical processors (`navigator.hardwareConcurrency`)
 * @param modelBytes size of the GGUF file in bytes, when known
 */
export function chooseBrowserThreads(
  setting: number | undefined,
  isolated: boolean,
  cores: number,
  modelBytes: number | undefined,
): BrowserThreads {
  const most = Math.max(1, cores);
  if (!isolated) {
    return setting !== undefined && setting > 1
      ? {
          threads: 1,
          warning: `wllama: threads ${setting} needs a cross-origin isolated page (the host must send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp); running on 1 thread`,
        }
      : { threads: 1 };
  }
  if (setting !== undefined) {
    return setting > most
      ? { threads: most, warning: `wllama: threads ${setting} is more than the ${most} logical processors of this browser, using ${most}` }
      : { threads: setting };
  }
  if (modelBytes === undefined || modelBytes < TINY_MODEL_BYTES) return { threads: 1 };
  return { threads: Math.max(1, Math.floor(most / 2)) };
}
