/**
 * The site's notebook names its attachments and stored outputs by paths in
 * the site folder (`aiconfig export --site` copied them there). The page's
 * notebook keeps those references (so the visitor's copy, download and share
 * stay the published aiconfig); the page shows the files from the site's
 * folder, and a run reads them through {@link readSiteFile}.
 */
import type { NotebookFile } from "@aiconfig-ts/editor/routes";

/**
 * Reads a file the notebook names (a relative path, `/`-separated) from the site's own folder at `siteRoot`.
 * @returns its bytes and its MIME type (as the host sends it; a run uses the attachment's own `mime_type`)
 * @throws Error with one line naming the path when it is a URL, names a dot-file, lies outside the site's
 *   folder, or cannot be loaded
 */
export async function readSiteFile(path: string, siteRoot: string): Promise<NotebookFile> {
  const root = new URL(siteRoot);
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("/") || path.split(/[\\/]+/).some((s) => s.startsWith(".") && s !== "."))
    throw new Error(`${path} is not a file of this site (a path inside the site's folder)`);
  const url = new URL(path, root);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) throw new Error(`${path} is outside the site's folder`);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${path} could not be loaded from the site (${res.status})`);
  return {
    body: new Uint8Array(await res.arrayBuffer()),
    type: res.headers.get("content-type") ?? "application/octet-stream",
  };
}
