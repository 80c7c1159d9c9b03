// The blob sweep's mark phase reads each session's index of stored files, not its notebook; sessions an older
// version stored (no index) are read once and indexed, and so are sessions an older version wrote or touched after
// their index was written (its index is stale then). On both stores: a folder, and a real redis-server.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import { sweepBlobs } from "./blob-sweep.js";
import { FolderStore } from "./folder-store.js";
import type { NotebookStore, SessionRecord } from "./notebook-store.js";
import { RedisStore } from "./redis-store.js";
import { OWNER_CONFIG, type TestNotebook, type Visitor, redisForStore, startTestNotebook, testConfig } from "./server.test.helper.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A notebook whose one prompt has the uploaded file `uri` as an attachment (constructed). */
const withAttachment = (uri: string): AIConfig =>
  testConfig([
    {
      name: "look",
      input: { data: "what is this?", attachments: [{ data: { kind: "file_uri", value: uri }, mime_type: "image/png" }] },
      metadata: { model: "echo" },
    },
  ]);

/** A visitor uploads `bytes` and, when `use`, stores a notebook referring to it. Returns the file's URI. */
async function uploadInto(v: Visitor, bytes: Buffer, use: boolean): Promise<string> {
  await v.state();
  const res = await v.call("/api/attachments", { json: { name: "photo.png", mimeType: "image/png", base64: bytes.toString("base64") } });
  assert.equal(res.status, 200);
  const { file_uri } = (await res.json()) as { file_uri: string };
  if (use) assert.equal((await v.call("/api/save", { json: { config: withAttachment(file_uri), baseVersion: "session" } })).status, 200);
  return file_uri;
}

/** The store seen through a wrapper that counts `getSession` calls (our own store, not a provider SDK). */
function countingReads(store: NotebookStore): { store: NotebookStore; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(store, {
    get(target, prop) {
      if (prop === "getSession")
        return (id: string): Promise<SessionRecord | undefined> => {
          reads++;
          return target.getSession(id);
        };
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { store: proxy, reads: () => reads };
}

/** A folder store that counts every notebook it reads, its own reads included (as after a restart: nothing in memory). */
class CountingFolderStore extends FolderStore {
  reads = 0;
  override async getSession(id: string): Promise<SessionRecord | undefined> {
    this.reads++;
    return super.getSession(id);
  }
}

for (const kind of ["folder", "redis"] as const) {
  describe(`the blob sweep's mark phase (${kind} store)`, () => {
    const redis = redisForStore(kind);
    let n = 0;
    const start = async (): Promise<{ t: TestNotebook; prefix: string }> => {
      const prefix = `t${n++}:`;
      const store = redis.url ? await RedisStore.connect(redis.url, prefix) : undefined;
      return { t: await startTestNotebook(OWNER_CONFIG, { blobGraceMs: 0, ...(store ? { store } : {}) }), prefix };
    };
    /** A second store on the same folder or Redis prefix, as another process (or this one restarted) opens it. */
    const reopen = async (t: TestNotebook, prefix: string): Promise<NotebookStore> =>
      redis.url ? RedisStore.connect(redis.url, prefix) : new CountingFolderStore(join(t.dir, ".aiconfig-serve"));

    test("a sweep over 30 sessions with files reads no session's notebook, keeps every file they refer to and deletes the unused one", async () => {
      const { t, prefix } = await start();
      const other = await reopen(t, prefix);
      try {
        const used = Array.from({ length: 30 }, (_, i) => randomBytes(200 + i));
        for (const bytes of used) await uploadInto(t.visitor(), bytes, true);
        const unused = randomBytes(199);
        await uploadInto(t.visitor(), unused, false);
        await pause(5);
        const counted = countingReads(other);
        let redisGets = 0;
        if (redis.url) {
          const { Redis } = await import("ioredis");
          const raw = new Redis(redis.url);
          await raw.config("RESETSTAT");
          assert.equal(await sweepBlobs(counted.store, new Set(), 0), 1);
          redisGets = Number(/cmdstat_get:calls=(\d+)/.exec(await raw.info("commandstats"))?.[1] ?? 0);
          raw.disconnect();
        } else assert.equal(await sweepBlobs(counted.store, new Set(), 0), 1);
        assert.equal(counted.reads(), 0, "the sweep asked the store for no session");
        if (other instanceof CountingFolderStore) assert.equal(other.reads, 0, "the folder store read no notebook, its own reads included");
        assert.equal(redisGets, 0, "Redis served no GET (no notebook was read)");
        for (const bytes of used)
          assert.notEqual(await t.notebook.store.blobSize(sha(bytes)), undefined, "a file a session refers to stays");
        assert.equal(await t.notebook.store.blobSize(sha(unused)), undefined, "the file no session refers to went");
      } finally {
        await other.close();
        await t.close();
      }
    });

    test("a session an older version stored (no index of its files) keeps its file through the sweep, and is indexed by it", async () => {
      const { t, prefix } = await start();
      const other = await reopen(t, prefix);
      const { Redis } = await import("ioredis");
      const raw = redis.url ? new Redis(redis.url) : undefined;
      try {
        const old = randomBytes(300);
        const v = t.visitor();
        await uploadInto(v, old, true);
        const unused = randomBytes(301);
        await uploadInto(t.visitor(), unused, false);
        // constructed: the session as an older version left it, its notebook only, no index of its files
        const sessions = join(t.dir, ".aiconfig-serve", "sessions");
        const ids = await t.notebook.store.listSessions();
        let withFile: string | undefined;
        for (const id of ids) if ((await t.notebook.store.getSession(id))?.config) withFile = id;
        assert.ok(withFile, "the visitor's session holds a notebook");
        if (raw) assert.equal(await raw.hdel(`${prefix}session-blobs`, withFile), 1);
        else {
          assert.ok(existsSync(join(sessions, `${withFile}.blobs`)), "a session stored now has an index of its files");
          rmSync(join(sessions, `${withFile}.blobs`));
        }
        await pause(5);
        assert.equal(await sweepBlobs(other, new Set(), 0), 1, "the sweep ran and deleted the unused file");
        assert.notEqual(await t.notebook.store.blobSize(sha(old)), undefined, "the old session's file stays");
        assert.equal(await t.notebook.store.blobSize(sha(unused)), undefined);
        if (raw)
          assert.match(
            (await raw.hget(`${prefix}session-blobs`, withFile)) ?? "",
            new RegExp(`\\|${sha(old)}$`),
            "the sweep indexed the old session",
          );
        else assert.equal(readFileSync(join(sessions, `${withFile}.blobs`), "utf8"), `${sha(old)}\n`, "the sweep indexed the old session");
        if (other instanceof CountingFolderStore) {
          other.reads = 0;
          await sweepBlobs(other, new Set(), 0);
          assert.equal(other.reads, 0, "the next sweep reads its index, not its notebook");
        }
        assert.equal((await v.call("/api/download")).status, 200);
      } finally {
        raw?.disconnect();
        await other.close();
        await t.close();
      }
    });

    test("attack/fault: a session an older version stored again after a new process indexed it keeps its new file through the sweep", async () => {
      const { t, prefix } = await start();
      const other = await reopen(t, prefix);
      const { Redis } = await import("ioredis");
      const raw = redis.url ? new Redis(redis.url) : undefined;
      try {
        const first = randomBytes(400);
        const v = t.visitor();
        await uploadInto(v, first, true);
        const id = (await t.notebook.store.listSessions()).find((s) => s !== undefined) as string;
        const record = await t.notebook.store.getSession(id);
        assert.ok(record?.config, "the visitor's session holds a notebook, indexed by this version");
        // the visitor uploads a second file; an older process stores the session referring to it (constructed:
        // the old put, which rewrites the notebook and its score and leaves the index of its files as it was)
        const second = randomBytes(401);
        const secondUri = await uploadInto(v, second, false);
        const rewritten = JSON.stringify({ ...record, config: withAttachment(secondUri), lastSeen: Date.now() });
        const sessions = join(t.dir, ".aiconfig-serve", "sessions");
        if (raw) {
          const before = await raw.hget(`${prefix}session-blobs`, id);
          await pause(2);
          await raw.set(`${prefix}session:${id}`, rewritten, "PX", 60_000);
          await raw.zadd(`${prefix}sessions`, Date.now(), id);
          assert.equal(await raw.hget(`${prefix}session-blobs`, id), before, "the index still lists the first file only");
        } else {
          const index = join(sessions, `${id}.blobs`);
          assert.equal(readFileSync(index, "utf8"), `${sha(first)}\n`, "the index lists the first file only");
          writeFileSync(join(sessions, `${id}.json`), rewritten);
          const later = new Date(statSync(index).mtimeMs + 2000);
          utimesSync(join(sessions, `${id}.json`), later, later);
        }
        await pause(5);
        assert.equal(await sweepBlobs(other, new Set(), 0), 1, "the sweep deleted the file nothing refers to any more");
        assert.notEqual(await t.notebook.store.blobSize(sha(second)), undefined, "the file the session refers to now stays");
        assert.equal(await t.notebook.store.blobSize(sha(first)), undefined, "the file it no longer refers to went");
        if (raw) assert.match((await raw.hget(`${prefix}session-blobs`, id)) ?? "", new RegExp(`\\|${sha(second)}$`), "re-indexed");
        else assert.equal(readFileSync(join(sessions, `${id}.blobs`), "utf8"), `${sha(second)}\n`, "re-indexed");
        // re-indexed with what it read: the next sweep reads no notebook
        if (raw) await raw.config("RESETSTAT");
        if (other instanceof CountingFolderStore) other.reads = 0;
        await sweepBlobs(other, new Set(), 0);
        if (raw) assert.equal(Number(/cmdstat_get:calls=(\d+)/.exec(await raw.info("commandstats"))?.[1] ?? 0), 0, "no notebook read");
        if (other instanceof CountingFolderStore) assert.equal(other.reads, 0, "no notebook read");
        assert.notEqual(await t.notebook.store.blobSize(sha(second)), undefined);
      } finally {
        raw?.disconnect();
        await other.close();
        await t.close();
      }
    });

    test("a session touched after it was indexed, by this version or an older one, keeps its file; only the older one's touch makes the sweep read it, once", async () => {
      const { t, prefix } = await start();
      let other = await reopen(t, prefix);
      const { Redis } = await import("ioredis");
      const raw = redis.url ? new Redis(redis.url) : undefined;
      const reads = async (): Promise<number> =>
        raw ? Number(/cmdstat_get:calls=(\d+)/.exec(await raw.info("commandstats"))?.[1] ?? 0) : (other as CountingFolderStore).reads;
      const resetReads = async () => {
        if (raw) await raw.config("RESETSTAT");
        else (other as CountingFolderStore).reads = 0;
      };
      try {
        const file = randomBytes(500);
        await uploadInto(t.visitor(), file, true);
        const [id] = await t.notebook.store.listSessions();
        assert.ok(id);
        const notebook = join(t.dir, ".aiconfig-serve", "sessions", `${id}.json`);
        await pause(5);
        // this version's touch: the notebook did not change, the index stays trusted
        await t.notebook.store.touchSession(id, 60_000);
        await resetReads();
        await sweepBlobs(other, new Set(), 0);
        assert.equal(await reads(), 0, "a session this version touched is not read");
        assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined);
        // an older version's touch (constructed: its ZADD XX of whole milliseconds, or the notebook's mtime alone)
        await pause(5);
        if (raw) await raw.zadd(`${prefix}sessions`, "XX", Date.now(), id);
        else {
          // one process per folder: the older version ran between two runs of this one
          await other.close();
          const later = new Date(Date.now() + 2000);
          utimesSync(notebook, later, later);
          other = await reopen(t, prefix);
        }
        await resetReads();
        await sweepBlobs(other, new Set(), 0);
        assert.equal(await reads(), 1, "the sweep reads the notebook an older version touched");
        assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined, "its file stays");
        await resetReads();
        await sweepBlobs(other, new Set(), 0);
        assert.equal(await reads(), 0, "indexed again, the next sweep does not read it");
        assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined);
      } finally {
        raw?.disconnect();
        await other.close();
        await t.close();
      }
    });

    if (kind === "redis")
      test("fault: an index entry without a stamp (as the first indexing version wrote it) is not trusted", async () => {
        const { t, prefix } = await start();
        const other = await reopen(t, prefix);
        const { Redis } = await import("ioredis");
        const raw = new Redis(redis.url as string);
        try {
          const file = randomBytes(600);
          await uploadInto(t.visitor(), file, true);
          const [id] = await t.notebook.store.listSessions();
          assert.ok(id);
          // constructed: an entry in the first version's format (ids only) that no longer matches the notebook
          await raw.hset(`${prefix}session-blobs`, id, sha(randomBytes(8)));
          await pause(5);
          await sweepBlobs(other, new Set(), 0);
          assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined, "the file the notebook refers to stays");
          assert.match(
            (await raw.hget(`${prefix}session-blobs`, id)) ?? "",
            new RegExp(`^[0-9.]+\\|${sha(file)}$`),
            "indexed again, stamped",
          );
        } finally {
          raw.disconnect();
          await other.close();
          await t.close();
        }
      });
  });
}
