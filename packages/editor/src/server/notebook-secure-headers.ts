/**
 * The notebook's security headers (hono's `secureHeaders`): browser-safe, so a
 * page that answers the notebook's routes itself can apply the same rules.
 *
 * @packageDocumentation
 */
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/** Options of {@link notebookSecureHeaders}. */
export interface NotebookSecurityOptions {
  /**
   * Origins allowed to show the notebook in a frame (CSP `frame-ancestors`),
   * e.g. `["https://site.example"]`. Default: only the notebook's own origin.
   */
  frameAncestors?: readonly string[];
  /** Send `Strict-Transport-Security` (only meaningful behind https). Default `false`. */
  strictTransportSecurity?: boolean;
}

/**
 * Security headers of the notebook (hono's `secureHeaders` with explicit
 * options): a strict Content-Security-Policy (scripts, styles and connections
 * only from the notebook itself, so even a rendering bug cannot run injected
 * script or send data elsewhere; images and media may also be inline data or
 * remote URLs that outputs name), framing only by `frameAncestors`,
 * `nosniff`, no referrer, and `Cache-Control: no-store` unless a route says
 * otherwise. A header a route set itself (the sandbox CSP of `/api/files`) is kept.
 */
export function notebookSecureHeaders(options: NotebookSecurityOptions = {}): MiddlewareHandler {
  const ancestors = options.frameAncestors?.length ? ["'self'", ...options.frameAncestors] : ["'self'"];
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      connectSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "blob:", "https:", "http:"],
      mediaSrc: ["'self'", "data:", "blob:", "https:", "http:"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
      frameAncestors: ancestors,
    },
    // frame-ancestors says who may frame; X-Frame-Options only for browsers without CSP, when embedding is off
    xFrameOptions: options.frameAncestors?.length ? false : "SAMEORIGIN",
    referrerPolicy: "no-referrer",
    xContentTypeOptions: true,
    crossOriginResourcePolicy: "same-origin",
    crossOriginOpenerPolicy: options.frameAncestors?.length ? false : "same-origin",
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: options.strictTransportSecurity === true,
    overwrite: false,
  });
  return async (c, next) => {
    await headers(c, async () => {
      await next();
      if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
    });
  };
}
