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

/** The first bytes of a gzip file (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The WebAssembly bytes of a site file: fetched, and gunzipped when they are
 * gzip (a host that sent the `.gz` file with `Content-Encoding: gzip` had the
 * browser decompress it already: its bytes are then used as they came).
 * @param url absolute URL of the file on the site (`*.wasm.gz` or `*.wasm`)
 * @throws {SiteWasmError} when the file cannot be fetched or is not a whole gzip file
 */
export async function siteWasmBytes(url: string): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new SiteWasmError(`${url} could not be fetched (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok) throw new SiteWasmError(`${url}: HTTP ${response.status}; export the site again`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  try {
    const body = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(body).arrayBuffer());
  } catch (error) {
    throw new SiteWasmError(
      `${url} is not a whole gzip file (${error instanceof Error ? error.message : String(error)}); export the site again`,
    );
  }
}

/**
 * A function giving, on first call, a `blob:` URL of the decompressed bytes of
 * a site's `*.wasm.gz` ({@link siteWasmBytes}); later calls give
 * the same URL; a failed fetch is tried again on the next call.
 * @param url absolute URL of the file on the site
 * @returns `() => Promise<blob: URL>`; it rejects with {@link SiteWasmError}
 */
export function siteWasm(url: string): () => Promise<string> {
  return () => {
    let entry = blobUrls.get(url);
    if (!entry) {
      entry = siteWasmBytes(url).then((bytes) => URL.createObjectURL(new Blob([bytes], { type: "application/wasm" })));
      blobUrls.set(url, entry);
      entry.catch(() => {
        if (blobUrls.get(url) === entry) blobUrls.delete(url);
      });
    }
    return entry;
  };
}
