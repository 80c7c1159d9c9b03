import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OWNER_CONFIG, startTestNotebook } from "./server.test.helper.js";

const OWNER_TOKEN = "owner-token-for-tests-0123456789";

describe("owner routes", () => {
  test("/metrics needs the owner's token and counts sessions, runs by provider and status, shares and downloads, without prompt text or keys", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { metrics: true, ownerToken: OWNER_TOKEN });
    try {
      const v = t.visitor();
      const config = (await v.state()).config;
      await v.call("/api/keys", { method: "PUT", json: { OPENAI_API_KEY: "sk-visitor-secret-token-123" } });
      await v.run({ config, mode: "one", prompt: "greet" });
      await v.call("/api/share", { json: {} });
      await v.call("/api/download?format=yaml");
      assert.equal((await v.call("/metrics")).status, 401, "a visitor cannot read the metrics");
      assert.equal((await v.call("/metrics", { headers: { authorization: "Bearer wrong" } })).status, 401);
      const res = await v.call("/metrics", { headers: { authorization: `Bearer ${OWNER_TOKEN}` } });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /^aiconfig_serve_sessions_total 1$/m);
      assert.match(text, /^aiconfig_serve_runs_total\{provider="echo",status="ok"\} 1$/m);
      assert.match(text, /^aiconfig_serve_shares_total 1$/m);
      assert.match(text, /^aiconfig_serve_downloads_total\{format="yaml"\} 1$/m);
      assert.ok(!text.includes("Hello") && !text.includes("sk-visitor"), "no prompt text, no key");
    } finally {
      await t.close();
    }
  });

  test("without --metrics there is no /metrics route", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { ownerToken: OWNER_TOKEN });
    try {
      const res = await t.visitor().call("/metrics", { headers: { authorization: `Bearer ${OWNER_TOKEN}` } });
      assert.notEqual(res.status, 200);
    } finally {
      await t.close();
    }
  });

  test("the owner lists and deletes snapshots with the token; a deleted link answers 404; --no-share refuses sharing", async () => {
    const t = await startTestNotebook(OWNER_CONFIG, { ownerToken: OWNER_TOKEN });
    try {
      const v = t.visitor();
      await v.state();
      const { id } = (await (await v.call("/api/share", { json: {} })).json()) as { id: string };
      assert.equal((await v.call(`/api/owner/snapshots/${id}`, { method: "DELETE" })).status, 401, "a visitor cannot delete");
      const auth = { authorization: `Bearer ${OWNER_TOKEN}` };
      assert.deepEqual(((await (await v.call("/api/owner/snapshots", { headers: auth })).json()) as { snapshots: string[] }).snapshots, [
        id,
      ]);
      assert.equal((await v.call(`/api/owner/snapshots/${id}`, { method: "DELETE", headers: auth })).status, 200);
      assert.equal((await v.call(`/s/${id}/api/state`)).status, 404);
    } finally {
      await t.close();
    }
    const off = await startTestNotebook(OWNER_CONFIG, { share: false });
    try {
      const v = off.visitor();
      await v.state();
      const res = await v.call("/api/share", { json: {} });
      assert.equal(res.status, 403);
    } finally {
      await off.close();
    }
  });
});
