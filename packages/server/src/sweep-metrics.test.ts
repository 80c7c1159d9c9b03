// --metrics shows what the bounds removed (sessions by --session-ttl, --max-sessions, --max-memory; files swept) and
// what the store keeps, on both stores: a folder, and a real redis-server. Assertions are on the scraped text.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import type { NotebookAppOptions } from "./create-notebook-app.js";
import { RedisStore } from "./redis-store.js";
import { OWNER_CONFIG, type TestNotebook, type Visitor, redisForStore, startTestNotebook } from "./server.test.helper.js";

const OWNER_TOKEN = "owner-token-for-tests-0123456789";
const padded = (c: AIConfig, n: number): AIConfig => ({ ...c, description: "x".repeat(n) });
const save = (v: Visitor, config: AIConfig) => v.call("/api/save", { json: { config, baseVersion: "session" } });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The owner scrapes /metrics. */
async function scrape(t: TestNotebook): Promise<string> {
  const res = await t.visitor().call("/metrics", { headers: { authorization: `Bearer ${OWNER_TOKEN}` } });
  assert.equal(res.status, 200);
  return res.text();
}

/** The value of one sample in the scraped text (`undefined` when absent). */
function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

for (const kind of ["folder", "redis"] as const) {
  describe(`metrics of the sweeps (${kind} store)`, () => {
    const redis = redisForStore(kind);
    let n = 0;
    const start = async (options: Partial<NotebookAppOptions>) => {
      const store = redis.url ? await RedisStore.connect(redis.url, `m${n++}:`) : undefined;
      return startTestNotebook(OWNER_CONFIG, { metrics: true, ownerToken: OWNER_TOKEN, ...options, ...(store ? { store } : {}) });
    };

    test("sessions evicted past --max-sessions and past --max-memory are counted by reason; the gauges show what is kept", async () => {
      const t = await start({ maxSessions: 2, maxMemoryBytes: 30_000 });
      try {
        const [a, b, c] = [t.visitor(), t.visitor(), t.visitor()];
        for (const v of [a, b, c]) {
          await v.state();
          await pause(5);
        }
        await t.notebook.sweep();
        let text = await scrape(t);
        assert.equal(sample(text, 'aiconfig_serve_sessions_removed_total{reason="max_sessions"}'), 1, "A went past --max-sessions");
        assert.equal(sample(text, 'aiconfig_serve_sessions_removed_total{reason="max_memory"}'), undefined);
        assert.equal(sample(text, "aiconfig_serve_sessions_stored"), 2);
        assert.equal((await a.call("/api/download")).status, 401);

        assert.equal((await save(c, padded(OWNER_CONFIG, 18_000))).status, 200);
        await pause(5);
        assert.equal((await save(b, padded(OWNER_CONFIG, 14_000))).status, 200, "B now holds enough to take the store past --max-memory");
        await t.notebook.sweep();
        text = await scrape(t);
        assert.equal(sample(text, 'aiconfig_serve_sessions_removed_total{reason="max_memory"}'), 1, "C, the least recently used, went");
        assert.equal(sample(text, 'aiconfig_serve_sessions_removed_total{reason="max_sessions"}'), 1, "no more went past --max-sessions");
        assert.equal(sample(text, 'aiconfig_serve_sessions_removed_total{reason="expired"}'), undefined);
        assert.equal((await c.call("/api/download")).status, 401);
        assert.equal(sample(text, "aiconfig_serve_sessions_stored"), 1);
        const bytes = sample(text, "aiconfig_serve_session_bytes");
        assert.equal(bytes, await t.notebook.store.sessionBytes());
        assert.ok(bytes !== undefined && bytes > 14_000 && bytes <= 30_000, `B's bytes are reported (${bytes})`);
      } finally {
        await t.close();
      }
    });

    test("sessions unused past --session-ttl are counted as expired, and swept files as swept", async () => {
      const t = await start({ sessionTtlMs: 600, blobGraceMs: 0 });
      try {
        const a = t.visitor();
        await a.state();
        const res = await a.call("/api/attachments", {
          json: { name: "unused.png", mimeType: "image/png", base64: randomBytes(500).toString("base64") },
        });
        assert.equal(res.status, 200, "A uploads a file and never uses it");
        await pause(700);
        assert.deepEqual(await t.notebook.sweep(), { sessions: 1, blobs: 1 });
        const text = await scrape(t);
        assert.equal(sample(text, 'aiconfig_serve_sessions_removed_total{reason="expired"}'), 1);
        assert.equal(sample(text, 'aiconfig_serve_sessions_removed_total{reason="max_sessions"}'), undefined);
        assert.equal(sample(text, "aiconfig_serve_blobs_swept_total"), 1);
        assert.equal(sample(text, "aiconfig_serve_sessions_stored"), 0);
        assert.equal(sample(text, "aiconfig_serve_session_bytes"), 0);
      } finally {
        await t.close();
      }
    });
  });
}
