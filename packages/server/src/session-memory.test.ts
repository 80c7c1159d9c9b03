// The memory a hosted notebook gives its sessions (--max-memory, the per-session limit) and the sweep of uploaded files,
// on both stores: a folder, and a real redis-server.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import type { NotebookAppOptions } from "./create-notebook-app.js";
import type { NotebookStore } from "./notebook-store.js";
import { RedisStore } from "./redis-store.js";
import { OWNER_CONFIG, type TestNotebook, type Visitor, redisForStore, startTestNotebook, testConfig } from "./server.test.helper.js";

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const padded = (c: AIConfig, n: number): AIConfig => ({ ...c, description: "x".repeat(n) });
const save = (v: Visitor, config: AIConfig) => v.call("/api/save", { json: { config, baseVersion: "session" } });
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function upload(v: Visitor, bytes: Buffer, name = "photo.png"): Promise<Response> {
  return v.call("/api/attachments", { json: { name, mimeType: "image/png", base64: bytes.toString("base64") } });
}

/** A notebook whose one prompt has the uploaded file `uri` as an attachment. */
const withAttachment = (uri: string): AIConfig =>
  testConfig([
    {
      name: "look",
      input: { data: "what is this?", attachments: [{ data: { kind: "file_uri", value: uri }, mime_type: "image/png" }] },
      metadata: { model: "echo" },
    },
  ]);

for (const kind of ["folder", "redis"] as const) {
  describe(`session memory and uploaded files (${kind} store)`, () => {
    const redis = redisForStore(kind);
    let n = 0;
    const start = async (config: AIConfig, options: Partial<NotebookAppOptions> & { files?: Record<string, Buffer> } = {}) => {
      const store: NotebookStore | undefined = redis.url ? await RedisStore.connect(redis.url, `t${n++}:`) : undefined;
      return startTestNotebook(config, { ...options, ...(store ? { store } : {}) });
    };

    test("past --max-memory the least recently used session is evicted, not the oldest created one", async () => {
      const t = await start(OWNER_CONFIG, { maxMemoryBytes: 30_000 });
      try {
        const [a, b, c, d] = [t.visitor(), t.visitor(), t.visitor(), t.visitor()];
        for (const v of [a, b, c]) {
          assert.equal((await save(v, padded((await v.state()).config, 8000))).status, 200);
          await pause(5);
        }
        assert.equal((await save(a, padded(OWNER_CONFIG, 8001))).status, 200, "A uses its session again");
        await pause(5);
        assert.equal((await save(d, padded((await d.state()).config, 8000))).status, 200);
        const swept = await t.notebook.sweep();
        assert.ok(swept.sessions <= 1, "at most the one session the cap needed went in the sweep");
        assert.equal((await b.call("/api/download")).status, 401, "B, the least recently used, was evicted");
        for (const v of [a, c, d]) assert.equal((await v.call("/api/download")).status, 200, "the others are kept");
        assert.ok((await t.notebook.store.sessionBytes()) <= 30_000, "the sessions hold no more than --max-memory");
      } finally {
        await t.close();
      }
    });

    test("a session is refused, with one line, what would take it past its limit: a notebook, its uploaded files, an upload", async () => {
      const t = await start(OWNER_CONFIG, { limits: { sessionBytes: 6000 } });
      try {
        const a = t.visitor();
        await a.state();
        const file = randomBytes(4000);
        const uploaded = await upload(a, file);
        assert.equal(uploaded.status, 200);
        const { file_uri } = (await uploaded.json()) as { file_uri: string };
        const tooBig = await save(a, padded(withAttachment(file_uri), 2500));
        assert.equal(tooBig.status, 413, "the notebook is small, but with its uploaded file the session would hold too much");
        const message = await errorOf(tooBig);
        assert.match(
          message,
          /^not saved: this session would hold .+ \(notebook, outputs and uploaded files\), more than a session keeps \(5\.9 KB\): clear some outputs or remove attachments$/,
        );
        assert.ok(!message.includes("\n"));
        assert.equal((await save(a, padded(OWNER_CONFIG, 2500))).status, 200, "the same notebook without the file is kept");
        const again = await upload(a, randomBytes(4000), "second.png");
        assert.equal(again.status, 413);
        assert.match(await errorOf(again), /^not uploaded: this session would hold .+, more than a session keeps/);
        const run = await a.call("/api/runs", { json: { config: padded(OWNER_CONFIG, 7000), mode: "one", prompt: "greet" } });
        assert.equal(run.status, 413);
        assert.match(await errorOf(run), /^not run: this session would hold/);
      } finally {
        await t.close();
      }
    });

    test("uploaded files no session, snapshot or the owner's notebook refers to are deleted; an evicted session's files go with it", async () => {
      const ownerFile = randomBytes(300);
      const owner = testConfig([
        {
          name: "look",
          input: { data: "owner's", attachments: [{ data: { kind: "file_uri", value: "cat.png" }, mime_type: "image/png" }] },
          metadata: { model: "echo" },
        },
      ]);
      const t: TestNotebook = await start(owner, { files: { "cat.png": ownerFile }, maxSessions: 3, blobGraceMs: 0 });
      const stored = async (b: Buffer) => (await t.notebook.store.blobSize(sha(b))) !== undefined;
      try {
        const [a, b, c] = [t.visitor(), t.visitor(), t.visitor()];
        const [x, y, z] = [randomBytes(1000), randomBytes(1001), randomBytes(1002)];
        await a.state();
        await save(a, withAttachment(((await (await upload(a, x)).json()) as { file_uri: string }).file_uri));
        await b.state();
        assert.equal((await upload(b, y)).status, 200, "B uploads a file and never uses it");
        await c.state();
        await save(c, withAttachment(((await (await upload(c, z)).json()) as { file_uri: string }).file_uri));
        const shared = (await (await c.call("/api/share", { json: {} })).json()) as { id: string };
        await c.call("/api/reset", { json: {} });
        await pause(5);
        assert.deepEqual(await t.notebook.sweep(), { sessions: 0, blobs: 1 });
        assert.equal(await stored(y), false, "B's unused upload was deleted");
        assert.equal(await stored(x), true, "A's session refers to its file");
        assert.equal(await stored(z), true, "C's snapshot refers to its file");
        assert.equal(await stored(ownerFile), true, "the owner's file stays");
        if (kind === "folder") assert.equal(existsSync(join(t.dir, ".aiconfig-serve", "blobs", sha(y))), false);

        for (const v of [t.visitor(), t.visitor()]) {
          await pause(5);
          await v.state();
        }
        await pause(5);
        const swept = await t.notebook.sweep();
        assert.equal(swept.blobs, 1, "A's file went with A's session");
        assert.equal((await a.call("/api/download")).status, 401, "A was evicted (past --max-sessions)");
        assert.equal(await stored(x), false);
        assert.equal(await stored(z), true);
        assert.equal(await t.notebook.store.deleteSnapshot(shared.id), true, "the owner deletes the snapshot");
        assert.equal((await t.notebook.sweep()).blobs, 1);
        assert.equal(await stored(z), false, "the deleted snapshot's file went");
        assert.equal(await stored(ownerFile), true, "the owner's file stays, referred to by no session");
      } finally {
        await t.close();
      }
    });

    if (kind === "redis")
      test("files an older server stored (no 'stored at' entry) are swept too, after their grace period, unless a session refers to them", async () => {
        const t: TestNotebook = await start(OWNER_CONFIG, { blobGraceMs: 0 });
        const stored = async (b: Buffer) => (await t.notebook.store.blobSize(sha(b))) !== undefined;
        const { Redis } = await import("ioredis");
        const raw = new Redis(redis.url!);
        try {
          const [orphan, used] = [randomBytes(500), randomBytes(501)];
          const prefix = `t${n - 1}:`;
          // as a server before the sweep stored them: the bytes only, no entry in the sorted set of stored files
          for (const b of [orphan, used]) await raw.set(`${prefix}blob:${sha(b)}`, b);
          const a = t.visitor();
          await a.state();
          await save(a, withAttachment(`attachments/${sha(used)}.png`));
          await pause(5);
          await t.notebook.sweep();
          assert.equal(await stored(orphan), true, "a file first seen by this sweep gets its grace period");
          await pause(5);
          assert.equal((await t.notebook.sweep()).blobs, 1);
          assert.equal(await stored(orphan), false, "the old file nothing refers to went");
          assert.equal(await stored(used), true, "the old file a session refers to stays");
        } finally {
          raw.disconnect();
          await t.close();
        }
      });
  });
}
