// The blob sweep's mark phase reads each session's index of stored files, not its notebook; sessions an older
// version stored (no index) are read once and indexed, and so are sessions an older version wrote or touched after
// their index was written (its index is stale then). Snapshots have an index too. Index entries whose session or
// snapshot is gone are removed, never one a put writes meanwhile; on Redis, an older version's write within the same
// millisecond as the sweep's read or re-index never leaves an entry trusted. On both stores: a folder, and a real
// redis-server (whose CLIENT PAUSE WRITE orders a put between the sweep's read and its write).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import { sweepBlobs } from "./blob-sweep.js";
import { FolderStore } from "./folder-store.js";
import type { NotebookStore, SessionRecord, SnapshotRecord } from "./notebook-store.js";
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

/** The id of the stored session that holds a notebook (the visitor's who saved one). */
async function sessionWithNotebook(store: NotebookStore): Promise<string> {
  let found: string | undefined;
  for (const id of await store.listSessions()) if ((await store.getSession(id))?.config) found = id;
  assert.ok(found, "a visitor's session holds a notebook");
  return found;
}

/** A folder store that counts every notebook it reads, its own reads included (as after a restart: nothing in memory). */
class CountingFolderStore extends FolderStore {
  reads = 0;
  snapshotReads = 0;
  override async getSession(id: string): Promise<SessionRecord | undefined> {
    this.reads++;
    return super.getSession(id);
  }
  override async getSnapshot(id: string): Promise<SnapshotRecord | undefined> {
    this.snapshotReads++;
    return super.getSnapshot(id);
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
          assert.equal(await sweepBlobs(other, new Set(), 0), 1);
          redisGets = Number(/cmdstat_get:calls=(\d+)/.exec(await raw.info("commandstats"))?.[1] ?? 0);
          raw.disconnect();
        } else assert.equal(await sweepBlobs(other, new Set(), 0), 1);
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
        // on Redis the re-index script checks in Redis that the notebook is still the one read: a second GET, there
        assert.equal(await reads(), raw ? 2 : 1, "the sweep reads the notebook an older version touched");
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

    test("fault: index entries whose session or snapshot is gone (an older version's delete) are removed by the sweep; live ones stay", async () => {
      const { t, prefix } = await start();
      const { Redis } = await import("ioredis");
      const raw = redis.url ? new Redis(redis.url) : undefined;
      let other: NotebookStore | undefined;
      try {
        const used = randomBytes(700);
        const v = t.visitor();
        const uri = await uploadInto(v, used, true);
        const shared = (await (await v.call("/api/share", { json: {} })).json()) as { id: string };
        assert.ok(shared.id, "the visitor shared the notebook");
        const unused = randomBytes(701);
        await uploadInto(t.visitor(), unused, false);
        const live = await sessionWithNotebook(t.notebook.store);
        // constructed: the entries an older version's delete of a session and of a snapshot leaves behind
        const ghost = sha(randomBytes(32));
        const ghostSnapshot = "GhostSnapshot0123456789";
        const sessions = join(t.dir, ".aiconfig-serve", "sessions");
        const snapshots = join(t.dir, ".aiconfig-serve", "snapshots");
        if (raw) {
          await raw.hset(`${prefix}session-blobs`, ghost, `${Date.now()}.5|${sha(unused)}`);
          await raw.hset(`${prefix}snapshot-blobs`, ghostSnapshot, sha(unused));
        } else {
          writeFileSync(join(sessions, `${ghost}.blobs`), `${sha(unused)}\n`);
          writeFileSync(join(snapshots, `${ghostSnapshot}.blobs`), `${sha(unused)}\n`);
        }
        // another process (for a folder: the next one, as one process owns a folder)
        other = await reopen(t, prefix);
        await pause(5);
        assert.equal(await sweepBlobs(other, new Set(), 0), 1, "the file only the gone session and snapshot listed went");
        assert.equal(await t.notebook.store.blobSize(sha(unused)), undefined);
        assert.notEqual(await t.notebook.store.blobSize(sha(used)), undefined, "the file the live session and snapshot refer to stays");
        if (raw) {
          assert.equal(await raw.hexists(`${prefix}session-blobs`, ghost), 0, "the gone session's entry was removed");
          assert.equal(await raw.hexists(`${prefix}snapshot-blobs`, ghostSnapshot), 0, "the gone snapshot's entry was removed");
          assert.match((await raw.hget(`${prefix}session-blobs`, live)) ?? "", new RegExp(`\\|${sha(used)}$`), "the live entry stays");
          assert.equal(await raw.hget(`${prefix}snapshot-blobs`, shared.id), sha(used), "the live snapshot's entry stays");
        } else {
          assert.ok(!existsSync(join(sessions, `${ghost}.blobs`)), "the gone session's index was removed");
          assert.ok(!existsSync(join(snapshots, `${ghostSnapshot}.blobs`)), "the gone snapshot's index was removed");
          assert.equal(readFileSync(join(sessions, `${live}.blobs`), "utf8"), `${sha(used)}\n`, "the live index stays");
          assert.equal(readFileSync(join(snapshots, `${shared.id}.blobs`), "utf8"), `${sha(used)}\n`, "the live snapshot's index stays");
        }
        assert.equal((await v.call("/api/download")).status, 200);
        assert.ok(uri);
      } finally {
        raw?.disconnect();
        await other?.close();
        await t.close();
      }
    });

    test("a sweep reads no snapshot: each has an index of its files; one an older version stored is read once and indexed; a deleted one's files go", async () => {
      const { t, prefix } = await start();
      let other = await reopen(t, prefix);
      const { Redis } = await import("ioredis");
      const raw = redis.url ? new Redis(redis.url) : undefined;
      /** Snapshots read since the last call, the store's own reads included (Redis: GETs; no session is read here). */
      const reads = async (): Promise<number> => {
        if (raw) {
          const n = Number(/cmdstat_get:calls=(\d+)/.exec(await raw.info("commandstats"))?.[1] ?? 0);
          await raw.config("RESETSTAT");
          return n;
        }
        const counting = other as CountingFolderStore;
        const n = counting.snapshotReads;
        counting.snapshotReads = 0;
        return n;
      };
      try {
        const file = randomBytes(800);
        const v = t.visitor();
        await uploadInto(v, file, true);
        const { id } = (await (await v.call("/api/share", { json: {} })).json()) as { id: string };
        // the session now refers to nothing: only the snapshot keeps the file
        assert.equal((await v.call("/api/save", { json: { config: testConfig([]), baseVersion: "session" } })).status, 200);
        await uploadInto(t.visitor(), randomBytes(801), false);
        await pause(5);
        await reads();
        assert.equal(await sweepBlobs(other, new Set(), 0), 1, "the unused file went");
        assert.equal(await reads(), 0, "no snapshot was read");
        assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined, "the snapshot's file stays");
        // constructed: the snapshot as an older version stored it, without an index
        const index = join(t.dir, ".aiconfig-serve", "snapshots", `${id}.blobs`);
        if (raw) assert.equal(await raw.hdel(`${prefix}snapshot-blobs`, id), 1);
        else {
          await other.close();
          rmSync(index);
          other = await reopen(t, prefix);
        }
        await uploadInto(t.visitor(), randomBytes(802), false);
        await pause(5);
        await reads();
        assert.equal(await sweepBlobs(other, new Set(), 0), 1);
        assert.equal(await reads(), 1, "the snapshot without an index was read");
        assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined, "its file stays");
        if (raw) assert.equal(await raw.hget(`${prefix}snapshot-blobs`, id), sha(file), "indexed");
        else assert.equal(readFileSync(index, "utf8"), `${sha(file)}\n`, "indexed");
        await uploadInto(t.visitor(), randomBytes(803), false);
        await pause(5);
        await reads();
        await sweepBlobs(other, new Set(), 0);
        assert.equal(await reads(), 0, "the next sweep reads its index");
        // deleted (as the owner does): its file goes, and its index with it
        assert.equal(await t.notebook.store.deleteSnapshot(id), true);
        if (raw) assert.equal(await raw.hexists(`${prefix}snapshot-blobs`, id), 0, "the delete removed its entry");
        else assert.ok(!existsSync(index), "the delete removed its index");
        await pause(5);
        assert.equal(await sweepBlobs(other, new Set(), 0), 1, "the deleted snapshot's file went");
        assert.equal(await t.notebook.store.blobSize(sha(file)), undefined);
      } finally {
        raw?.disconnect();
        await other.close();
        await t.close();
      }
    });

    if (kind === "folder")
      test("a snapshot whose notebook the owner deleted by hand loses its file and its index at the next sweep", async () => {
        const { t } = await start();
        try {
          const file = randomBytes(900);
          const v = t.visitor();
          await uploadInto(v, file, true);
          const { id } = (await (await v.call("/api/share", { json: {} })).json()) as { id: string };
          assert.equal((await v.call("/api/save", { json: { config: testConfig([]), baseVersion: "session" } })).status, 200);
          await pause(5);
          await sweepBlobs(t.notebook.store, new Set(), 0);
          assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined, "kept while the snapshot is there");
          const snapshots = join(t.dir, ".aiconfig-serve", "snapshots");
          rmSync(join(snapshots, `${id}.json`));
          assert.equal(await sweepBlobs(t.notebook.store, new Set(), 0), 1, "the file went with the snapshot");
          assert.equal(await t.notebook.store.blobSize(sha(file)), undefined);
          assert.ok(!existsSync(join(snapshots, `${id}.blobs`)), "its index was removed");
        } finally {
          await t.close();
        }
      });

    if (kind === "redis")
      test("attack/fault: a session stored while the sweep removes entries whose session is gone keeps its entry", async () => {
        const { t, prefix } = await start();
        const other = await reopen(t, prefix);
        const { Redis } = await import("ioredis");
        const raw = new Redis(redis.url as string);
        try {
          const file = randomBytes(1000);
          const uri = await uploadInto(t.visitor(), file, false);
          await pause(5);
          await sweepBlobs(other, new Set([sha(file)]), 0); // every entry indexed and trusted: the next mark phase writes nothing but orphans
          // constructed: an entry an older version's delete left, for the session id a visitor is about to be given
          const id = sha(randomBytes(32));
          await raw.hset(`${prefix}session-blobs`, id, `1.5|${sha(randomBytes(8))}`);
          // Redis holds every write (reads go on) while the put is queued first, then the sweep reads the index and
          // queues its removal: released in that order, the put lands between the sweep's read and its removal
          await raw.call("CLIENT", "PAUSE", "2000", "WRITE");
          const put = t.notebook.store.putSession(id, { createdAt: Date.now(), lastSeen: Date.now(), config: withAttachment(uri) }, 60_000);
          await pause(100);
          const marking = other.sessionBlobIds?.();
          await pause(100);
          await raw.call("CLIENT", "UNPAUSE");
          await put;
          assert.ok(!(await marking)?.has(sha(file)), "the sweep's read came before the put");
          const score = await raw.zscore(`${prefix}sessions`, id);
          assert.equal(
            await raw.hget(`${prefix}session-blobs`, id),
            `${score}|${sha(file)}`,
            "the new session keeps the entry its put wrote",
          );
        } finally {
          await raw.call("CLIENT", "UNPAUSE").catch(() => {});
          raw.disconnect();
          await other.close();
          await t.close();
        }
      });

    if (kind === "redis")
      test("attack/fault: an older version's put in the same millisecond as the sweep's re-index or its read leaves the entry untrusted", async () => {
        const { t, prefix } = await start();
        const other = await reopen(t, prefix);
        const { Redis } = await import("ioredis");
        const raw = new Redis(redis.url as string);
        const older = new Redis(redis.url as string);
        try {
          const first = randomBytes(1100);
          const v = t.visitor();
          await uploadInto(v, first, true);
          const id = await sessionWithNotebook(t.notebook.store);
          const record = (await t.notebook.store.getSession(id)) as SessionRecord;
          /** An older version's put (constructed: its notebook and whole-ms score, the index left as it was), on its own connection. */
          const olderPut = (uri: string, at: number) =>
            older
              .multi()
              .set(`${prefix}session:${id}`, JSON.stringify({ ...record, config: withAttachment(uri), lastSeen: at }), "PX", 60_000)
              .zadd(`${prefix}sessions`, at, id)
              .exec();
          // 1. an older version's touch at whole ms T; the sweep reads the notebook and indexes it again
          const at = Date.now();
          await raw.zadd(`${prefix}sessions`, "XX", at, id);
          await pause(5);
          await sweepBlobs(other, new Set(), 0);
          const score = Number(await raw.zscore(`${prefix}sessions`, id));
          assert.equal(score, at + 0.5, "the re-index moved the whole score by half a millisecond");
          assert.equal(await raw.hget(`${prefix}session-blobs`, id), `${score}|${sha(first)}`, "and stamped the entry with it");
          // then an older version's put within that same millisecond T, referring to a second file
          const second = randomBytes(1101);
          const secondUri = await uploadInto(t.visitor(), second, false);
          await olderPut(secondUri, at);
          await pause(5);
          await sweepBlobs(other, new Set(), 0);
          assert.notEqual(await t.notebook.store.blobSize(sha(second)), undefined, "the file the older put's notebook refers to stays");
          // 2. an older version's put in the same millisecond as the score the sweep read, between its read and its re-index
          const third = randomBytes(1102);
          const thirdUri = await uploadInto(t.visitor(), third, false);
          const at2 = Date.now();
          await raw.zadd(`${prefix}sessions`, "XX", at2, id);
          await pause(5);
          await raw.call("CLIENT", "PAUSE", "2000", "WRITE");
          const put = olderPut(thirdUri, at2); // held by Redis, queued before the sweep's re-index
          await pause(100);
          const marking = other.sessionBlobIds?.();
          await pause(100);
          await raw.call("CLIENT", "UNPAUSE");
          await put;
          assert.ok(!(await marking)?.has(sha(third)), "the sweep read the notebook before the older put");
          assert.equal(Number(await raw.zscore(`${prefix}sessions`, id)), at2, "the re-index did not apply: the notebook changed");
          await sweepBlobs(other, new Set(), 0);
          assert.notEqual(await t.notebook.store.blobSize(sha(third)), undefined, "the file the older put's notebook refers to stays");
        } finally {
          await raw.call("CLIENT", "UNPAUSE").catch(() => {});
          raw.disconnect();
          older.disconnect();
          await other.close();
          await t.close();
        }
      });

    if (kind === "redis")
      test("fault: an entry stamped with a whole-ms score (as the previous re-index wrote it) is not trusted, nor made trusted by a touch", async () => {
        const { t, prefix } = await start();
        const other = await reopen(t, prefix);
        const { Redis } = await import("ioredis");
        const raw = new Redis(redis.url as string);
        try {
          const file = randomBytes(1200);
          await uploadInto(t.visitor(), file, true);
          const id = await sessionWithNotebook(t.notebook.store);
          /** constructed: the entry the previous re-index wrote (score T, whole ms) that an older put in ms T left stale */
          const stale = async () => {
            const at = Date.now();
            await raw.zadd(`${prefix}sessions`, "XX", at, id);
            await raw.hset(`${prefix}session-blobs`, id, `${at}|${sha(randomBytes(8))}`);
          };
          await stale();
          await pause(5);
          await sweepBlobs(other, new Set(), 0);
          assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined, "the file the notebook refers to stays");
          await stale();
          await t.notebook.store.touchSession(id, 60_000);
          assert.ok(!(await raw.hget(`${prefix}session-blobs`, id))?.includes(".5|"), "the touch did not stamp the entry");
          await pause(5);
          await sweepBlobs(other, new Set(), 0);
          assert.notEqual(await t.notebook.store.blobSize(sha(file)), undefined, "the file stays after a touch too");
        } finally {
          raw.disconnect();
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
