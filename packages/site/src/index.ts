/**
 * `@aiconfig-ts/site`: the static notebook page that `aiconfig export FILE
 * --site DIR` writes, and what that command needs in Node (the built page, the
 * site writer, the offline providers' assets).
 */
export { copyOfflineAssets } from "./offline/copy-offline-assets.js";
export type { SiteAssets } from "./offline/site-assets.js";
export type { SiteManifest } from "./site-manifest.js";
export {
  builtSiteDir,
  SITE_MEDIA_TYPES,
  SiteFileRefusedError,
  SiteFolderNotEmptyError,
  SiteNotBuiltError,
  type WriteSiteOptions,
  type WrittenSite,
  WrittenKeyError,
  writeSite,
} from "./write-site.js";
