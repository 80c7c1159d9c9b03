import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type AIConfig, parseConfigText } from "@aiconfig-ts/core";
import { OWNER_CONFIG, type TestNotebook, startTestNotebook, testConfig } from "./server.test.helper.js";

const edited = (c: AIConfig, input: string): AIConfig => ({
  ...c,
  prompts: c.prompts.map((p, i) => (i === 0 ? { ...p, input } : p)),
});

describe("visitor sessions", () => {
  let t: TestNotebook;
  let ownerBytes: Buffer;
  before(async () => {
    t = await startTestNotebook();
    ownerBytes = readFileSync(t.file);
  });
  after(async () => {
    await t.close();
    assert.deepEqual(readFileSync(t.file), ownerBytes, "the owner's file is byte-identical at the end");
  });

  test("each visitor starts from the owner's notebook; one visitor's edits and outputs are not another's", async () => {
    const a = t.visitor();
    const b = t.visitor();
    const sa = await a.state();
    assert.deepEqual(sa.config, OWNER_CONFIG);
    const mine = edited(sa.config, "Hi {{who}} from A");
    assert.equal((await a.call("/api/save", { json: { config: mine, baseVersion: "session" } })).status, 200);
    const events = await a.run({ config: mine, mode: "one", prompt: "greet" });
    assert.ok(events.some((e) => e.type === "outputs" && e.prompt === "greet"));
    assert.equal((await a.state()).config.prompts[0]!.input, "Hi {{who}} from A", "A's edit survives a reload");
    assert.equal((await a.state()).config.prompts[0]!.outputs?.[0]?.data, "Hi world from A", "A's output is stored in A's session");
    const sb = await b.state();
    assert.deepEqual(sb.config, OWNER_CONFIG, "B sees the owner's notebook, not A's edits or outputs");
  });

  test("a request without a session cookie gets no one's notebook", async () => {
    const stranger = t.visitor();
    const res = await stranger.call("/api/download?format=json");
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { error: string }).error, /reload the page/);
  });

  test("keys entered by a visitor are used for their runs but never sent back, stored in a file, downloaded or shared", async () => {
    const a = t.visitor();
    await a.state();
    const key = "sk-visitor-secret-0123456789";
    const res = await a.call("/api/keys", { method: "PUT", json: { OPENAI_API_KEY: key } });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(!text.includes(key));
    assert.deepEqual(
      (JSON.parse(text) as { env: string; set: boolean }[]).filter((k) => k.set).map((k) => k.env),
      ["OPENAI_API_KEY"],
    );
    const state = JSON.stringify(await a.state());
    assert.ok(!state.includes(key), "the state never holds the key");
    assert.ok(state.includes('"OPENAI_API_KEY","label":"OpenAI API key","set":true'));
    const download = await (await a.call("/api/download?format=yaml")).text();
    assert.ok(!download.includes(key));
    const share = (await (await a.call("/api/share", { json: {} })).json()) as { id: string };
    const snapshot = await (await a.call(`/s/${share.id}/api/state`)).text();
    assert.ok(!snapshot.includes(key));
    for (const dir of ["sessions", "snapshots", "blobs"])
      for (const f of readdirSync(join(t.dir, ".aiconfig-serve", dir)))
        assert.ok(!readFileSync(join(t.dir, ".aiconfig-serve", dir, f), "latin1").includes(key), `${dir}/${f} holds no key`);
    const other = t.visitor();
    const otherState = await other.state();
    assert.ok(
      otherState.hosted.keys.every((k) => !k.set),
      "another visitor has no keys",
    );
  });

  test("download gives the session's notebook as JSON or YAML that the SDK loads, equal to the visitor's notebook", async () => {
    const a = t.visitor();
    const mine = edited((await a.state()).config, "Downloaded {{who}}");
    await a.call("/api/save", { json: { config: mine, baseVersion: "session" } });
    const json = await a.call("/api/download?format=json");
    assert.match(json.headers.get("content-disposition") ?? "", /attachment; filename="owner\.aiconfig\.json"/);
    assert.deepEqual(parseConfigText(await json.text(), "x.json").data, mine);
    const yaml = await (await a.call("/api/download?format=yaml")).text();
    assert.deepEqual(parseConfigText(yaml, "x.yaml").data, mine);
  });

  test("upload (open) replaces the session's notebook; an invalid file is refused with the reason", async () => {
    const a = t.visitor();
    await a.state();
    const uploaded = testConfig([{ name: "up", input: "uploaded", metadata: { model: "echo" } }]);
    const ok = await a.call("/api/open", { json: { name: "mine.aiconfig.json", text: JSON.stringify(uploaded) } });
    assert.equal(ok.status, 200);
    assert.deepEqual((await a.state()).config, uploaded);
    const bad = await a.call("/api/open", { json: { name: "bad.yaml", text: "prompts: [1, 2" } });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /^not opened: /);
    assert.deepEqual((await a.state()).config, uploaded, "a refused upload changes nothing");
  });

  test("share gives an unguessable read-only link; the snapshot has the outputs; 'open a copy' continues from it", async () => {
    const a = t.visitor();
    const config = (await a.state()).config;
    await a.run({ config, mode: "one", prompt: "greet" });
    const shared = (await (await a.call("/api/share", { json: {} })).json()) as { id: string; url: string };
    assert.match(shared.id, /^[A-Za-z0-9_-]{32}$/);
    assert.equal(shared.url, `http://notebook.test/s/${shared.id}/`);
    const b = t.visitor();
    const snap = (await (await b.call(`/s/${shared.id}/api/state`)).json()) as { readOnly: boolean; config: AIConfig };
    assert.equal(snap.readOnly, true);
    assert.equal(snap.config.prompts[0]!.outputs?.[0]?.data, "Hello world");
    const refused = await b.call(`/s/${shared.id}/api/runs`, { json: { config, mode: "one", prompt: "greet" } });
    assert.equal(refused.status, 403, "a snapshot cannot be run or changed");
    const copy = await b.call(`/s/${shared.id}/api/copy`, { json: {} });
    assert.equal(copy.status, 200);
    assert.equal((await b.state()).config.prompts[0]!.outputs?.[0]?.data, "Hello world", "B's copy has A's outputs");
    assert.equal((await b.call("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/api/state")).status, 404);
  });

  test("start over returns to the owner's notebook", async () => {
    const a = t.visitor();
    await a.call("/api/save", { json: { config: edited((await a.state()).config, "changed"), baseVersion: "session" } });
    await a.call("/api/reset", { json: {} });
    assert.deepEqual((await a.state()).config, OWNER_CONFIG);
  });
});

describe("session expiry and caps", () => {
  test("past --max-sessions the least recently used session is evicted; an expired cookie starts a new session", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { maxSessions: 2 });
    try {
      const [a, b, c] = [t.visitor(), t.visitor(), t.visitor()];
      await a.call("/api/save", { json: { config: edited((await a.state()).config, "A"), baseVersion: "session" } });
      await new Promise((r) => setTimeout(r, 20));
      await b.state();
      await new Promise((r) => setTimeout(r, 20));
      await c.state();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await a.call("/api/download")).status, 401, "A's session was evicted");
      assert.deepEqual((await a.state()).config, OWNER_CONFIG, "A starts again from the owner's notebook");
    } finally {
      await t.close();
    }
  });

  test("a session evicted while its run is going is not brought back by the run's outputs, and does not evict another", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { maxSessions: 1 });
    try {
      const [a, b] = [t.visitor(), t.visitor()];
      await a.state();
      const slow = testConfig([
        { name: "p", input: "one two three four", metadata: { model: { name: "slow-echo", settings: { delay_ms: 60 } } } },
      ]);
      assert.equal((await a.call("/api/runs", { json: { config: slow, mode: "one", prompt: "p" } })).status, 200);
      await b.state();
      await new Promise((r) => setTimeout(r, 800));
      assert.equal((await a.call("/api/download")).status, 401, "A stays evicted after its run ended");
      assert.equal((await b.call("/api/download")).status, 200, "B, the one session kept, is still there");
    } finally {
      await t.close();
    }
  });

  test("a session unused for longer than the session TTL expires", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { sessionTtlMs: 1000 });
    try {
      const a = t.visitor();
      await a.state();
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal((await t.notebook.sweep()).sessions, 1);
      assert.equal((await a.call("/api/download")).status, 401);
    } finally {
      await t.close();
    }
  });
});
