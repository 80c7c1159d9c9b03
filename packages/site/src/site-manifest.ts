import type { SiteAssets } from "./offline/site-assets.js";

/**
 * `DIR/site.json`, written by `aiconfig export --site` and read by the page:
 * the offline assets, and the aiconfig file the page opens. Data only: the page
 * reads no path from it outside the site folder.
 */
export interface SiteManifest extends SiteAssets {
  /** The aiconfig file's name in the site folder, e.g. `story.aiconfig.json` (JSON or YAML by extension). */
  notebook: string;
}
