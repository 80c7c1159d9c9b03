import type { ProviderRegistry } from "@aiconfig-ts/core";
import type { SiteAssets } from "./site-assets.js";

/**
 * Registers the in-browser offline providers (wllama GGUF, espeak-ng TTS,
 * tesseract.js OCR); `siteRoot` is the site's base URL (ends with "/").
 * Browser code, bundled into the page. (Stub until the offline providers land: registers nothing.)
 */
export function registerOfflineProviders(registry: ProviderRegistry, assets: SiteAssets, siteRoot: string): void {
  void registry;
  void assets;
  void siteRoot;
}
