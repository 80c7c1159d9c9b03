// Two visitors in Chromium (two browser contexts) on one hosted notebook, as issue 10's proof asks.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type AIConfig, parseConfigText } from "@aiconfig-ts/core";
import { repoRoot } from "@aiconfig-ts/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium, servePage } from "./browser.test.helper.js";
import { OWNER_CONFIG, tempDir, testConfig, testRegistry } from "./server.test.helper.js";
import { type RunningNotebookServer, startNotebookServer } from "./start-notebook-server.js";

const VISITOR_KEY = "sk-visitor-A-typed-in-the-page-0123456789";

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator(".aiw[data-ready=true]").waitFor();
  return page;
}

const stateOf = (page: Page) => page.evaluate(async () => (await (await fetch("api/state")).json()) as { config: AIConfig });

describe("the hosted notebook in a browser: two visitors", () => {
  let browser: Browser;
  let server: RunningNotebookServer;
  let file: string;
  let ownerBytes: Buffer;
  let a: BrowserContext;
  let b: BrowserContext;
  let pageA: Page;
  before(async () => {
    const dir = tempDir();
    file = join(dir, "owner.aiconfig.json");
    writeFileSync(file, `${JSON.stringify(OWNER_CONFIG, null, 2)}\n`);
    ownerBytes = readFileSync(file);
    // the owner's environment: where the local model is, and no keys
    const ownerEnv = { AICONFIG_MODELS_DIR: process.env.AICONFIG_MODELS_DIR, HOME: process.env.HOME };
    server = await startNotebookServer({ file, registry: await testRegistry({ llama: true, openai: true }), port: 0, ownerEnv });
    browser = await launchChromium();
    a = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    b = await browser.newContext();
    pageA = await open(a, server.urls[0]!);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    assert.deepEqual(readFileSync(file), ownerBytes, "the owner's file is byte-identical at the end");
  });

  test("A's page says the edits live only in this session and how to keep them", async () => {
    const banner = await pageA.locator(".hosted-bar").first().textContent();
    assert.match(banner ?? "", /your own copy of the notebook: edits, runs and keys live only in this session/);
    assert.match(banner ?? "", /To keep your edits, download the notebook/);
  });

  test("a visitor's page shows only what a visitor can use: no Save, no file downloads or export beside the hosted bar", async () => {
    const toolbar = pageA.locator(".toolbar");
    for (const name of ["Save", "⤓ JSON", "⤓ YAML", "Export HTML"])
      assert.equal(await toolbar.getByRole("button", { name, exact: true }).count(), 0, `no ${name} in the toolbar`);
    assert.equal(await toolbar.locator(".save-state.dirty, .save-state.clean").count(), 0, "no saved / unsaved marker");
    assert.match((await toolbar.locator(".save-state.hosted").textContent()) ?? "", /this session/);
    await pageA.locator('[data-cell-name="greet"] .input-text').fill("Hello {{who}}!");
    assert.ok(!(await pageA.content()).includes("unsaved changes"), "an edit does not say 'unsaved changes'");
    await pageA.locator('[data-cell-name="greet"] .input-text').fill("Hello {{who}}");
    assert.ok((await toolbar.getByRole("button", { name: "▶ Run all" }).count()) === 1, "run all stays");
    const bar = pageA.locator(".hosted-bar");
    for (const name of ["⤓ Download JSON", "⤓ YAML", "Open file…", "Share"])
      assert.equal(await bar.getByRole("button", { name, exact: true }).count(), 1, `${name} in the hosted bar`);
  });

  test("A edits, runs and enters a key; B sees the owner's original, not A's edits or key", async () => {
    const cell = pageA.locator('[data-cell-name="greet"]');
    await cell.locator(".input-text").fill("Hi {{who}} from A");
    await cell.getByRole("button", { name: "▶ Run" }).click();
    await cell.locator(".output-text", { hasText: "Hi world from A" }).waitFor();
    await pageA.getByRole("button", { name: /^Keys/ }).click();
    const panel = pageA.locator(".keys-panel");
    assert.equal(await panel.locator(':scope > label input[name="OPENAI_API_KEY"]').count(), 1, "OpenAI's key is among the first");
    assert.match(
      (await panel.locator("details.more-keys > summary").textContent()) ?? "",
      /^Other services \(\d+\)$/,
      "the other keys the providers declare (OpenAI-compatible services) are folded",
    );
    await pageA.locator('input[name="OPENAI_API_KEY"]').fill(VISITOR_KEY);
    await pageA.getByRole("button", { name: "Keep keys for this session" }).click();
    await pageA.getByRole("button", { name: "Keys (1)" }).waitFor();
    // the pickers see the key at once (no reload)
    await pageA.waitForFunction(() => document.documentElement.innerHTML.includes("OPENAI_API_KEY is set"));
    assert.ok(!(await pageA.content()).includes("needs OPENAI_API_KEY (not set)"));
    assert.ok(!(await pageA.content()).includes(VISITOR_KEY), "the key is not in A's page");
    await pageA.reload();
    await pageA.locator(".aiw[data-ready=true]").waitFor();
    await pageA.locator('[data-cell-name="greet"] .output-text', { hasText: "Hi world from A" }).waitFor();
    await pageA.getByRole("button", { name: "Keys (1)" }).waitFor();

    const pageB = await open(b, server.urls[0]!);
    assert.equal(await pageB.locator('[data-cell-name="greet"] .input-text').inputValue(), "Hello {{who}}");
    assert.equal(await pageB.locator(".output-text").count(), 0, "B sees none of A's outputs");
    assert.equal(await pageB.getByRole("button", { name: "Keys", exact: true }).count(), 1, "B has no key");
    assert.ok(!(await pageB.content()).includes("from A"));
    await pageB.close();
  });

  test("A downloads: the file loads with the SDK and equals A's notebook", async () => {
    const [download] = await Promise.all([pageA.waitForEvent("download"), pageA.getByRole("button", { name: "⤓ Download JSON" }).click()]);
    const text = readFileSync((await download.path())!, "utf8");
    const loaded = parseConfigText(text, download.suggestedFilename()).data;
    assert.equal(download.suggestedFilename(), "owner.aiconfig.json");
    assert.deepEqual(loaded, (await stateOf(pageA)).config);
    assert.ok(!text.includes(VISITOR_KEY));
  });

  test("A shares; B opens the link read-only, then opens a copy and can edit it", async () => {
    await pageA.getByRole("button", { name: "Share" }).click();
    const link = await pageA.locator('input[aria-label="share link"]').inputValue();
    assert.match(link, /\/s\/[A-Za-z0-9_-]{32}\/$/);
    const pageB = await open(b, link);
    await pageB.getByText("A shared notebook, read-only").waitFor();
    assert.equal(await pageB.getByRole("button", { name: "▶ Run" }).count(), 0, "no run buttons on a snapshot");
    await pageB.locator(".output-text", { hasText: "Hi world from A" }).waitFor();
    await pageB.getByRole("button", { name: "Open a copy" }).click();
    await pageB.waitForURL(server.urls[0]!);
    await pageB.locator(".aiw[data-ready=true]").waitFor();
    await pageB.locator(".output-text", { hasText: "Hi world from A" }).waitFor();
    assert.equal(await pageB.locator('[data-cell-name="greet"] .input-text').inputValue(), "Hi {{who}} from A");
    assert.ok((await pageB.getByRole("button", { name: "▶ Run" }).count()) > 0, "B's copy is editable and runnable");
    await pageB.close();
  });

  test("A uploads an aiconfig file into the session", async () => {
    const uploaded = testConfig([{ name: "from_upload", input: "uploaded by A", metadata: { model: "echo" } }]);
    await pageA
      .locator('input[aria-label="open an aiconfig file"]')
      .setInputFiles({ name: "mine.aiconfig.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(uploaded)) });
    await pageA.locator('[data-cell-name="from_upload"]').waitFor();
    assert.deepEqual((await stateOf(pageA)).config, uploaded);
  });

  test("a task-first cell (Text Generation) gets the offline model on a server without keys and runs", async () => {
    await pageA.getByRole("button", { name: "+ Add prompt" }).click();
    const choice = pageA.locator('[data-task="text-generation"]');
    assert.match((await choice.textContent()) ?? "", /stories260K · offline/);
    await choice.click();
    const cell = pageA.locator(".cell").last();
    assert.equal(await cell.getByLabel("model of prompt_2").inputValue(), "stories260K");
    await cell.locator(".input-text").fill("Once upon a time");
    await cell.getByRole("button", { name: "▶ Run" }).click();
    await cell.locator(".output-text").waitFor({ timeout: 60_000 });
    assert.ok(((await cell.locator(".output-text").textContent()) ?? "").length > 0);
    if (process.env.AICONFIG_SCREENSHOTS) {
      mkdirSync(join(repoRoot, "docs", "screenshots"), { recursive: true });
      await pageA.screenshot({ path: join(repoRoot, "docs", "screenshots", "hosted-notebook-visitor.png") });
    }
  });
});

describe("embedding the notebook in another site's iframe", () => {
  test("works with --allow-embed for that site, and is refused without it", async () => {
    const dir = tempDir();
    const file = join(dir, "owner.aiconfig.json");
    writeFileSync(file, `${JSON.stringify(OWNER_CONFIG, null, 2)}\n`);
    const registry = await testRegistry();
    const browser = await launchChromium();
    const closers: (() => Promise<void>)[] = [() => browser.close()];
    try {
      // the notebook is on localhost, the embedding page on 127.0.0.1 (another site, another port)
      const site = await servePage("");
      closers.push(site.close);
      for (const allowed of [true, false]) {
        const server = await startNotebookServer({
          file,
          registry,
          port: 0,
          host: "127.0.0.1",
          ownerEnv: {},
          ...(allowed ? { allowEmbed: [site.origin] } : {}),
          store: join(dir, allowed ? "with" : "without"),
        });
        closers.push(server.close);
        const notebookUrl = `http://localhost:${server.port}/`;
        site.server.removeAllListeners("request");
        site.server.on("request", (_req, res) =>
          res
            .writeHead(200, { "content-type": "text/html" })
            .end(`<h1>Another site</h1><iframe src="${notebookUrl}" width="1000" height="700"></iframe>`),
        );
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(site.origin);
        const frame = page.frameLocator("iframe");
        if (allowed) {
          await frame.locator(".aiw[data-ready=true]").waitFor();
          const cell = frame.locator('[data-cell-name="greet"]');
          await cell.locator(".input-text").fill("Hi {{who}} in a frame");
          await cell.getByRole("button", { name: "▶ Run" }).click();
          await cell.locator(".output-text", { hasText: "Hi world in a frame" }).waitFor();
        } else {
          await page.waitForTimeout(1500);
          assert.equal(await frame.locator(".aiw").count(), 0, "the browser refused to show the notebook in the frame");
        }
        await context.close();
      }
    } finally {
      for (const close of closers.reverse()) await close().catch(() => {});
    }
  });
});
