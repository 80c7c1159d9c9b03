/**
 * End-to-end tests: the editor driven in real headless Chromium (Debian's,
 * through playwright-core), on real files, with the local GGUF model and the
 * test providers module.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { describe, test } from "node:test";
import { cell, focusedCell, readJSON, shownText, withBrowser } from "./e2e.test.helper.js";
import { testConfig } from "./server.test.helper.js";

const { browser: currentBrowser, open } = withBrowser();

describe("the AI Workbook in Chromium", () => {
  test("edit a prompt and a parameter, run on the local GGUF model with the text streaming in, save, and reload", async () => {
    const { editor, page } = await open(
      testConfig(
        [
          {
            name: "story",
            input: "Once upon a time",
            metadata: { model: { name: "stories260K", settings: { max_tokens: 150, temperature: 0 } } },
          },
        ],
        { metadata: { parameters: { hero: "a cat" } } },
      ),
      { withLlama: true },
    );
    const story = cell(page, "story");
    await story.getByLabel("input of story").fill("Once upon a time {{hero}} saw");
    assert.equal(await story.locator(".tag-param").textContent(), "{{hero}}");
    assert.equal(await story.locator(".provider-badge").textContent(), "llama");
    await page.getByRole("button", { name: /Global parameters/ }).click();
    await page.getByLabel("value of hero").fill("a brave dog");
    assert.equal(await page.locator("[data-dirty]").getAttribute("data-dirty"), "true");
    // record the streamed text as it grows
    await page.evaluate(() => {
      const w = window as unknown as { lengths: number[] };
      w.lengths = [];
      new MutationObserver(() => {
        const s = document.querySelector('section[data-cell-name="story"] .output-stream');
        if (s?.textContent) w.lengths.push(s.textContent.length);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await story.getByRole("button", { name: "▶ Run" }).click();
    await story.locator('.run-status[data-status="done"]').waitFor({ timeout: 120_000 });
    const lengths = await page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
    assert.ok(new Set(lengths).size >= 2, `the text streamed in (saw lengths ${lengths.slice(0, 10).join(", ")})`);
    assert.match((await story.locator(".usage").textContent()) ?? "", /\d+ in · \d+ out tokens/);
    const shown = (await story.locator(".output-text").textContent()) ?? "";
    assert.ok(shown.trim().length > 20);
    await page.keyboard.press("Control+s");
    await page.locator('[data-dirty="false"]').waitFor();
    const saved = readJSON(editor.file);
    assert.equal(saved.prompts[0]!.input, "Once upon a time {{hero}} saw");
    assert.deepEqual(saved.metadata.parameters, { hero: "a brave dog" });
    const data = (saved.prompts[0]!.outputs![0] as { data: string }).data;
    assert.equal(typeof data, "string");
    assert.ok(shown.replace(/\s+/g, " ").includes(data.trim().replace(/\s+/g, " ").slice(0, 30)), "the page shows the stored output");
    await page.reload();
    await page.waitForSelector('[data-ready="true"]');
    assert.equal(await cell(page, "story").getByLabel("input of story").inputValue(), "Once upon a time {{hero}} saw");
    assert.ok(((await cell(page, "story").locator(".output-text").textContent()) ?? "").length > 20);
    assert.equal(await page.locator("[data-dirty]").getAttribute("data-dirty"), "false");
    await page.close();
  });

  test("cancel a run: it stops, the cell says so and keeps the streamed text marked cancelled, and the file keeps its old outputs", async () => {
    const config = testConfig([
      {
        name: "slow",
        input: "one two three four five six seven eight nine ten eleven twelve",
        metadata: { model: { name: "slow-echo", settings: { delay_ms: 250 } } },
        outputs: [{ output_type: "execute_result", data: "previous output" }],
      },
    ]);
    const { editor, page } = await open(config);
    const before = readFileSync(editor.file, "utf8");
    const slow = cell(page, "slow");
    await slow.getByRole("button", { name: "▶ Run" }).click();
    await slow.locator(".output-stream", { hasText: "one" }).waitFor();
    await slow.getByRole("button", { name: "■ Cancel" }).click();
    await slow.locator('.run-status[data-status="cancelled"]').waitFor();
    assert.equal(await shownText(slow), "previous output");
    const partial = (await slow.locator(".output-cancelled").textContent()) ?? "";
    assert.match(partial, /^cancelled one /, "the streamed text stays visible, marked cancelled");
    assert.match(partial, /not stored/);
    assert.equal(readFileSync(editor.file, "utf8"), before);
    assert.equal(await page.locator("[data-dirty]").getAttribute("data-dirty"), "false");
    await page.close();
  });

  test("a file changed on disk since loading trips the conflict warning: overwrite, or reload from disk", async () => {
    const { editor, page } = await open(testConfig([{ name: "p", input: "from the page", metadata: { model: "echo" } }]));
    await page.getByLabel("config name").fill("edited in the page");
    const disk = readJSON(editor.file);
    writeFileSync(editor.file, JSON.stringify({ ...disk, name: "edited on disk" }, null, 2));
    await page.keyboard.press("Control+s");
    const banner = page.locator(".banner.conflict");
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? "", /notebook\.aiconfig\.json changed on disk/);
    assert.equal(readJSON(editor.file).name, "edited on disk", "nothing written yet");
    await banner.getByRole("button", { name: "Overwrite with my version" }).click();
    await page.locator('[data-dirty="false"]').waitFor();
    assert.equal(readJSON(editor.file).name, "edited in the page");
    // again, choosing the disk's version
    await page.getByLabel("config name").fill("second page edit");
    writeFileSync(editor.file, JSON.stringify({ ...readJSON(editor.file), name: "second disk edit" }, null, 2));
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await banner.waitFor();
    await banner.getByRole("button", { name: /Reload from disk/ }).click();
    await page.locator('[data-dirty="false"]').waitFor();
    assert.equal(await page.getByLabel("config name").inputValue(), "second disk edit");
    assert.equal(readJSON(editor.file).name, "second disk edit");
    await page.close();
  });

  test("a request without the token, or from a foreign origin, is refused", async () => {
    const { editor, page } = await open(testConfig([{ name: "p", input: "x", metadata: { model: "echo" } }]));
    const before = readFileSync(editor.file, "utf8");
    // a browser without the cookie, at the URL without the token
    const stranger = await (await import("playwright-core")).chromium.launch({
      executablePath: (await import("./browser.test.helper.js")).CHROMIUM,
      args: (await import("./browser.test.helper.js")).CHROMIUM_ARGS,
    });
    const strangerPage = await stranger.newPage();
    const res = await strangerPage.goto(editor.base);
    assert.equal(res?.status(), 401);
    assert.match(await strangerPage.content(), /needs its token/);
    await stranger.close();
    // this browser has the cookie, but the request comes from another origin
    const refused = await currentBrowser().context.request.post(`${editor.base}api/save`, {
      headers: { origin: "http://evil.example" },
      data: { config: testConfig([]), baseVersion: "", force: true },
    });
    assert.equal(refused.status(), 403);
    // a page on another local origin tries to write through the user's browser
    const evil = createServer((_, r) => r.end("<!doctype html><title>evil</title>"));
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
    const evilPage = await currentBrowser().context.newPage();
    await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const outcome = await evilPage.evaluate(async (base) => {
      const attempts: string[] = [];
      try {
        const r = await fetch(`${base}api/state`, { credentials: "include" });
        attempts.push(`read ${r.status}`);
      } catch {
        attempts.push("read blocked");
      }
      await fetch(`${base}api/save`, {
        method: "POST",
        mode: "no-cors",
        credentials: "include",
        body: JSON.stringify({
          config: { name: "pwned", schema_version: "latest", metadata: {}, prompts: [] },
          baseVersion: "",
          force: true,
        }),
      }).catch(() => {});
      return attempts;
    }, editor.base);
    assert.deepEqual(outcome, ["read blocked"]);
    assert.equal(readFileSync(editor.file, "utf8"), before, "the foreign page changed nothing");
    await evilPage.close();
    evil.close();
    await page.close();
  });

  test("bad input gets a clear message in the page and never reaches the file", async () => {
    const { editor, page } = await open(
      testConfig([
        { name: "first", input: "a", metadata: { model: "echo", parameters: { x: "1" } } },
        { name: "second", input: "b", metadata: { model: "echo" } },
        { name: "structured", input: { data: { question: "why?" } }, metadata: { model: "echo" } },
      ]),
    );
    const before = readFileSync(editor.file, "utf8");
    const structured = cell(page, "structured");
    await structured.getByLabel("input of structured").fill('{"question": "why?",');
    await structured.locator(".field-error", { hasText: "the input is not valid JSON" }).waitFor();
    const second = cell(page, "second");
    const name = second.getByLabel("prompt name");
    await name.fill("first");
    await name.press("Enter");
    await second.locator(".field-error", { hasText: 'a prompt named "first" already exists; the name stays "second"' }).waitFor();
    assert.equal(await name.inputValue(), "second");
    const first = cell(page, "first");
    await first.getByRole("button", { name: /^Parameters/ }).click();
    await first.getByLabel("parameter name").fill("my param");
    await first.locator(".field-error", { hasText: '"my param" is not a valid parameter name' }).waitFor();
    await first.getByRole("button", { name: /^Settings/ }).click();
    await first.getByLabel("raw JSON settings of first").check();
    await first.getByLabel("settings of first JSON").fill('{"shout": tru');
    await first.locator(".field-error", { hasText: "not valid JSON settings" }).waitFor();
    assert.equal(await page.locator("[data-dirty]").getAttribute("data-dirty"), "false", "nothing bad was applied");
    assert.equal(readFileSync(editor.file, "utf8"), before);
    await page.close();
  });

  test("settings form from the provider's schema, raw JSON toggle, searchable model picker", async () => {
    const { editor, page } = await open(testConfig([{ name: "p", input: "quiet words", metadata: { model: "echo" } }]));
    const p = cell(page, "p");
    await p.getByRole("button", { name: /^Settings/ }).click();
    await p.getByLabel("shout").selectOption("true");
    await p.getByLabel("delay_ms").fill("5");
    await p.getByLabel("style").selectOption({ label: "quoted" });
    await p.getByLabel("raw JSON settings of p").check();
    assert.deepEqual(JSON.parse(await p.getByLabel("settings of p JSON").inputValue()), { shout: true, delay_ms: 5, style: "quoted" });
    await p.getByRole("button", { name: "▶ Run" }).click();
    await p.locator('.run-status[data-status="done"]').waitFor();
    assert.equal(await shownText(p), '"QUIET WORDS"');
    const options = await page.locator("datalist#aiw-models option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (const m of ["echo", "slow-echo", "burst", "fail-model"]) assert.ok(options.includes(m), `${m} in ${options.join(",")}`);
    await p.getByLabel("model of p").fill("burst");
    assert.equal(await p.locator(".provider-badge").textContent(), "burst");
    await page.keyboard.press("Control+s");
    await page.locator('[data-dirty="false"]').waitFor();
    assert.deepEqual(readJSON(editor.file).prompts[0]!.metadata!.model, {
      name: "burst",
      settings: { shout: true, delay_ms: 5, style: "quoted" },
    });
    await page.close();
  });

  test("Jupyter keys: Esc, B and A insert, D D deletes, Z undoes, Shift+Enter runs and moves on", async () => {
    const { page } = await open(
      testConfig([
        { name: "one", input: "first cell", metadata: { model: "echo" } },
        { name: "two", input: "second cell", metadata: { model: "echo" } },
      ]),
    );
    const names = () => page.locator("section[data-cell-name]").evaluateAll((s) => s.map((e) => (e as HTMLElement).dataset.cellName));
    await cell(page, "one").getByLabel("input of one").click();
    await page.keyboard.press("Escape");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-cell-name")), "one");
    await page.keyboard.press("b");
    assert.deepEqual(await names(), ["one", "prompt_3", "two"]);
    await page.keyboard.press("Escape");
    await page.keyboard.press("a");
    assert.deepEqual(await names(), ["one", "prompt_4", "prompt_3", "two"]);
    await page.keyboard.press("Escape");
    await page.keyboard.press("d");
    await page.keyboard.press("d");
    assert.deepEqual(await names(), ["one", "prompt_3", "two"]);
    await page.keyboard.press("z");
    assert.deepEqual(await names(), ["one", "prompt_4", "prompt_3", "two"]);
    await cell(page, "one").getByLabel("input of one").click();
    await page.keyboard.press("Shift+Enter");
    await cell(page, "one").locator('.run-status[data-status="done"]').waitFor();
    assert.equal(await shownText(cell(page, "one")), "first cell");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-cell-name")), "prompt_4");
    await cell(page, "two").getByLabel("input of two").click();
    await page.keyboard.press("Control+Enter");
    await cell(page, "two").locator('.run-status[data-status="done"]').waitFor();
    assert.equal(await shownText(cell(page, "two")), "second cell", "Ctrl+Enter ran the cell");
    assert.equal(await focusedCell(page), null, "and stayed in its text field (no move)");
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement).getAttribute("aria-label")), "input of two");
    await page.keyboard.press("Control+z");
    assert.deepEqual(await names(), ["one", "prompt_3", "two"], "Ctrl+Z undid the last structural edit (inserting prompt_4)");
    await page.keyboard.press("Control+Shift+z");
    assert.deepEqual(await names(), ["one", "prompt_4", "prompt_3", "two"], "Ctrl+Shift+Z redid it");
    await page.keyboard.press("Escape");
    await page.keyboard.press("z");
    assert.deepEqual(await names(), ["one", "prompt_3", "two"]);
    await page.keyboard.press("Shift+Z");
    assert.deepEqual(await names(), ["one", "prompt_4", "prompt_3", "two"], "Shift+Z redoes in command mode");
    await page.close();
  });

  test("run all runs every cell and shows status, duration and outputs; a failure skips only the cells that use it; clear outputs empties them", async () => {
    const { page } = await open(
      testConfig([
        { name: "a", input: "alpha", metadata: { model: "echo" } },
        { name: "b", input: "{{a.output}} beta", metadata: { model: "echo" } },
        { name: "c", input: "gamma", metadata: { model: "fail-model" } },
        { name: "uses_c", input: "{{c.output}} delta", metadata: { model: "echo" } },
        { name: "after_c", input: "epsilon", metadata: { model: { name: "echo", settings: { delay_ms: 50 } } } },
      ]),
    );
    await page.getByRole("button", { name: "▶ Run all" }).click();
    await cell(page, "b").locator('.run-status[data-status="done"]').waitFor();
    await cell(page, "c").locator('.run-status[data-status="error"]').waitFor();
    await cell(page, "after_c").locator('.run-status[data-status="done"]').waitFor();
    assert.equal(await shownText(cell(page, "after_c")), "epsilon", "a later cell that does not use the failed one runs");
    await cell(page, "uses_c").locator('.run-status[data-status="skipped"]').waitFor();
    assert.match((await cell(page, "uses_c").locator(".run-status").textContent()) ?? "", /uses "c", which failed/);
    assert.equal(await shownText(cell(page, "b")), "alpha beta");
    assert.match((await cell(page, "c").locator(".output-error").textContent()) ?? "", /upstream refused the key/);
    assert.match((await cell(page, "a").locator(".duration").textContent()) ?? "", /\d+ ms|\d+\.\d+ s/);
    await page.getByRole("button", { name: "Clear outputs" }).click();
    assert.equal(await page.locator(".outputs").count(), 0);
    await page.close();
  });

  test("attachments from a local file picker are stored under the file's folder or inline", async () => {
    const { editor, page } = await open(testConfig([{ name: "look", input: "what is this", metadata: { model: "echo" } }]));
    const look = cell(page, "look");
    await look.getByRole("button", { name: /^Attachments/ }).click();
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082",
      "hex",
    );
    await look.getByLabel("attachment file").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: png });
    await look.locator(".attachment", { hasText: "attachments/dot.png" }).waitFor();
    assert.deepEqual(readFileSync(join(editor.dir, "attachments", "dot.png")), png);
    await look.getByLabel("store attachments as").selectOption("base64");
    await look.getByLabel("attachment file").setInputFiles({ name: "note.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await look.locator(".attachment", { hasText: "inline text/plain" }).waitFor();
    assert.equal(await look.locator(".attachment img").evaluate((i) => (i as HTMLImageElement).naturalWidth), 1, "the image preview loads");
    await look.getByRole("button", { name: "▶ Run" }).click();
    await look.locator('.run-status[data-status="done"]').waitFor();
    await page.keyboard.press("Control+s");
    await page.locator('[data-dirty="false"]').waitFor();
    const saved = readJSON(editor.file).prompts[0]!;
    assert.deepEqual(saved.input, {
      data: "what is this",
      attachments: [
        { data: { kind: "file_uri", value: "attachments/dot.png" }, mime_type: "image/png" },
        { data: { kind: "base64", value: Buffer.from("hello").toString("base64") }, mime_type: "text/plain" },
      ],
    });
    assert.deepEqual(
      (saved.outputs![0]!.metadata as { attachments: string[] }).attachments,
      ["image/png", "text/plain"],
      "the provider got both",
    );
    await page.close();
  });

  test("read-only: no editing or running; the export is one self-contained page that shows the outputs", async () => {
    const config = testConfig([
      {
        name: "done_before",
        input: "kept {{x}}",
        metadata: { model: "echo", parameters: { x: "1" } },
        outputs: [{ output_type: "execute_result", data: "## A heading\n\n<img src=x onerror=alert(1)>" }],
      },
    ]);
    const { editor, page } = await open(config, { readOnly: true });
    assert.equal(await page.getByRole("button", { name: "▶ Run" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Save", exact: true }).count(), 0);
    assert.equal(await cell(page, "done_before").getByLabel("input of done_before").getAttribute("readonly"), "");
    assert.equal(await page.locator(".markdown h2").textContent(), "A heading");
    assert.equal(await page.locator(".output-text img").count(), 0, "raw HTML in outputs is shown as text");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export HTML" }).click()]);
    const exported = join(editor.dir, "exported.html");
    await download.saveAs(exported);
    const offline = await currentBrowser().context.newPage();
    await offline.goto(`file://${exported}`);
    await offline.waitForSelector('[data-ready="true"]');
    assert.equal(await offline.locator(".markdown h2").textContent(), "A heading");
    assert.equal(await offline.getByRole("button", { name: "▶ Run" }).count(), 0);
    await offline.close();
    await page.close();
  });

  test("when the server goes away, unsaved edits stay in the page and can be downloaded", async () => {
    const { editor, page } = await open(testConfig([{ name: "p", input: "before", metadata: { model: "echo" } }]));
    await cell(page, "p").getByLabel("input of p").fill("unsaved words");
    await editor.close();
    const banner = page.locator(".banner", { hasText: "not reachable" });
    await banner.waitFor({ timeout: 15_000 });
    assert.equal(await cell(page, "p").getByLabel("input of p").inputValue(), "unsaved words");
    const [download] = await Promise.all([page.waitForEvent("download"), banner.getByRole("button", { name: "Download JSON" }).click()]);
    const path = join(editor.dir, "rescued.json");
    await download.saveAs(path);
    assert.equal(readJSON(path).prompts[0]!.input, "unsaved words");
    assert.ok(existsSync(editor.file));
    await page.close();
  });
});
