/**
 * Visitor sessions: a random cookie (`aiconfig_session`, HttpOnly, SameSite,
 * Secure behind https) names a session in the store by the cookie's SHA-256.
 * A session holds the visitor's copy of the owner's notebook (copied on the
 * first edit) and, sealed, their keys; it expires after `ttlMs` without use,
 * and past `maxSessions` sessions or `maxBytes` held by all of them the least
 * recently used go first. A session holds at most `sessionBytes`: its
 * notebook's JSON (outputs included) plus the files uploaded into it.
 *
 * @packageDocumentation
 */
import { createHash, randomBytes } from "node:crypto";
import type { AIConfig } from "@aiconfig-ts/core";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import bytes from "bytes";
import type { NotebookStore, SessionPolicy, SessionRecord, SessionRemovalReason } from "./notebook-store.js";
import { openKeys, sealKeys } from "./session-keys.js";
import { storedBlobIds } from "./stored-attachments.js";

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
  /** Bytes all sessions hold at most (`--max-memory`); the least recently used go first. */
  maxBytes: number;
  /** Bytes one session holds at most: its notebook's JSON and the files uploaded into it. */
  sessionBytes: number;
  /** The owner's stored files (not counted against a session). */
  ownerBlobs: ReadonlySet<string>;
  /** Cookie path (the base path, or `/`). */
  cookiePath: string;
  /** `None` when the notebook may be framed by another site (`--allow-embed`), else `Lax`. */
  sameSite: "Lax" | "None";
  /** Called when a session is created. */
  onCreate?: () => void;
  /** Called for each session the policy removes, with the rule that removed it (see {@link SessionPolicy.onRemoved}). */
  onRemoved?: (reason: SessionRemovalReason) => void;
}

/** A session would hold more than it may; the message is one line for the page, naming the sizes and the fix. */
export class SessionTooLargeError extends Error {
  override name = "SessionTooLargeError";
}

/** Bytes for messages: `16MB`, `1.5KB`. */
export function formatBytes(n: number): string {
  return bytes.format(n, { unitSeparator: " ", decimalPlaces: 1 }) ?? `${n} bytes`;
}

/** Whether the request came over https (directly, or through a proxy that says so). */
export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || (c.req.header("x-forwarded-proto") ?? "").split(",")[0]?.trim() === "https";
}

/** Finds, creates and updates visitor sessions. */
export class SessionManager {
  readonly #o: SessionManagerOptions;
  readonly #touched = new Map<string, number>();
  #sweeping: Promise<number> | undefined;

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
    // The put marked it used now: the next request within 30 s need not touch it again.
    this.#touched.set(id, now);
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

  /** The store's session policy: expiry, caps on sessions and on bytes. */
  get policy(): SessionPolicy {
    const { ttlMs, maxSessions, maxBytes, onRemoved } = this.#o;
    return { ttlMs, maxSessions, maxBytes, ...(onRemoved ? { onRemoved } : {}) };
  }

  /**
   * Deletes expired sessions and those past the caps (one sweep at a time);
   * `always`: even when the counts look under the caps. Resolves to how many went.
   */
  sweep(always = false): Promise<number> {
    const store = this.#o.store;
    this.#sweeping ??= (async () => {
      try {
        const over =
          always ||
          Math.random() < 0.05 ||
          (await store.countSessions()) > this.#o.maxSessions ||
          (await store.sessionBytes()) > this.#o.maxBytes;
        return over ? await store.sweepSessions(this.policy) : 0;
      } catch {
        return 0; // the next sweep tries again
      } finally {
        this.#sweeping = undefined;
      }
    })();
    return this.#sweeping;
  }

  /** What a session holding `config` holds, in bytes: the JSON, plus the stored files it refers to that are not the owner's. */
  async measure(config: AIConfig): Promise<number> {
    let total = Buffer.byteLength(JSON.stringify(config));
    for (const id of storedBlobIds(config)) if (!this.#o.ownerBlobs.has(id)) total += (await this.#o.store.blobSize(id)) ?? 0;
    return total;
  }

  /** The one line saying a session would hold too much; `verb` says what did not happen ("saved", "run", "uploaded"). */
  tooLarge(verb: string, size: number): SessionTooLargeError {
    return new SessionTooLargeError(
      `not ${verb}: this session would hold ${formatBytes(size)} (notebook, outputs and uploaded files), more than a session keeps (${formatBytes(this.#o.sessionBytes)}): clear some outputs or remove attachments`,
    );
  }

  /**
   * Refuses an upload that would take the session past what it holds.
   * @throws {SessionTooLargeError}
   */
  checkUpload(session: VisitorSession, size: number): void {
    const held = session.record.bytes ?? 0;
    if (held + size > this.#o.sessionBytes) throw this.tooLarge("uploaded", held + size);
  }

  /**
   * Stores the session's notebook (with its size); past the byte cap, the
   * least recently used sessions are evicted.
   * @param verb what did not happen when refused, for the message ("saved", "run", "opened")
   * @throws {SessionTooLargeError} when the session would hold more than `sessionBytes` (nothing is stored)
   */
  async saveConfig(session: VisitorSession, config: AIConfig, verb = "saved"): Promise<void> {
    const size = await this.measure(config);
    if (size > this.#o.sessionBytes) throw this.tooLarge(verb, size);
    const grew = size > (session.record.bytes ?? 0);
    session.record = { ...session.record, config, lastSeen: Date.now(), bytes: size };
    await this.#o.store.putSession(session.id, session.record, this.#o.ttlMs);
    if (grew) void this.sweep();
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
