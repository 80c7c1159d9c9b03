/**
 * Who may talk to the editor's server: a random token (as Jupyter does), and
 * only through the server's own Host and Origin (against DNS rebinding and
 * cross-site requests).
 *
 * The token arrives in the URL the editor opens (`?token=`); the server then
 * sets an HttpOnly, SameSite=Strict cookie and redirects to the same URL
 * without the token. Programs (and an embedding app) may send the token in an
 * `Authorization: token T` / `Bearer T` header or an `X-AIConfig-Token` header
 * instead.
 *
 * @packageDocumentation
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** A new random token: 32 bytes as 64 hex characters. */
export function generateToken(): string {
  return randomBytes(32).toString("hex");
}

/**
 * Name of the cookie that holds a token. It depends on the token, so that two
 * editors on the same host (cookies ignore ports) do not overwrite each other's.
 */
export function tokenCookieName(token: string): string {
  return `aiconfig_editor_${createHash("sha256").update(token).digest("hex").slice(0, 12)}`;
}

/** Compares two strings in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Which Host and Origin headers the server answers. */
export interface HostPolicy {
  /**
   * `host[:port]` values accepted in the Host header, lower case, e.g.
   * `127.0.0.1:8080`, `localhost:8080`. `"any"` accepts every Host (for a
   * server listening on all interfaces, where the token is the only guard).
   */
  hosts: ReadonlySet<string> | "any";
  /** Extra origins allowed to call the API (an app embedding the notebook), e.g. `http://localhost:3000`. */
  origins?: ReadonlySet<string>;
}

/**
 * The Host values of a server listening on `host:port`: for a loopback or
 * wildcard address, the loopback names `127.0.0.1`, `localhost` and `[::1]`
 * with that port; for another address, that address too. A wildcard address
 * (`0.0.0.0`, `::`) accepts any Host.
 */
export function hostPolicyFor(host: string, port: number): HostPolicy {
  if (host === "0.0.0.0" || host === "::" || host === "") return { hosts: "any" };
  const names = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const bare = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  names.add(`${bare.toLowerCase()}:${port}`);
  return { hosts: names };
}

/** Whether a request's Host and Origin headers are acceptable; the reason when not. */
export function checkHostAndOrigin(host: string | undefined, origin: string | undefined, policy: HostPolicy): string | undefined {
  const h = (host ?? "").toLowerCase();
  if (policy.hosts !== "any" && !policy.hosts.has(h)) return `Host "${host ?? ""}" is not this editor's address`;
  if (origin === undefined || origin === "") return undefined;
  if (policy.origins?.has(origin)) return undefined;
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return `Origin "${origin}" is not this editor`;
    originHost = url.host.toLowerCase();
  } catch {
    return `Origin "${origin}" is not this editor`;
  }
  if (originHost !== h) return `Origin "${origin}" is not this editor`;
  return undefined;
}

/** The token a request carries: the `token` query parameter, a header or the cookie. */
export function requestToken(c: Context, cookieName: string): string | undefined {
  const query = c.req.query("token");
  if (query) return query;
  const header = c.req.header("x-aiconfig-token");
  if (header) return header;
  const auth = c.req.header("authorization");
  const m = auth ? /^(?:token|bearer)\s+(\S+)$/i.exec(auth) : null;
  if (m) return m[1];
  return getCookie(c, cookieName);
}

/**
 * Middleware that refuses requests from a foreign Host or Origin (403) and
 * requests without the token (401). A page request (`GET` of HTML) that
 * carries `?token=` gets the cookie and a redirect to the same URL without it.
 * @param policy the accepted hosts; a function is read on each request (the port is known only once listening)
 */
export function guard(token: string, policy: () => HostPolicy): MiddlewareHandler {
  const cookieName = tokenCookieName(token);
  return async (c, next) => {
    const refused = checkHostAndOrigin(c.req.header("host"), c.req.header("origin"), policy());
    if (refused) return c.json({ error: `refused: ${refused}` }, 403);
    const given = requestToken(c, cookieName);
    if (!given || !sameSecret(given, token)) {
      const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
      const message = "this editor needs its token: open the URL that `aiconfig edit` printed (it ends with ?token=...)";
      return wantsHtml
        ? c.html(`<!doctype html><meta charset="utf-8"><title>AI Workbook</title><p>${message}</p>`, 401)
        : c.json({ error: message }, 401);
    }
    if (c.req.query("token") && c.req.method === "GET" && !c.req.path.startsWith("/api/")) {
      setCookie(c, cookieName, token, { httpOnly: true, sameSite: "Strict", path: "/" });
      const url = new URL(c.req.url);
      url.searchParams.delete("token");
      return c.redirect(`${url.pathname}${url.search}`, 302);
    }
    await next();
  };
}
