/**
 * Visitor sessions: a random cookie (`aiconfig_session`, HttpOnly, SameSite,
 * Secure behind https) names a session in the store by the cookie's SHA-256.
 * A session holds the visitor's copy of the owner's notebook (copied on the
 * first edit) and, sealed, their keys; it expires after `ttlMs` without use,
 * and past `maxSessions` the least recently used go first.
 *
 * @packageDocumentation
 */
import { createHash, randomBytes } from "node:crypto";
import type { AIConfig } from "@aiconfig-ts/core";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { NotebookStore, SessionRecord } from "./notebook-store.js";
import { openKeys, sealKeys } from "./session-keys.js";

/** Name of the session cookie. */
export const SESSION_COOKIE = "aiconfig_session";

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

/** A visitor's session during one request. */
export interface VisitorSession {
  /** SHA-256 hex of the cookie value: the key in the store. */
  readonly id: string;
  /** The cookie value (seals the keys); never stored. */
  readonly cookie: string;
  /** The stored record. */
  record: SessionRecord;
  /** Whether it was created by this request. */
  readonly created: boolean;
}

/** Options of {@link SessionManager}. */
export interface SessionManagerOptions {
  store: NotebookStore;
  /** Inactivity expiry, in ms. */
  ttlMs: number;
  /** Sessions kept at most; the least recently used go first. */
  maxSessions: number;
  /** Cookie path (the base path, or `/`). */
  cookiePath: string;
  /** `None` when the notebook may be framed by another site (`--allow-embed`), else `Lax`. */
  sameSite: "Lax" | "None";
  /** Called when a session is created. */
  onCreate?: () => void;
}

/** Whether the request came over https (directly, or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || (c.req.header("x-forwarded-proto") ?? "").split(",")[0]?.trim() === "https";
}

/** Finds, creates and updates visitor sessions. */
export class SessionManager {
  readonly #o: SessionManagerOptions;
  readonly #touched = new Map<string, number>();
  #sweeping: Promise<void> | undefined;

  constructor(options: SessionManagerOptions) {
    this.#o = options;
  }

  /** The session of a request, or `undefined` when it has none (or it expired). Marks it used. */
  async find(c: Context): Promise<VisitorSession | undefined> {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie || !COOKIE_VALUE.test(cookie)) return undefined;
    const id = createHash("sha256").update(cookie).digest("hex");
    const record = await this.#o.store.getSession(id);
    if (!record) return undefined;
    const now = Date.now();
    if (now - (this.#touched.get(id) ?? 0) > 30_000) {
      this.#touched.set(id, now);
      if (this.#touched.size > 100_000) this.#touched.clear();
      await this.#o.store.touchSession(id, this.#o.ttlMs);
    }
    return { id, cookie, record, created: false };
  }

  /** The session of a request, created (with its cookie set on the answer) when it has none. */
  async findOrCreate(c: Context): Promise<VisitorSession> {
    const found = await this.find(c);
    if (found) return found;
    const cookie = randomBytes(32).toString("base64url");
    const id = createHash("sha256").update(cookie).digest("hex");
    const now = Date.now();
    const record: SessionRecord = { createdAt: now, lastSeen: now };
    await this.#o.store.putSession(id, record, this.#o.ttlMs);
    const https = isHttps(c);
    setCookie(c, SESSION_COOKIE, cookie, {
      httpOnly: true,
      path: this.#o.cookiePath,
      // SameSite=None needs Secure; browsers take Secure cookies from http://localhost too
      sameSite: this.#o.sameSite,
      secure: https || this.#o.sameSite === "None",
      ...(this.#o.sameSite === "None" ? { partitioned: true } : {}),
    });
    this.#o.onCreate?.();
    void this.sweep();
    return { id, cookie, record, created: true };
  }

  /** Deletes expired sessions and those past the cap (one sweep at a time). */
  sweep(): Promise<void> {
    this.#sweeping ??= (async () => {
      try {
        if ((await this.#o.store.countSessions()) > this.#o.maxSessions || Math.random() < 0.05)
          await this.#o.store.sweepSessions(this.#o.ttlMs, this.#o.maxSessions);
      } catch {
        // the next sweep tries again
      } finally {
        this.#sweeping = undefined;
      }
    })();
    return this.#sweeping;
  }

  /** Stores the session's notebook. */
  async saveConfig(session: VisitorSession, config: AIConfig): Promise<void> {
    session.record = { ...session.record, config, lastSeen: Date.now() };
    await this.#o.store.putSession(session.id, session.record, this.#o.ttlMs);
  }

  /** The session's keys (env name -> value); `{}` when none. */
  async keys(session: VisitorSession): Promise<Record<string, string>> {
    return openKeys(session.cookie, await this.#o.store.getSessionKeys(session.id));
  }

  /** Replaces the session's keys (empty values remove a key). */
  async setKeys(session: VisitorSession, keys: Record<string, string>): Promise<void> {
    const kept = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== ""));
    await this.#o.store.putSessionKeys(session.id, Object.keys(kept).length ? sealKeys(session.cookie, kept) : undefined, this.#o.ttlMs);
  }
}
