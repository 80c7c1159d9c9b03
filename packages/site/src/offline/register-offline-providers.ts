/**
 * Registers the in-browser offline providers of a static site: wllama for the
 * GGUF models the site holds, espeak-ng text-to-speech and tesseract.js OCR
 * when the site holds their files. Browser code, bundled into the page.
 *
 * `site.json` is data served with the site, so each of its paths is resolved
 * against the site root and kept only when it stays below it (same origin):
 * a provider never fetches from anywhere else.
 */
import type { ProviderRegistry } from "@aiconfig-ts/core";
import { registerBrowserSpeech } from "@aiconfig-ts/local-speech/browser";
import { registerBrowserVision } from "@aiconfig-ts/local-vision/browser";
import { register as registerWllama } from "@aiconfig-ts/wllama";
import { OFFLINE_FILES } from "./offline-files.js";
import { siteWasm } from "./site-wasm.js";
import type { SiteAssets } from "./site-assets.js";

/**
 * The absolute URL of a site-relative path, or `undefined` when it would leave
 * the site (another origin, an absolute URL, a path above the root).
 */
export function siteUrl(path: string, siteRoot: string): string | undefined {
  if (typeof path !== "string" || path === "" || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("/") || path.includes("\\"))
    return undefined;
  const root = new URL(siteRoot);
  const url = new URL(path, root);
  return url.origin === root.origin && url.href.startsWith(root.href) ? url.href : undefined;
}

/**
 * Registers the in-browser offline providers (wllama GGUF, espeak-ng TTS,
 * tesseract.js OCR); `siteRoot` is the site's base URL (ends with "/").
 * A provider is registered only when the site holds its files
 * (`assets.files`, written by `aiconfig export --site`; the WebAssembly
 * gzipped, decompressed in the page by `siteWasm`); a model whose path
 * would leave the site is left out.
 */
export function registerOfflineProviders(registry: ProviderRegistry, assets: SiteAssets, siteRoot: string): void {
  const files = new Set(Array.isArray(assets.files) ? assets.files : []);
  const at = (path: string) => (files.has(path) ? siteUrl(path, siteRoot) : undefined);
  const models: Record<string, string> = {};
  for (const [name, path] of Object.entries(assets.models ?? {})) {
    const url = files.has(path) ? siteUrl(path, siteRoot) : undefined;
    if (url) models[name] = url;
  }
  const wllamaWasm = at(OFFLINE_FILES.wllamaWasm);
  if (wllamaWasm && Object.keys(models).length > 0) registerWllama(registry, { models, wasmUrl: siteWasm(wllamaWasm) });
  const espeakWasm = at(OFFLINE_FILES.espeakWasm);
  const espeakScript = at(OFFLINE_FILES.espeakScript);
  const dictionaries = assets.espeak?.dictionaries;
  if (espeakWasm && espeakScript && Array.isArray(dictionaries))
    registerBrowserSpeech(registry, {
      scriptUrl: espeakScript,
      wasmUrl: siteWasm(espeakWasm),
      dictionaries: dictionaries.filter((d): d is string => typeof d === "string"),
    });
  const workerUrl = at(OFFLINE_FILES.tesseractWorker);
  const coreUrl = at(OFFLINE_FILES.tesseractCore);
  const langUrl = siteUrl(OFFLINE_FILES.tesseractLangDir, siteRoot);
  if (workerUrl && coreUrl && langUrl && files.has(OFFLINE_FILES.tesseractCoreWasm))
    registerBrowserVision(registry, { workerUrl, coreUrl, langUrl });
}
