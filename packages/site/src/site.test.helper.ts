/**
 * Support for the static site's browser tests: a site written by `writeSite`
 * into a temporary folder, served by a static file server (hono's
 * `serveStatic` on `@hono/node-server`, 127.0.0.1), Debian's Chromium through
 * playwright-core, and a guard that lets a page reach only the site's origin
 * and the mocks a test names (every other request is blocked and recorded).
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { after, before } from "node:test";
import { launchChromium, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { builtSiteDir, writeSite } from "./write-site.js";

export { CHROMIUM, launchChromium } from "@aiconfig-ts/testing";

/**
 * Writes a site for `config` (an aiconfig document, written as `fileName` in a new folder with `files` beside it).
 * @throws when the page is not built (run `npm run build -w packages/site`)
 */
export async function exportTestSite(config: unknown, fileName = "notebook.aiconfig.json", files: Record<string, Uint8Array> = {}) {
  if (!existsSync(join(builtSiteDir(), "index.html")))
    throw new Error("the site's page is not built: run `npm run build -w packages/site`");
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-site-test-"));
  const file = join(dir, fileName);
  writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config, null, 2));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const site = await writeSite({ configPath: file, siteDir: join(dir, "site") });
  return { dir, file, site };
}

/**
 * Serves a folder as a static host does (no special headers, unless `headers`
 * names some to add to every answer, e.g. the cross-origin isolation ones), on 127.0.0.1.
 */
export async function serveFolder(dir: string, headers: Record<string, string> = {}): Promise<{ origin: string; close(): Promise<void> }> {
  const root = relative(process.cwd(), dir) || ".";
  const app = new Hono()
    .use("*", async (c, next) => {
      await next();
      for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
    })
    .use("*", serveStatic({ root }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Lets the context's pages reach only `origin` and the `mocks` (a URL glob ->
 * handler); every other request is aborted and its URL added to the returned list.
 */
export async function guardRequests(
  context: BrowserContext,
  origin: string,
  mocks: Record<string, (route: Route) => Promise<void>> = {},
): Promise<string[]> {
  const blocked: string[] = [];
  await context.route("**", async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith("data:") || url.startsWith("blob:")) return route.fallback();
    blocked.push(url);
    return route.abort("blockedbyclient");
  });
  for (const [glob, handler] of Object.entries(mocks)) await context.route(glob, handler);
  return blocked;
}

/** CORS headers a provider's API sends to a page calling it with a key. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-allow-headers": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-expose-headers": "*",
};

/**
 * A route handler sending a provider's requests to a local mock (e.g.
 * `startReplayServer()`'s URL), same path, and its answers back with CORS headers.
 */
export function forwardTo(mockUrl: string): (route: Route) => Promise<void> {
  return async (route) => {
    const request = route.request();
    if (request.method() === "OPTIONS") return route.fulfill({ status: 204, headers: { ...CORS_HEADERS } });
    const url = new URL(request.url());
    const response = await route.fetch({ url: `${mockUrl}${url.pathname}${url.search}` });
    return route.fulfill({ response, headers: { ...response.headers(), ...CORS_HEADERS } });
  };
}

/** What {@link siteInBrowser} started for a `describe` block (each set once its `before` hook ran). */
export interface SiteInBrowser {
  readonly browser: Browser;
  /** The OpenAI replay server the page's `https://api.openai.com` requests are forwarded to. */
  readonly replay: ReplayServer;
  /** The static server of the exported site. */
  readonly server: { origin: string; close(): Promise<void> };
  /** Browser contexts to close after the block (those `open` makes are added). */
  readonly contexts: BrowserContext[];
  /**
   * Opens the site's page (or `url`) in a new context that may reach only the site and the
   * replay server; waits until the notebook is ready unless `ready` is false. `beforeGoto` is
   * called with the page before it loads (to listen to its console, say).
   */
  open(
    url?: string,
    ready?: boolean,
    beforeGoto?: (page: Page) => void,
  ): Promise<{ page: Page; blocked: string[]; context: BrowserContext }>;
}

/**
 * For one `describe` block: the site of `config` (written as `fileName`) exported and served,
 * an OpenAI replay server and Chromium, started in a `before` hook and closed in an `after` hook.
 */
export function siteInBrowser(config: unknown, fileName: string): SiteInBrowser {
  let browser: Browser;
  let replay: ReplayServer;
  let server: { origin: string; close(): Promise<void> };
  const contexts: BrowserContext[] = [];
  before(async () => {
    const { site } = await exportTestSite(config, fileName);
    server = await serveFolder(site.dir);
    replay = await startReplayServer();
    browser = await launchChromium();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await replay?.close();
    await server?.close();
  });
  return {
    get browser() {
      return browser;
    },
    get replay() {
      return replay;
    },
    get server() {
      return server;
    },
    contexts,
    async open(url = `${server.origin}/`, ready = true, beforeGoto) {
      const context = await browser.newContext({ acceptDownloads: true });
      contexts.push(context);
      const blocked = await guardRequests(context, server.origin, { "https://api.openai.com/**": forwardTo(replay.url) });
      const page = await context.newPage();
      beforeGoto?.(page);
      await page.goto(url);
      if (ready) await page.locator(".aiw[data-ready=true]").waitFor();
      return { page, blocked, context };
    },
  };
}
