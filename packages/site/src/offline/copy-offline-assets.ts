import type { AIConfig } from "@aiconfig-ts/core";
import type { SiteAssets } from "./site-assets.js";

/**
 * Copies into `siteDir` the models (GGUF) the aiconfig's prompts use and the
 * offline providers' wasm/workers/language data; called by `aiconfig export --site`.
 * (Stub until the offline providers land: copies nothing.)
 * @returns what was copied, paths relative to `siteDir`
 */
export async function copyOfflineAssets(config: AIConfig, configPath: string, siteDir: string): Promise<SiteAssets> {
  void config;
  void configPath;
  void siteDir;
  return { models: {}, files: [] };
}
