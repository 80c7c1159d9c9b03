/**
 * The page's WebAssembly files, stored gzipped on the site (`*.wasm.gz`,
 * written by `copyOfflineAssets`): fetched from the site, decompressed with
 * the browser's own `DecompressionStream("gzip")` and handed to the provider
 * as a `blob:` URL of the bytes (`application/wasm`), made on first use and
 * kept for the page's life. Nothing is evaluated: the page's CSP stays
 * `script-src 'self' 'wasm-unsafe-eval'`; the providers' fetch of the `blob:`
 * URL (wllama's from its worker) needs `blob:` in `connect-src`. Browser code.
 *
 * Source: Compression Streams (WICG, `DecompressionStream`), File API
 * (`URL.createObjectURL`).
 *
 * @packageDocumentation
 */

/** A WebAssembly file of the site could not be fetched or decompressed. */
export class SiteWasmError extends Error {
  override name = "SiteWasmError";
}

const blobUrls = new Map<string, Promise<string>>();

async function decompressed(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new SiteWasmError(`${url}: HTTP ${response.status}; export the site again`);
  const body = url.endsWith(".gz") ? response.body.pipeThrough(new DecompressionStream("gzip")) : response.body;
  try {
    return new Blob([await new Response(body).arrayBuffer()], { type: "application/wasm" });
  } catch (error) {
    throw new SiteWasmError(
      `${url} is not a whole gzip file (${error instanceof Error ? error.message : String(error)}); export the site again`,
    );
  }
}

/**
 * A function giving, on first call, a `blob:` URL of the decompressed bytes of
 * a site's `*.wasm.gz` (a plain `*.wasm` is fetched as it is); later calls give
 * the same URL; a failed fetch is tried again on the next call.
 * @param url absolute URL of the file on the site
 * @returns `() => Promise<blob: URL>`; it rejects with {@link SiteWasmError}
 */
export function siteWasm(url: string): () => Promise<string> {
  return () => {
    let entry = blobUrls.get(url);
    if (!entry) {
      entry = decompressed(url).then((blob) => URL.createObjectURL(blob));
      blobUrls.set(url, entry);
      entry.catch(() => {
        if (blobUrls.get(url) === entry) blobUrls.delete(url);
      });
    }
    return entry;
  };
}
