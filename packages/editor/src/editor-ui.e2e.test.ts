/**
 * End-to-end tests of the AI Workbook's controls in real headless Chromium:
 * keyboard navigation, help, theme, moving cells, editing the document's
 * parts, pickers from the providers' capabilities, outputs by type, and the
 * exported page. The test providers module supplies the models.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { cell, cellNames, focusedCell, readJSON, shownText, withBrowser } from "./e2e.test.helper.js";
import { testConfig } from "./server.test.helper.js";

const { browser, open } = withBrowser();

describe("the AI Workbook's controls", () => {
  test("K/J and arrows select cells, ? shows the shortcuts, the theme switch flips and is remembered", async () => {
    const { page } = await open(
      testConfig([
        { name: "one", input: "1", metadata: { model: "echo" } },
        { name: "two", input: "2", metadata: { model: "echo" } },
        { name: "three", input: "3", metadata: { model: "echo" } },
      ]),
    );
    await cell(page, "one").getByLabel("input of one").click();
    await page.keyboard.press("Escape");
    await page.keyboard.press("j");
    assert.equal(await focusedCell(page), "two");
    await page.keyboard.press("j");
    assert.equal(await focusedCell(page), "three");
    await page.keyboard.press("j");
    assert.equal(await focusedCell(page), "three", "J stops at the last cell");
    await page.keyboard.press("k");
    assert.equal(await focusedCell(page), "two");
    await page.keyboard.press("ArrowUp");
    assert.equal(await focusedCell(page), "one");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "input of one", "Enter edits");
    await page.keyboard.press("Escape");

    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "keyboard shortcuts" });
    await help.waitFor();
    assert.match((await help.textContent()) ?? "", /Shift\+Enter.*run the prompt and go to the next/);
    await page.keyboard.press("Escape");
    assert.equal(await help.count(), 0, "Esc closes the help");

    const theme = () => page.locator(".aiw").getAttribute("data-theme");
    assert.equal(await theme(), "light");
    await page.getByRole("button", { name: "theme" }).click();
    assert.equal(await theme(), "dark");
    await page.reload();
    await page.waitForSelector('[data-ready="true"]');
    assert.equal(await theme(), "dark", "the choice is remembered");
    await page.getByRole("button", { name: "theme" }).click();
    assert.equal(await theme(), "light");
    await page.close();
  });

  test("move buttons reorder cells; undo and redo buttons step back and forth; the saved file has the new order", async () => {
    const { editor, page } = await open(
      testConfig([
        { name: "first", input: "1", metadata: { model: "echo" } },
        { name: "second", input: "2", metadata: { model: "echo" } },
      ]),
    );
    assert.equal(await cell(page, "first").getByRole("button", { name: "move up" }).isDisabled(), true);
    await cell(page, "first").getByRole("button", { name: "move down" }).click();
    assert.deepEqual(await cellNames(page), ["second", "first"]);
    assert.equal(await cell(page, "first").getByRole("button", { name: "move down" }).isDisabled(), true, "the last cell cannot go down");
    await page.getByRole("button", { name: "undo" }).click();
    assert.deepEqual(await cellNames(page), ["first", "second"]);
    await page.getByRole("button", { name: "redo" }).click();
    assert.deepEqual(await cellNames(page), ["second", "first"]);
    await cell(page, "first").getByRole("button", { name: "move up" }).click();
    await cell(page, "first").getByRole("button", { name: "move down" }).click();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.locator('[data-dirty="false"]').waitFor();
    assert.deepEqual(
      readJSON(editor.file).prompts.map((p) => p.name),
      ["second", "first"],
    );
    await page.close();
  });

  test("editing the name, description, default model, global and local parameters and global settings is saved; settings show where their value comes from", async () => {
    const { editor, page } = await open(
      testConfig([{ name: "p", input: "Hi {{hero}} and {{sidekick}}", metadata: { model: "echo", parameters: { sidekick: "Robin" } } }]),
    );
    await page.getByLabel("config name").fill("Renamed notebook");
    await page.getByRole("button", { name: "+ Add a description" }).click();
    await page.getByLabel("config description").fill("A **bold** plan");
    await page.getByLabel("config name").click();
    assert.equal(await page.locator(".description-view strong").textContent(), "bold", "the description renders as markdown");
    await page.getByLabel("default model", { exact: true }).fill("slow-echo");
    await page.getByLabel("default model", { exact: true }).press("Enter");

    await page.getByRole("button", { name: /^Global parameters/ }).click();
    const globals = page.getByRole("group", { name: "global parameters" });
    await globals.getByRole("button", { name: "+ Add parameter" }).click();
    await globals.getByLabel("parameter name").fill("heroine");
    await globals.getByLabel("value of heroine").fill("Ada");

    await page.getByRole("button", { name: /^Global model settings/ }).click();
    await page.getByLabel("model to add settings for").fill("echo");
    await page.getByRole("button", { name: "Add model settings" }).click();
    const globalEcho = page.getByRole("group", { name: "global settings of echo" });
    await globalEcho.getByLabel("shout").selectOption("true");

    const p = cell(page, "p");
    await p.getByRole("button", { name: /^Parameters/ }).click();
    const local = p.getByRole("group", { name: "parameters of p" });
    await local.getByLabel("value of sidekick").fill("Alfred");
    await local.getByLabel("parameter name").fill("butler");
    await local.getByLabel("value of butler").click(); // leaving the name field offers to rename the uses
    const offer = page.locator(".banner", { hasText: '"sidekick" is now "butler"' });
    await offer.waitFor();
    await offer.getByRole("button", { name: "Rename the uses to {{butler}}" }).click();
    assert.equal(await p.getByLabel("input of p").inputValue(), "Hi {{hero}} and {{butler}}");

    await p.getByRole("button", { name: /^Settings/ }).click();
    const shout = p.getByRole("group", { name: "settings of p" }).locator(".setting-field", { hasText: "shout" });
    assert.equal(await shout.locator(".setting-source").textContent(), "true from the file's settings for echo");
    assert.equal(await shout.locator(".setting-source").getAttribute("data-source"), "file");
    await shout.getByLabel("shout").selectOption("false");
    assert.equal(await shout.locator(".setting-source").textContent(), "false from this prompt");

    await page.keyboard.press("Control+s");
    await page.locator('[data-dirty="false"]').waitFor();
    const saved = readJSON(editor.file);
    assert.equal(saved.name, "Renamed notebook");
    assert.equal(saved.description, "A **bold** plan");
    assert.equal(saved.metadata.default_model, "slow-echo");
    assert.deepEqual(saved.metadata.parameters, { heroine: "Ada" });
    assert.deepEqual(saved.metadata.models, { echo: { shout: true } });
    assert.deepEqual(saved.prompts[0]!.metadata!.parameters, { butler: "Alfred" });
    assert.deepEqual(saved.prompts[0]!.metadata!.model, { name: "echo", settings: { shout: false } });
    assert.equal(saved.prompts[0]!.input, "Hi {{hero}} and {{butler}}");
    await page.close();
  });

  test("outputs by type: tool calls after the text the model wrote beside them, an audio player, a video player, and reasoning (Gemini's thoughts) collapsed above the answer", async () => {
    const { editor, page } = await open(
      testConfig([
        { name: "tools", input: "weather?", metadata: { model: "tool-caller" } },
        { name: "speech", input: "say it", metadata: { model: "tone" } },
        { name: "film", input: "film it", metadata: { model: "video-maker" } },
        { name: "think", input: "six times seven", metadata: { model: "reasoner" } },
      ]),
    );
    mkdirSync(join(editor.dir, "media"));
    writeFileSync(join(editor.dir, "media", "clip.webm"), Buffer.from("1a45dfa3", "hex"));
    await page.getByRole("button", { name: "▶ Run all" }).click();
    for (const name of ["tools", "speech", "film", "think"]) await cell(page, name).locator('.run-status[data-status="done"]').waitFor();
    assert.equal(await cell(page, "tools").locator(".tool-call-name code").textContent(), "get_weather");
    assert.match((await cell(page, "tools").locator(".tool-call pre").textContent()) ?? "", /"city": "Paris"/);
    assert.equal(
      (await cell(page, "tools").locator(".output-tools > :first-child").textContent())?.trim(),
      "Let me look up the weather in Paris.",
      "the text beside the calls comes first",
    );
    assert.match((await cell(page, "speech").locator("audio.output-audio").getAttribute("src")) ?? "", /^data:audio\/wav;base64,UklGR/);
    assert.match(
      (await cell(page, "film").locator("video.output-video").getAttribute("src")) ?? "",
      /api\/files\?.*path=media%2Fclip\.webm/,
    );
    const reasoning = cell(page, "think").locator("details.reasoning");
    assert.equal(await reasoning.getAttribute("open"), null, "collapsed");
    assert.equal(await reasoning.locator("summary").textContent(), "Reasoning");
    assert.equal(await shownText(cell(page, "think")), "The answer to six times seven is 42.");
    const order = await cell(page, "think")
      .locator(".output-with-reasoning > *")
      .evaluateAll((els) => els.map((e) => e.className));
    assert.match(order[0]!, /reasoning/, "the reasoning comes before the answer");
    await reasoning.locator("summary").click();
    assert.equal(await reasoning.locator(".reasoning-text").textContent(), "First I considered the question; then I counted.");
    await page.close();
  });

  test("a new cell starts from a task with its default model; the picker groups models by task and provider and says which run offline", async () => {
    const { page } = await open(testConfig([{ name: "p", input: "x", metadata: { model: "echo" } }]));
    await page.getByRole("button", { name: "+ Add prompt" }).click();
    const menu = page.getByRole("menu", { name: "add a cell for a task" });
    const tts = menu.locator('[data-task="text-to-speech"]');
    assert.match((await tts.textContent()) ?? "", /Text-to-Speech tone · offline/);
    assert.equal(await menu.locator('[data-task="text-to-image"]').isDisabled(), true, "no provider does text-to-image here");
    await tts.click();
    assert.deepEqual(await cellNames(page), ["p", "prompt_2"]);
    assert.equal(await cell(page, "prompt_2").getByLabel("model of prompt_2").inputValue(), "tone");
    const groups = await cell(page, "p")
      .getByLabel("models of p by task")
      .locator("optgroup")
      .evaluateAll((gs) => gs.map((g) => (g as HTMLOptGroupElement).label));
    assert.ok(groups.includes("Text-to-Speech · tone — offline"), groups.join(" | "));
    assert.ok(groups.includes("Other · echo"), groups.join(" | "));
    await cell(page, "p").getByLabel("models of p by task").selectOption("tone");
    assert.equal(await cell(page, "p").getByLabel("model of p").inputValue(), "tone");
    await page.close();
  });

  test("a prompt using another's missing output offers Run with dependencies, which runs both", async () => {
    const { page } = await open(
      testConfig([
        { name: "story", input: "once upon", metadata: { model: "echo" } },
        { name: "summary", input: "sum: {{story.output}}", metadata: { model: "echo" } },
      ]),
    );
    const summary = cell(page, "summary");
    await summary.getByRole("button", { name: "▶ Run", exact: true }).click();
    await summary.locator('.run-status[data-status="error"]').waitFor();
    assert.match((await summary.locator(".output-error").textContent()) ?? "", /run "story" first, or use ▶▶ With dependencies/);
    await summary.getByRole("button", { name: "▶▶ Run with dependencies" }).click();
    await summary.locator('.run-status[data-status="done"]').waitFor();
    assert.equal(await shownText(summary), "sum: once upon");
    assert.equal(await shownText(cell(page, "story")), "once upon");
    await page.close();
  });

  test("reloading the page after the file changed on disk shows the disk version", async () => {
    const { editor, page } = await open(testConfig([{ name: "p", input: "from before", metadata: { model: "echo" } }]));
    writeFileSync(editor.file, JSON.stringify(testConfig([{ name: "p", input: "changed on disk", metadata: { model: "echo" } }])));
    await page.reload();
    await page.waitForSelector('[data-ready="true"]');
    assert.equal(await cell(page, "p").getByLabel("input of p").inputValue(), "changed on disk");
    await cell(page, "p").getByLabel("input of p").fill("edited again");
    await page.keyboard.press("Control+s");
    await page.locator('[data-dirty="false"]').waitFor();
    assert.equal(readJSON(editor.file).prompts[0]!.input, "edited again", "saving after the reload is not a conflict");
    await page.close();
  });

  test("the exported page shows no control that needs a server, and remote media as links it does not load", async () => {
    const { editor, page } = await open(
      testConfig([
        {
          name: "pic",
          input: "draw",
          metadata: { model: "nobody-serves-this" },
          outputs: [
            {
              output_type: "execute_result",
              data: { kind: "file_uri", value: "https://images.example/cat.png" },
              mime_type: "image/png",
            },
          ],
        },
      ]),
    );
    const requests: string[] = [];
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export HTML" }).click()]);
    const exported = join(editor.dir, "exported.html");
    await download.saveAs(exported);
    const offline = await browser().context.newPage();
    offline.on("request", (r) => requests.push(r.url()));
    await offline.goto(`file://${exported}`);
    await offline.waitForSelector('[data-ready="true"]');
    for (const name of ["⤓ YAML", "Export HTML", "Save", "▶ Run all"])
      assert.equal(await offline.getByRole("button", { name, exact: true }).count(), 0, name);
    assert.equal(await offline.getByRole("button", { name: "⤓ JSON" }).count(), 1, "downloading JSON works in a static page");
    assert.equal(await offline.locator(".provider-badge").count(), 0);
    assert.equal(await offline.locator("img.output-image").count(), 0);
    assert.equal(await offline.locator(".output-remote a").getAttribute("href"), "https://images.example/cat.png");
    assert.deepEqual(
      requests.filter((u) => !u.startsWith("file:") && !u.startsWith("data:")),
      [],
      "the page loads nothing from anywhere",
    );
    await offline.close();
    await page.close();
  });
});
