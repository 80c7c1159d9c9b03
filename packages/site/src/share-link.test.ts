import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import { repoRoot } from "@aiconfig-ts/testing";
import { notebookWithoutKeys } from "./page/notebook-without-keys.js";
import { isShareFragment, readShareFragment, SHARE_LINK_LIMIT, ShareLinkError, shareFragment, shareLink } from "./page/share-link.js";

const story = JSON.parse(readFileSync(join(repoRoot, "examples", "story.aiconfig.json"), "utf8")) as AIConfig;

test("a share link holds the notebook after # and reads back the same document", async () => {
  const link = await shareLink("https://ann.github.io/notebook/?x=1#old", story);
  assert.ok(link.url?.startsWith("https://ann.github.io/notebook/?x=1#share="), link.url);
  const hash = new URL(link.url!).hash;
  assert.ok(isShareFragment(hash));
  assert.deepEqual(await readShareFragment(hash), story);
  assert.ok(link.length < JSON.stringify(story).length, "compressed");
});

test("a notebook whose link would pass the limit gets no link, only its length (the page offers a download)", async () => {
  // Constructed: 1,000 prompts of random text (incompressible, so the link passes the limit).
  const big: AIConfig = {
    ...story,
    prompts: Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, input: randomBytes(60).toString("base64") })),
  };
  const link = await shareLink("https://site.example/", big);
  assert.equal(link.url, undefined);
  assert.ok(link.length > SHARE_LINK_LIMIT);
});

test("attack: a cut, altered or bomb share fragment is refused with one line", async () => {
  const good = await shareFragment(story);
  await assert.rejects(readShareFragment(good.slice(0, good.length / 2)), ShareLinkError);
  await assert.rejects(readShareFragment("#share=<script>"), /not valid/);
  // Constructed: 20 MB of zeros compress to a few KB; expanding stops at the 8 MB limit.
  const zeros = new Uint8Array(20_000_000);
  const compressed = new Uint8Array(
    await new Response(new Blob([zeros]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer(),
  );
  const bomb = `#share=${Buffer.from(compressed).toString("base64url")}`;
  await assert.rejects(readShareFragment(bomb), /larger than 8 MB/);
});

test("what leaves the page has no key: a key written in the settings is dropped and a pasted key value is redacted", () => {
  const key = "sk-visitor-0123456789abcdefghij";
  // Constructed: a key typed into the settings and pasted into a prompt.
  const doc: AIConfig = {
    ...story,
    metadata: { ...story.metadata, models: { "gpt-4o": { api_key: "sk-written-0123456789abcdef", temperature: 1 } } },
    prompts: [...story.prompts, { name: "oops", input: `my key is ${key}` }],
  };
  const clean = notebookWithoutKeys(doc, [key]);
  const text = JSON.stringify(clean);
  assert.ok(!text.includes(key) && !text.includes("sk-written"));
  assert.deepEqual(clean.metadata?.models?.["gpt-4o"], { temperature: 1 });
  assert.ok(JSON.stringify(doc).includes(key), "the page's own document is left as it is");
});
