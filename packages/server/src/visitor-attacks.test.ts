// Each test is an attack a visitor of a hosted notebook could try, and checks it fails.
import assert from "node:assert/strict";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { AIConfig, ModelSettings, Provider } from "@aiconfig-ts/core";
import type { RunEvent } from "@aiconfig-ts/editor";
import { type ReplayServer, sharedDir, startReplayServer } from "@aiconfig-ts/testing";
import { OWNER_CONFIG, type TestNotebook, startTestNotebook, testConfig, testRegistry } from "./server.test.helper.js";

const OWNER_KEY = "sk-owner-key-DO-NOT-LEAK-0123456789";
const VISITOR_KEY = "sk-visitor-key-abcdef0123456789";

/** The recorded OpenAI chat stream (real reply, `openai-text.chunks.txt`). */
const CHUNKS = readFileSync(join(sharedDir, "fixtures", "providers", "openai", "openai-text.chunks.txt"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "");

const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;
const authOf = (r: ReplayServer["requests"][number]) => String(r.headers.authorization ?? "");

describe("attacks on the server's files and code", () => {
  let t: TestNotebook;
  before(async () => {
    t = await startTestNotebook();
    writeFileSync(join(t.dir, "secret.txt"), "the owner's secret file\n");
  });
  after(() => t.close());

  test("an attachment naming a server path (absolute, ../, file: URL, beside the owner's file) is refused, not read", async () => {
    const v = t.visitor();
    await v.state();
    for (const value of ["/etc/hostname", "../../../etc/passwd", "secret.txt", "file:///etc/hostname", join(t.dir, "secret.txt")]) {
      const config = testConfig([
        {
          name: "p",
          input: { data: "describe", attachments: [{ data: { kind: "file_uri", value }, mime_type: "text/plain" }] },
          metadata: { model: "echo" },
        },
      ]);
      const res = await v.call("/api/runs", { json: { config, mode: "one", prompt: "p" } });
      assert.equal(res.status, 400, value);
      assert.match(await errorOf(res), /is a path on the server, which a hosted notebook never reads: upload the file/);
    }
  });

  test("an output naming a server path (handed on by {{NAME.output}}, or sent back in the chat context as Gemini sends images) is refused, not read", async () => {
    const v = t.visitor();
    await v.state();
    for (const value of ["secret.txt", "owner.aiconfig.json", "/etc/hostname", "../../../etc/passwd", "file:///etc/hostname"]) {
      const config = testConfig([
        {
          name: "draw",
          input: "draw",
          metadata: { model: "echo" },
          outputs: [{ output_type: "execute_result", execution_count: 0, data: { kind: "file_uri", value }, mime_type: "image/png" }],
        },
        { name: "p", input: "describe {{draw.output}}", metadata: { model: "echo" } },
      ]);
      const res = await v.call("/api/runs", { json: { config, mode: "one", prompt: "p" } });
      assert.equal(res.status, 400, value);
      assert.match(await errorOf(res), /prompt "draw", output 1: .* is a path on the server, which a hosted notebook never reads/);
    }
    // a file in the store (an upload) may be an output: it is inlined from the store and the run goes ahead
    const uploaded = await v.call("/api/attachments", {
      json: { name: "cat.png", mimeType: "image/png", base64: Buffer.from("not really a png").toString("base64") },
    });
    const { file_uri } = (await uploaded.json()) as { file_uri: string };
    const config = testConfig([
      {
        name: "draw",
        input: "draw",
        metadata: { model: "echo" },
        outputs: [
          { output_type: "execute_result", execution_count: 0, data: { kind: "file_uri", value: file_uri }, mime_type: "image/png" },
        ],
      },
      { name: "p", input: "describe {{draw.output}}", metadata: { model: "echo" } },
    ]);
    const events = await v.run({ config, mode: "one", prompt: "p" });
    assert.ok(
      events.some((e) => e.type === "done" && e.ok),
      JSON.stringify(events),
    );
  });

  test("/api/files serves only files uploaded into the store, never a path on the server", async () => {
    const v = t.visitor();
    await v.state();
    for (const path of ["secret.txt", "../secret.txt", "/etc/passwd", "owner.aiconfig.json", ".aiconfig-serve/secret"]) {
      const res = await v.call(`/api/files?path=${encodeURIComponent(path)}`);
      assert.equal(res.status, 404, path);
      assert.ok(!(await res.text()).includes("secret file"));
    }
  });

  test("an uploaded file (even named aiconfig.providers.mjs or ../x) lands in the store, not beside the owner's file, and is never loaded as code", async () => {
    const v = t.visitor();
    await v.state();
    const before = readdirSync(t.dir).sort();
    const code = "export function register(r){ globalThis.PWNED = true; }";
    for (const name of ["aiconfig.providers.mjs", "../../escape.mjs"]) {
      const res = await v.call("/api/attachments", {
        json: { name, mimeType: "text/javascript", base64: Buffer.from(code).toString("base64") },
      });
      assert.equal(res.status, 200);
      assert.match(((await res.json()) as { file_uri: string }).file_uri, /^attachments\/[0-9a-f]{64}\.mjs$/);
    }
    assert.deepEqual(readdirSync(t.dir).sort(), before, "nothing new beside the owner's file");
    const config = testConfig([{ name: "p", input: "x", metadata: { model: "pwned" } }], {
      metadata: { parameters: {}, model_parsers: { pwned: "./aiconfig.providers.mjs" } },
    });
    const events = await v.run({ config, mode: "one", prompt: "p" });
    assert.equal((globalThis as { PWNED?: boolean }).PWNED, undefined, "the uploaded module never ran");
    assert.ok(events.some((e) => e.type === "error" || (e.type === "done" && !e.ok)));
  });

  test("a setting naming a server file (model_path, *_dir) is refused unless the owner's notebook has it with that value", async () => {
    const owner = testConfig([{ name: "p", input: "hi", metadata: { model: { name: "echo", settings: { cache_dir: "models" } } } }]);
    const t2 = await startTestNotebook(owner);
    try {
      const v = t2.visitor();
      const config = (await v.state()).config;
      const ok = await v.run({ config, mode: "one", prompt: "p" });
      assert.ok(
        ok.some((e) => e.type === "outputs"),
        "the owner's own setting runs",
      );
      for (const settings of [{ cache_dir: "/etc" }, { model_path: "/etc/passwd" }] as ModelSettings[]) {
        const bad: AIConfig = { ...config, prompts: [{ ...config.prompts[0]!, metadata: { model: { name: "echo", settings } } }] };
        const res = await v.call("/api/runs", { json: { config: bad, mode: "one", prompt: "p" } });
        assert.equal(res.status, 400);
        assert.match(await errorOf(res), /names a file on the server, which a hosted notebook does not open/);
      }
    } finally {
      await t2.close();
    }
  });
});

describe("attacks on the owner's keys", () => {
  let replay: ReplayServer;
  before(async () => {
    replay = await startReplayServer();
    replay.fallback((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const c of CHUNKS) res.write(`data: ${c}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  after(() => replay.close());
  const chat = (settings: ModelSettings = {}) =>
    testConfig([{ name: "ask", input: "Invent a holiday", metadata: { model: { name: "gpt-4o-mini", settings } } }]);

  test("a visitor-set base_url never receives the owner's key, even with --share-owner-keys", async () => {
    const t = await startTestNotebook(chat(), { openai: true, shareOwnerKeys: true, ownerEnv: { OPENAI_API_KEY: OWNER_KEY } });
    try {
      const v = t.visitor();
      await v.state();
      replay.requests.length = 0;
      const attack = chat({ base_url: `${replay.url}/v1` });
      const without = await v.run({ config: attack, mode: "one", prompt: "ask" });
      assert.ok(
        without.some((e) => e.type === "error" && /OPENAI_API_KEY/.test(e.message)),
        "no key: the run fails",
      );
      assert.equal(replay.requests.length, 0, "the visitor's endpoint got nothing");
      await v.call("/api/keys", { method: "PUT", json: { OPENAI_API_KEY: VISITOR_KEY } });
      await v.run({ config: attack, mode: "one", prompt: "ask" });
      assert.ok(
        replay.requests.every((r) => !authOf(r).includes(OWNER_KEY)),
        "the owner's key never reached the visitor's endpoint",
      );
      assert.ok(
        replay.requests.every((r) => authOf(r) === `Bearer ${VISITOR_KEY}`),
        "only the visitor's own key went there",
      );
    } finally {
      await t.close();
    }
  });

  test("a visitor's failed prompt stores and shows its error output without the stack of the server's code", async () => {
    const t = await startTestNotebook(chat(), { openai: true });
    try {
      const v = t.visitor();
      const config = (await v.state()).config;
      const events = await v.run({ config, mode: "one", prompt: "ask" });
      const failed = events.find((e: RunEvent) => e.type === "error");
      assert.ok(failed?.type === "error" && failed.outputs?.[0]?.output_type === "error", JSON.stringify(events));
      const [shown] = failed.outputs ?? [];
      assert.ok(shown?.output_type === "error");
      assert.match(shown.evalue, /OPENAI_API_KEY/, "the message is kept");
      assert.deepEqual(shown.traceback, [], "no stack frames reach the page");
      const stored = (await v.state()).config.prompts[0]?.outputs?.[0];
      assert.ok(stored?.output_type === "error");
      assert.deepEqual(stored.traceback, [], "nor the session's notebook");
    } finally {
      await t.close();
    }
  });

  test("with --share-owner-keys the owner's key goes to the owner's endpoint, and nothing the page gets holds it", async () => {
    const t = await startTestNotebook(chat(), {
      openai: true,
      shareOwnerKeys: true,
      ownerEnv: { OPENAI_API_KEY: OWNER_KEY, OPENAI_BASE_URL: `${replay.url}/v1` },
    });
    try {
      const v = t.visitor();
      const config = (await v.state()).config;
      replay.requests.length = 0;
      const events = await v.run({ config, mode: "one", prompt: "ask" });
      assert.ok(events.some((e) => e.type === "outputs"));
      assert.equal(authOf(replay.requests[0]!), `Bearer ${OWNER_KEY}`);
      assert.ok(!JSON.stringify(events).includes(OWNER_KEY));
      assert.ok(!JSON.stringify(await v.state()).includes(OWNER_KEY));
    } finally {
      await t.close();
    }
  });

  test("without --share-owner-keys a visitor's run never uses the owner's key", async () => {
    const t = await startTestNotebook(chat(), {
      openai: true,
      ownerEnv: { OPENAI_API_KEY: OWNER_KEY, OPENAI_BASE_URL: `${replay.url}/v1` },
    });
    try {
      const v = t.visitor();
      const config = (await v.state()).config;
      replay.requests.length = 0;
      const events = await v.run({ config, mode: "one", prompt: "ask" });
      assert.ok(events.some((e: RunEvent) => e.type === "error" && /OPENAI_API_KEY/.test(e.message)));
      assert.equal(replay.requests.length, 0);
      const openaiKeySet = async () =>
        (await v.state()).providers.find((p) => p.keySet !== undefined && /openai/i.test(p.id) && !/compatible|azure/i.test(p.id))?.keySet;
      assert.equal(await openaiKeySet(), false, "the pickers do not count the owner's key as the visitor's");
      await v.call("/api/keys", { method: "PUT", json: { OPENAI_API_KEY: VISITOR_KEY } });
      assert.equal(await openaiKeySet(), true, "the visitor's own key counts");
    } finally {
      await t.close();
    }
  });

  test("a credential a provider declares under a name no key pattern matches never reaches a visitor's run, and a visitor's key replaces its whole family", async () => {
    // constructed provider: declares two names of one passphrase (neither ends in KEY/TOKEN/SECRET) and reports which it got (lengths only)
    const acme: Provider = {
      id: "acme",
      capabilities: { tasks: ["text-generation"], streams: false, chat: false, credentials: ["ACME_PASSPHRASE", "ACME_LEGACY_PASSPHRASE"] },
      servesModel: (m) => m === "acme-1",
      resolve: () => ({}),
      run: async (_request, context) => [
        {
          output_type: "execute_result",
          execution_count: 0,
          data: `current ${context.env.ACME_PASSPHRASE?.length ?? 0}, legacy ${context.env.ACME_LEGACY_PASSPHRASE?.length ?? 0}`,
        },
      ],
    };
    const registry = await testRegistry();
    registry.register(acme);
    const config = testConfig([{ name: "ask", input: "hi", metadata: { model: "acme-1" } }]);
    const ownerEnv = { ACME_PASSPHRASE: "owner-passphrase-12", ACME_LEGACY_PASSPHRASE: "owner-legacy-passphrase-23" };
    const answer = async (events: RunEvent[]) =>
      (events.find((e) => e.type === "outputs") as { outputs: { data: string }[] }).outputs[0]!.data;
    const closed = await startTestNotebook(config, { registry, ownerEnv });
    try {
      const v = closed.visitor();
      const state = await v.state();
      assert.ok(
        state.hosted.keys.some((k) => k.env === "ACME_PASSPHRASE"),
        "the keys panel offers the key the provider declares",
      );
      assert.equal(await answer(await v.run({ config, mode: "one", prompt: "ask" })), "current 0, legacy 0");
    } finally {
      await closed.close();
    }
    const shared = await startTestNotebook(config, { registry, ownerEnv, shareOwnerKeys: true });
    try {
      const v = shared.visitor();
      await v.state();
      assert.equal(await answer(await v.run({ config, mode: "one", prompt: "ask" })), "current 19, legacy 26", "the owner shares keys");
      await v.call("/api/keys", { method: "PUT", json: { ACME_PASSPHRASE: "visitor-passphrase-of-length-35xxx" } });
      assert.equal(
        await answer(await v.run({ config, mode: "one", prompt: "ask" })),
        "current 34, legacy 0",
        "the visitor's key replaced the owner's, under both names",
      );
    } finally {
      await shared.close();
    }
  });

  test("a remote attachment URL (loopback, link-local metadata, private) is not fetched by the server", async () => {
    const t = await startTestNotebook();
    try {
      const v = t.visitor();
      await v.state();
      replay.requests.length = 0;
      for (const url of [
        `${replay.url}/internal`,
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "https://example.com/cat.png",
      ]) {
        const config = testConfig([
          {
            name: "p",
            input: { data: "x", attachments: [{ data: { kind: "file_uri", value: url }, mime_type: "image/png" }] },
            metadata: { model: "echo" },
          },
        ]);
        const res = await v.call("/api/runs", { json: { config, mode: "one", prompt: "p" } });
        assert.equal(res.status, 400);
        assert.match(await errorOf(res), /does not fetch remote URLs/);
      }
      assert.equal(replay.requests.length, 0, "the server fetched nothing");
    } finally {
      await t.close();
    }
  });
});

describe("attacks from other sites (CSRF, framing, cookies)", () => {
  let t: TestNotebook;
  before(async () => {
    t = await startTestNotebook();
  });
  after(() => t.close());

  test("a state-changing request from another origin is refused, whatever its body type", async () => {
    const v = t.visitor();
    await v.state();
    const evil = { ...OWNER_CONFIG, name: "evil" };
    const routes = ["/api/save", "/api/open", "/api/share", "/api/reset", "/api/runs"];
    for (const path of routes) {
      const res = await v.call(path, { json: { config: evil, baseVersion: "session" }, headers: { origin: "http://evil.example" } });
      assert.equal(res.status, 403, path);
    }
    const form = await v.call("/api/save", {
      method: "POST",
      body: JSON.stringify({ config: evil, baseVersion: "x" }),
      headers: { origin: "http://evil.example", "content-type": "text/plain" },
    });
    assert.equal(form.status, 403);
    const noOrigin = await v.call("/api/save", {
      method: "POST",
      body: JSON.stringify({ config: evil, baseVersion: "x" }),
      headers: { origin: "", "sec-fetch-site": "cross-site", "content-type": "application/json" },
    });
    assert.equal(noOrigin.status, 403);
    const sameOriginText = await v.call("/api/save", {
      method: "POST",
      body: JSON.stringify({ config: evil, baseVersion: "x" }),
      headers: { "content-type": "text/plain" },
    });
    assert.equal(sameOriginText.status, 415, "a simple (no-preflight) body type is refused even from the same origin");
    assert.equal((await v.state()).config.name, OWNER_CONFIG.name, "nothing changed");
  });

  test("the session cookie is HttpOnly and SameSite=Lax, Secure behind https; nothing may frame the page by default", async () => {
    const plain = await t.visitor().call("/api/state");
    const cookie = plain.headers.get("set-cookie") ?? "";
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.doesNotMatch(cookie, /Secure/);
    assert.match(plain.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
    assert.equal(plain.headers.get("x-frame-options"), "DENY");
    const https = await t.visitor().call("/api/state", { headers: { "x-forwarded-proto": "https" } });
    assert.match(https.headers.get("set-cookie") ?? "", /; Secure/);
  });

  test("with --allow-embed only that site may frame the page, and the cookie works in its frame (SameSite=None; Secure)", async () => {
    const t2 = await startTestNotebook(OWNER_CONFIG, { allowEmbed: ["https://site.example"] });
    try {
      const res = await t2.visitor().call("/api/state");
      assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'self' https:\/\/site\.example/);
      assert.equal(res.headers.get("x-frame-options"), null);
      assert.match(res.headers.get("set-cookie") ?? "", /SameSite=None/);
      assert.match(res.headers.get("set-cookie") ?? "", /Secure/);
    } finally {
      await t2.close();
    }
  });
});
