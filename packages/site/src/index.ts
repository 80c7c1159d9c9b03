/**
 * `@aiconfig-ts/site`: the static notebook page that `aiconfig export FILE
 * --site DIR` writes, and what that command needs in Node (where the built page
 * is, and the offline providers' assets).
 */
import { fileURLToPath } from "node:url";

export { copyOfflineAssets } from "./offline/copy-offline-assets.js";
export type { SiteAssets } from "./offline/site-assets.js";

/**
 * The folder of the built page (`dist-site/`, made by this package's `npm run
 * build`): `index.html` and `assets/`, copied as they are into a site folder.
 */
export function builtSiteDir(): string {
  return fileURLToPath(new URL("../dist-site/", import.meta.url));
}
