/**
 * The static site in Debian's Chromium (playwright-core), served by a local
 * static file server, every request outside the site's origin blocked except
 * the provider endpoint a test mocks: a key-based provider (OpenAI, its
 * recorded stream replayed by `startReplayServer()` behind CORS headers), the
 * visitor's keys, download, share links and the CSP.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { AIConfigRuntime } from "@aiconfig-ts/core";
import { fixture, readFixtureChunks, startReplayServer } from "@aiconfig-ts/testing";
import { exportTestSite, forwardTo, guardRequests, serveFolder, siteInBrowser } from "./site.test.helper.js";

const VISITOR_KEY = "sk-site-visitor-0123456789abcdefXYZ";

/** Constructed: a one-prompt OpenAI chat notebook (the reply is the recorded `openai-text.chunks.txt` stream). */
const CHAT_NOTEBOOK = {
  name: "Holidays",
  schema_version: "latest",
  metadata: { models: { "gpt-4.1-nano": { model: "gpt-4.1-nano", stream: true } } },
  prompts: [{ name: "holiday", input: "Invent a new holiday and describe its traditions.", metadata: { model: "gpt-4.1-nano" } }],
};

const HF_VISITOR_TOKEN = "hf_site_visitor_0123456789abcdef";

/** Constructed: one Hugging Face Image-to-Text prompt on the recording's model, its image a file beside the notebook (the recording's cheetah.png). */
const CAPTION_NOTEBOOK = {
  name: "Caption",
  schema_version: "latest",
  metadata: {
    models: { HuggingFaceImage2TextTransformer: { model: "nlpconnect/vit-gpt2-image-captioning" } },
  },
  prompts: [
    {
      name: "caption",
      input: { attachments: [{ data: { kind: "file_uri", value: "cheetah.png" }, mime_type: "image/png" }] },
      metadata: { model: "HuggingFaceImage2TextTransformer" },
    },
  ],
};

/** Anthropic's and Gemini's endpoints, their recorded streams (../shared/fixtures/providers) and where each puts the key. */
const KEYED_SERVICES = [
  {
    label: "Anthropic",
    model: "claude-sonnet-4-5",
    env: "ANTHROPIC_API_KEY",
    key: "sk-ant-site-visitor-0123456789",
    origin: "https://api.anthropic.com",
    path: "/v1/messages",
    // @anthropic-ai/sdk 1.x sends the API key as a bearer token, and says it is called from a browser
    keyHeader: "authorization",
    headers: { "anthropic-dangerous-direct-browser-access": "true" } as Record<string, string>,
    events: () =>
      readFixtureChunks("anthropic", "anthropic-text.chunks.txt").map((l) => ({
        event: (JSON.parse(l) as { type: string }).type,
        data: l,
      })),
    /** Text of the recorded reply the cell shows. */
    shows: "I'm doing well, thank you for asking.",
  },
  {
    label: "Google Gemini",
    model: "gemini-2.5-flash",
    env: "GEMINI_API_KEY",
    key: "AIza-site-visitor-0123456789",
    origin: "https://generativelanguage.googleapis.com",
    path: "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
    keyHeader: "x-goog-api-key",
    headers: {} as Record<string, string>,
    events: () => readFixtureChunks("google", "google-text.chunks.txt"),
    shows: '"r"s in strawberry.',
  },
];

describe("the static site in a browser", () => {
  const inBrowser = siteInBrowser(CHAT_NOTEBOOK, "holidays.aiconfig.json");
  const open = inBrowser.open;

  test("the page has a strict CSP, says where tasks run, and loads everything from its own origin", async () => {
    const { page, blocked } = await open();
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(csp ?? "", /default-src 'self'/);
    assert.match(csp ?? "", /script-src 'self' 'wasm-unsafe-eval';/, "scripts only from the site: no inline script, no eval");
    assert.match(csp ?? "", /connect-src 'self' https:\/\/api\.openai\.com /);
    assert.doesNotMatch(
      csp ?? "",
      /'unsafe-inline'|'unsafe-eval'|https:[;\s]|\*/,
      "no inline script or style, no eval, no wildcard source",
    );
    assert.match((await page.getByTestId("site-tasks").textContent()) ?? "", /Needs your key: .*OpenAI/);
    assert.deepEqual(blocked, [], "no request left the site's origin");
  });

  test("an OpenAI prompt runs from the page with the visitor's key against a mock of the API (CORS), and the key stays in the tab", async () => {
    inBrowser.replay.reply({ sse: readFixtureChunks("openai", "openai-text.chunks.txt"), done: true });
    const { page, blocked } = await open();
    await page.getByRole("button", { name: /^Keys/ }).click();
    await page.locator('input[name="OPENAI_API_KEY"]').fill(VISITOR_KEY);
    assert.match(await page.content(), /needs OPENAI_API_KEY \(not set\)/);
    await page.getByRole("button", { name: "Keep keys" }).click();
    await page.getByRole("button", { name: "Keys (1)" }).waitFor();
    await page.waitForFunction(() => document.documentElement.innerHTML.includes("OPENAI_API_KEY is set"));
    assert.doesNotMatch(await page.content(), /needs OPENAI_API_KEY \(not set\)/, "the pickers see the key as set");
    const cell = page.locator('[data-cell-name="holiday"]');
    await cell.getByRole("button", { name: "▶ Run" }).click();
    await cell.locator(".output-text", { hasText: "Harmony Day" }).waitFor({ timeout: 30_000 });

    const sent = inBrowser.replay.requests.at(-1)!;
    assert.equal(sent.path, "/v1/chat/completions");
    assert.equal(sent.headers.authorization, `Bearer ${VISITOR_KEY}`, "the key went to OpenAI's endpoint");
    assert.equal(sent.body.model, "gpt-4.1-nano");
    assert.equal(sent.body.messages.at(-1).content, CHAT_NOTEBOOK.prompts[0]!.input);
    assert.deepEqual(blocked, [], "nothing but api.openai.com (mocked) outside the site's origin");

    const storage = await page.evaluate(() => ({
      local: JSON.stringify(localStorage),
      session: JSON.stringify(sessionStorage),
      url: location.href,
    }));
    assert.ok(!storage.local.includes(VISITOR_KEY), "not on the device unless remembered");
    assert.ok(storage.session.includes(VISITOR_KEY), "kept in the tab");
    assert.ok(!storage.url.includes(VISITOR_KEY));

    // download: loads with the SDK in Node, equals the page's notebook, holds no key
    await page.waitForFunction(() => (sessionStorage.getItem("aiconfig-site-notebook:/") ?? "").includes("Harmony Day"));
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "⤓ Download JSON" }).click()]);
    assert.equal(download.suggestedFilename(), "holidays.aiconfig.json");
    const text = readFileSync((await download.path())!, "utf8");
    assert.ok(!text.includes(VISITOR_KEY), "no key in the download");
    const loaded = AIConfigRuntime.loadJSON(text);
    const pageNotebook = await page.evaluate(() => JSON.parse(sessionStorage.getItem("aiconfig-site-notebook:/")!).config);
    assert.deepEqual(JSON.parse(JSON.stringify(loaded.config)), pageNotebook);
    assert.match(loaded.getOutputText("holiday") ?? "", /Harmony Day/);

    // share: the link holds the notebook after #, never the key; a second context sees it read-only, then a copy
    await page.getByRole("button", { name: "Share" }).click();
    const link = await page.locator('input[aria-label="share link"]').inputValue();
    assert.ok(link.startsWith(`${inBrowser.server.origin}/#share=`), link);
    assert.ok(!link.includes(VISITOR_KEY));
    const other = await open(link);
    await other.page.locator('[data-site="shared"]').waitFor();
    assert.equal(await other.page.getByRole("button", { name: "▶ Run" }).count(), 0, "no run buttons on a shared notebook");
    await other.page.locator('[data-cell-name="holiday"] .output-text', { hasText: "Harmony Day" }).waitFor();
    assert.ok(!(await other.page.evaluate(() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage))).includes(VISITOR_KEY));
    await other.page.getByRole("button", { name: "Open a copy" }).click();
    await other.page.locator('[data-site="copy"]').waitFor();
    assert.equal(new URL(other.page.url()).hash, "", "the copy's URL no longer holds the shared notebook");
    await other.page.locator('[data-cell-name="holiday"] .output-text', { hasText: "Harmony Day" }).waitFor();
    assert.ok((await other.page.getByRole("button", { name: "▶ Run" }).count()) > 0, "the copy is editable and runnable");
    assert.deepEqual(other.blocked, []);
  });

  test("a key entered while a prompt runs neither cancels nor loses the run: its output arrives and is kept in the tab", async () => {
    // the recorded stream, one event every 10 ms: the run lasts a few seconds
    inBrowser.replay.reply({ sse: readFixtureChunks("openai", "openai-text.chunks.txt"), done: true, delayMs: 10 });
    const { page, blocked } = await open();
    await page.getByRole("button", { name: /^Keys/ }).click();
    await page.locator('input[name="OPENAI_API_KEY"]').fill(VISITOR_KEY);
    await page.getByRole("button", { name: "Keep keys" }).click();
    await page.getByRole("button", { name: "Keys (1)" }).waitFor();
    const requestsBefore = inBrowser.replay.requests.length;
    const cell = page.locator('[data-cell-name="holiday"]');
    await cell.getByRole("button", { name: "▶ Run" }).click();
    await cell.getByRole("button", { name: "■ Cancel" }).waitFor();
    // the run is under way at OpenAI's (mocked) endpoint
    while (inBrowser.replay.requests.length === requestsBefore) await new Promise((r) => setTimeout(r, 20));

    await page.getByRole("button", { name: "Keys (1)" }).click();
    await page.locator('input[name="ANTHROPIC_API_KEY"]').fill("sk-ant-site-visitor-other");
    await page.getByRole("button", { name: "Keep keys" }).click();
    await page.getByRole("button", { name: "Keys (2)" }).waitFor();
    await page.waitForFunction(() => document.documentElement.innerHTML.includes("ANTHROPIC_API_KEY is set"));

    await cell.locator(".output-text", { hasText: "Harmony Day" }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => (sessionStorage.getItem("aiconfig-site-notebook:/") ?? "").includes("Harmony Day"));
    assert.equal(inBrowser.replay.requests.length, requestsBefore + 1, "the run was not started again");
    assert.deepEqual(blocked, []);
  });

  test("Hugging Face Image-to-Text runs from the page on the site's own image: the token goes only to Hugging Face's (mocked) router, the image's bytes are sent, and the notebook keeps the reference to the file", async () => {
    const recorded = JSON.parse(readFileSync(fixture("huggingface", "image-to-text-vit-gpt2.json"), "utf8"));
    const png = readFileSync(fixture("huggingface", "cheetah.png"));
    const { site } = await exportTestSite(CAPTION_NOTEBOOK, "caption.aiconfig.json", { "cheetah.png": png });
    const host = await serveFolder(site.dir);
    try {
      const context = await inBrowser.browser.newContext({ acceptDownloads: true });
      inBrowser.contexts.push(context);
      const hf = await startReplayServer();
      const blocked = await guardRequests(context, host.origin, {
        "https://router.huggingface.co/**": forwardTo(hf.url),
        "https://huggingface.co/api/models/**": forwardTo(hf.url),
      });
      try {
        hf.reply(
          // Constructed: the Hub's answer naming the model's Inference Provider (the SDK asks for it with the provider "auto";
          // the tape recorded none), in the shape @huggingface/inference 4.x reads.
          {
            json: {
              id: "nlpconnect/vit-gpt2-image-captioning",
              inferenceProviderMapping: {
                "hf-inference": { status: "live", providerId: "nlpconnect/vit-gpt2-image-captioning", task: "image-to-text" },
              },
            },
          },
          { body: recorded.body, status: recorded.status, headers: { "content-type": recorded.content_type } },
        );
        const page = await context.newPage();
        await page.goto(`${host.origin}/`);
        await page.locator(".aiw[data-ready=true]").waitFor();
        const cell = page.locator('[data-cell-name="caption"]');
        // the page shows the site's image from the site's folder
        await cell.getByRole("button", { name: "Attachments (1)" }).click();
        const shown = cell.locator("img").first();
        await shown.waitFor();
        assert.equal(await shown.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), true, "the image loaded");
        assert.equal(new URL((await shown.getAttribute("src"))!, host.origin + "/").origin, host.origin);

        await page.getByRole("button", { name: /^Keys/ }).click();
        await page.locator('input[name="HF_TOKEN"]').fill(HF_VISITOR_TOKEN);
        await page.getByRole("button", { name: "Keep keys" }).click();
        await page.getByRole("button", { name: "Keys (1)" }).waitFor();
        await cell.getByRole("button", { name: "▶ Run" }).click();
        await cell.locator(".output-text", { hasText: "giraffe standing in a field" }).waitFor({ timeout: 30_000 });

        assert.equal(hf.requests.length, 2);
        assert.equal(hf.requests[0]!.path, "/api/models/nlpconnect/vit-gpt2-image-captioning?expand[]=inferenceProviderMapping");
        const sent = hf.requests[1]!;
        assert.equal(sent.path, new URL(recorded.recorded_request.url).pathname, "the recorded request's path on Hugging Face's router");
        assert.equal(sent.headers.authorization, `Bearer ${HF_VISITOR_TOKEN}`);
        assert.equal(sent.headers["content-type"], "image/png");
        assert.deepEqual(sent.raw, png, "the site's image, byte for byte");
        assert.deepEqual(blocked, [], "nothing but Hugging Face's router and Hub (mocked) outside the site's origin");

        // the visitor's copy and download keep the attachment as the published file names it
        await page.waitForFunction(() => (sessionStorage.getItem("aiconfig-site-notebook:/") ?? "").includes("giraffe"));
        const tab = await page.evaluate(() => sessionStorage.getItem("aiconfig-site-notebook:/")!);
        assert.ok(!tab.includes(png.subarray(0, 30).toString("base64")), "the image is not inlined into the tab's copy");
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: "⤓ Download JSON" }).click(),
        ]);
        const loaded = AIConfigRuntime.loadJSON(readFileSync((await download.path())!, "utf8"));
        assert.deepEqual(
          (loaded.config.prompts[0]!.input as { attachments: unknown[] }).attachments,
          CAPTION_NOTEBOOK.prompts[0]!.input.attachments,
          "the attachment is the published reference",
        );
        assert.equal(loaded.getOutputText("caption"), "a large brown and white giraffe standing in a field ");
        const published = JSON.parse(readFileSync(join(site.dir, "caption.aiconfig.json"), "utf8"));
        assert.deepEqual({ ...JSON.parse(JSON.stringify(loaded.config)), prompts: [] }, { ...published, prompts: [] });
        assert.deepEqual(
          { ...loaded.config.prompts[0], outputs: [] },
          { ...published.prompts[0], outputs: [] },
          "only the output was added",
        );
      } finally {
        await hf.close();
      }
    } finally {
      await host.close();
    }
  });

  test("the help panel says what Ctrl/Cmd+S does here (keeps the copy in the tab), and a shared notebook lists no Ctrl/Cmd+S", async () => {
    const { page } = await open();
    await page.getByRole("button", { name: "keyboard shortcuts" }).click();
    const help = page.getByRole("dialog", { name: "keyboard shortcuts" });
    const row = help.locator("tr", { hasText: "Ctrl/Cmd+S" });
    assert.equal(await row.locator("td").nth(1).textContent(), "keep your copy in this tab (Download keeps it for good)");
    await page.getByRole("button", { name: "keyboard shortcuts" }).click();
    await help.waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Share" }).click();
    const shared = await open(await page.locator('input[aria-label="share link"]').inputValue());
    await shared.page.getByRole("button", { name: "keyboard shortcuts" }).click();
    const sharedHelp = shared.page.getByRole("dialog", { name: "keyboard shortcuts" });
    await sharedHelp.waitFor();
    assert.equal(await sharedHelp.locator("tr", { hasText: "Ctrl/Cmd+S" }).count(), 0);
  });

  for (const service of KEYED_SERVICES)
    test(`${service.label} runs from the page with the visitor's key against a mock of its endpoint (CORS, recorded stream): the key goes only there`, async () => {
      const { site } = await exportTestSite(
        {
          name: service.label,
          schema_version: "latest",
          metadata: { models: { [service.model]: { model: service.model, stream: true } } },
          prompts: [{ name: "ask", input: "Invent a new holiday and describe its traditions.", metadata: { model: service.model } }],
        },
        "keyed.aiconfig.json",
      );
      const host = await serveFolder(site.dir);
      const mock = await startReplayServer();
      try {
        const context = await inBrowser.browser.newContext();
        inBrowser.contexts.push(context);
        const blocked = await guardRequests(context, host.origin, { [`${service.origin}/**`]: forwardTo(mock.url) });
        mock.reply({ sse: service.events() });
        const page = await context.newPage();
        await page.goto(`${host.origin}/`);
        await page.locator(".aiw[data-ready=true]").waitFor();
        await page.getByRole("button", { name: /^Keys/ }).click();
        await page.locator(`input[name="${service.env}"]`).fill(service.key);
        await page.getByRole("button", { name: "Keep keys" }).click();
        await page.getByRole("button", { name: "Keys (1)" }).waitFor();
        const cell = page.locator('[data-cell-name="ask"]');
        await cell.getByRole("button", { name: "▶ Run" }).click();
        await cell.locator(".output-text", { hasText: service.shows }).waitFor({ timeout: 30_000 });
        assert.equal(mock.requests.length, 1);
        const sent = mock.requests[0]!;
        assert.equal(sent.path, service.path);
        assert.equal(sent.headers[service.keyHeader], service.keyHeader === "authorization" ? `Bearer ${service.key}` : service.key);
        assert.equal(sent.headers.origin, host.origin, "sent by the page itself");
        for (const [name, value] of Object.entries(service.headers)) assert.equal(sent.headers[name], value, name);
        assert.ok(!JSON.stringify(sent.body).includes(service.key), "the key is in its header only");
        assert.deepEqual(blocked, [], `nothing but ${service.origin} (mocked) outside the site's origin`);
      } finally {
        await mock.close();
        await host.close();
      }
    });

  test("'remember on this device' keeps the key in localStorage; Forget removes it from the tab and the device", async () => {
    const { page } = await open();
    await page.getByRole("button", { name: /^Keys/ }).click();
    await page.locator('input[name="ANTHROPIC_API_KEY"]').fill(VISITOR_KEY);
    await page.getByLabel(/remember on this device/).check();
    await page.getByRole("button", { name: "Keep keys" }).click();
    assert.ok((await page.evaluate(() => JSON.stringify(localStorage))).includes(VISITOR_KEY));
    await page.reload();
    await page.locator(".aiw[data-ready=true]").waitFor();
    await page.getByRole("button", { name: "Keys (1)" }).click();
    await page.locator(".key-row", { hasText: "Anthropic" }).getByRole("button", { name: "Forget" }).click();
    const storage = await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
    assert.ok(!storage.includes(VISITOR_KEY));
  });

  test("YAML download loads with the SDK; Open file… replaces the notebook in the tab; Start over brings the site's notebook back", async () => {
    const { page } = await open();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "⤓ YAML" }).click()]);
    assert.equal(download.suggestedFilename(), "holidays.aiconfig.yaml");
    const yaml = AIConfigRuntime.loadYAML(readFileSync((await download.path())!, "utf8"));
    assert.deepEqual(JSON.parse(JSON.stringify(yaml.config)), CHAT_NOTEBOOK);

    // Constructed: a file a visitor opens.
    const opened = { ...CHAT_NOTEBOOK, prompts: [{ name: "from_upload", input: "Hello", metadata: { model: "gpt-4.1-nano" } }] };
    await page
      .locator('input[aria-label="open an aiconfig file"]')
      .setInputFiles({ name: "mine.aiconfig.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(opened)) });
    await page.locator('[data-cell-name="from_upload"]').waitFor();
    await page.waitForFunction(() => (sessionStorage.getItem("aiconfig-site-notebook:/") ?? "").includes("from_upload"));
    await page.reload();
    await page.locator('[data-cell-name="from_upload"]').waitFor();
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Start over" }).click();
    await page.locator('[data-cell-name="holiday"]').waitFor();
    assert.equal(await page.locator('[data-cell-name="from_upload"]').count(), 0);
  });

  test("a notebook too large for a link is not shared in one: the bar says so and offers the download", async () => {
    const { page } = await open();
    // Constructed: 1,000 prompts of random text (incompressible: its link would pass the 32,000-character limit).
    const big = {
      ...CHAT_NOTEBOOK,
      prompts: Array.from({ length: 1000 }, (_, i) => ({ name: `p${i}`, input: randomBytes(60).toString("base64") })),
    };
    await page
      .locator('input[aria-label="open an aiconfig file"]')
      .setInputFiles({ name: "big.aiconfig.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(big)) });
    await page.locator('[data-cell-name="p0"]').waitFor();
    await page.getByRole("button", { name: "Share" }).click();
    const banner = page.locator(".share-link");
    await banner.getByText(/too large to share in a link \([\d,]+ characters; links hold up to 32,000\)/).waitFor();
    assert.equal(await page.locator('input[aria-label="share link"]').count(), 0);
    const [download] = await Promise.all([page.waitForEvent("download"), banner.getByRole("button", { name: "⤓ Download JSON" }).click()]);
    assert.equal(AIConfigRuntime.loadJSON(readFileSync((await download.path())!, "utf8")).config.prompts.length, 1000);
  });

  test("attack: an opened notebook that sets its own base_url does not get the visitor's key sent there", async () => {
    const { page, blocked } = await open();
    await page.getByRole("button", { name: /^Keys/ }).click();
    await page.locator('input[name="OPENAI_API_KEY"]').fill(VISITOR_KEY);
    await page.getByRole("button", { name: "Keep keys" }).click();
    // Constructed: a notebook pointing OpenAI's model at another host.
    const evil = {
      ...CHAT_NOTEBOOK,
      metadata: { models: { "gpt-4.1-nano": { model: "gpt-4.1-nano", base_url: "https://collector.example/v1" } } },
      prompts: [{ name: "steal", input: "hi", metadata: { model: "gpt-4.1-nano" } }],
    };
    await page
      .locator('input[aria-label="open an aiconfig file"]')
      .setInputFiles({ name: "evil.aiconfig.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(evil)) });
    const requestsBefore = inBrowser.replay.requests.length;
    const cell = page.locator('[data-cell-name="steal"]');
    await cell.getByRole("button", { name: "▶ Run" }).click();
    await cell.locator(".output-error, .error, [data-output-type=error]").first().waitFor({ timeout: 30_000 });
    const text = await cell.innerText();
    assert.match(text, /collector\.example/, "the refusal names the host");
    assert.ok(!text.includes(VISITOR_KEY), "the key is not shown");
    assert.deepEqual(blocked, [], "no request to the file's host was even tried");
    assert.equal(inBrowser.replay.requests.length, requestsBefore);
  });

  test("two sites on one origin (a/ and b/, as on USER.github.io) keep their own copy of their notebook in the tab", async () => {
    const a = await exportTestSite(CHAT_NOTEBOOK, "holidays.aiconfig.json");
    const b = await exportTestSite({ ...CHAT_NOTEBOOK, prompts: [{ name: "other", input: "Hi" }] }, "other.aiconfig.json");
    const root = mkdtempSync(join(tmpdir(), "aiconfig-two-sites-"));
    cpSync(a.site.dir, join(root, "a"), { recursive: true });
    cpSync(b.site.dir, join(root, "b"), { recursive: true });
    const host = await serveFolder(root);
    try {
      const context = await inBrowser.browser.newContext();
      inBrowser.contexts.push(context);
      await guardRequests(context, host.origin);
      const page = await context.newPage();
      await page.goto(`${host.origin}/a/`);
      await page.locator('[data-cell-name="holiday"]').waitFor();
      await page.locator('[data-cell-name="holiday"] .input-text').fill("Edited on a");
      await page.waitForFunction(() => (sessionStorage.getItem("aiconfig-site-notebook:/a/") ?? "").includes("Edited on a"));
      await page.goto(`${host.origin}/b/`);
      await page.locator('[data-cell-name="other"]').waitFor();
      await page.goto(`${host.origin}/a/`);
      assert.equal(await page.locator('[data-cell-name="holiday"] .input-text').inputValue(), "Edited on a");
    } finally {
      await host.close();
    }
  });

  test("attack: a share link that was cut or altered shows one line, runs nothing and sends nothing", async () => {
    const { page, blocked } = await open(`${inBrowser.server.origin}/#share=not-a-real-notebook`, false);
    await page.locator(".banner.error").waitFor();
    assert.match((await page.locator(".banner.error").textContent()) ?? "", /share link is not valid/);
    assert.deepEqual(blocked, []);
  });
});
