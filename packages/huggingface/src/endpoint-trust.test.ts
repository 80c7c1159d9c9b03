/**
 * The attack of issue 9 on the Hugging Face providers: a file's `endpoint_url`
 * (a local server it chose) must never receive the HF_TOKEN of the user's
 * environment. Constructed reply: `[{summary_text}]`, the Summarization shape.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { EndpointNotAllowedError } from "@aiconfig-ts/core";
import { type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { summarizationProvider } from "./summarization.js";
import { resolveContext, runContext } from "./test-support.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

test("attack: endpoint_url in the file never receives the HF_TOKEN of the user's environment", async () => {
  const opts = {
    model: "Summarization",
    settings: { endpoint_url: `${server.url}/summarize` },
    text: "x",
    env: { HF_TOKEN: "hf_shell_token" },
  };
  const request = await summarizationProvider.resolve(resolveContext(opts));
  server.reply({ json: [{ summary_text: "y" }] });
  const sent = server.requests.length;
  await assert.rejects(summarizationProvider.run(request, runContext(opts)), (e: unknown) => {
    assert.ok(EndpointNotAllowedError.isInstance(e));
    assert.match(e.message, /not sending the Hugging Face key from HF_TOKEN in your environment to http:\/\/127\.0\.0\.1:\d+\/summarize/);
    assert.ok(!e.message.includes("hf_shell_token"));
    return true;
  });
  assert.equal(server.requests.length, sent, "the server the file chose saw nothing");
});

test("the same endpoint allowed by the user (AICONFIG_ALLOW_ENDPOINTS) receives the token", async () => {
  const host = server.url.slice("http://".length);
  const env = { HF_TOKEN: "hf_shell_token", AICONFIG_ALLOW_ENDPOINTS: host };
  const opts = { model: "Summarization", settings: { endpoint_url: `${server.url}/summarize` }, text: "x", env };
  const request = await summarizationProvider.resolve(resolveContext(opts));
  server.reply({ json: [{ summary_text: "y" }] });
  const at = server.requests.length;
  await summarizationProvider.run(request, runContext(opts));
  assert.equal(server.requests[at]?.headers.authorization, "Bearer hf_shell_token");
});

test("a file's endpoint with no token set is sent nothing secret, and runs", async () => {
  const opts = { model: "Summarization", settings: { endpoint_url: `${server.url}/summarize` }, text: "x", env: {} };
  const request = await summarizationProvider.resolve(resolveContext(opts));
  server.reply({ json: [{ summary_text: "y" }] });
  const at = server.requests.length;
  await summarizationProvider.run(request, runContext(opts));
  assert.equal(server.requests[at]?.headers.authorization, undefined);
});
