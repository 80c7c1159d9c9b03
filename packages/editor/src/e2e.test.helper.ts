/**
 * Test support for the end-to-end tests: one Chromium per test file, an
 * editor per test opened in a new page, and lookups of cells and outputs.
 */
import { readFileSync } from "node:fs";
import { after, before } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import type { Page } from "playwright-core";
import { type TestBrowser, ensureUiBuilt, launchBrowser } from "./browser.test.helper.js";
import { type TestEditor, startTestEditor } from "./server.test.helper.js";

/** Opens an editor on a document (written to a new folder) in a new page, and waits for it to be ready. */
export type OpenEditor = (
  config: AIConfig | null,
  options?: Parameters<typeof startTestEditor>[1],
) => Promise<{ editor: TestEditor; page: Page }>;

/** Starts Chromium before the file's tests and closes it and the editors after. */
export function withBrowser(): { browser(): TestBrowser; open: OpenEditor } {
  let browser: TestBrowser;
  const editors: TestEditor[] = [];
  before(async () => {
    ensureUiBuilt();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const e of editors) await e.close().catch(() => {});
    await browser?.close();
  });
  async function open(
    config: AIConfig | null,
    options: Parameters<typeof startTestEditor>[1] = {},
  ): Promise<{ editor: TestEditor; page: Page }> {
    const editor = await startTestEditor(config, options);
    editors.push(editor);
    const page = await browser.context.newPage();
    await page.goto(editor.url);
    await page.waitForSelector('[data-ready="true"]');
    return { editor, page };
  }
  return { browser: () => browser, open };
}

/** The cell of a prompt. */
export const cell = (page: Page, name: string) => page.locator(`section[data-cell-name="${name}"]`);
/** The text output a cell shows. */
export const shownText = async (c: ReturnType<typeof cell>) => ((await c.locator(".output-text").first().textContent()) ?? "").trim();
/** A JSON aiconfig file, parsed. */
export const readJSON = (file: string) => JSON.parse(readFileSync(file, "utf8")) as AIConfig;
/** The prompt names in the page, in order. */
export const cellNames = (page: Page) =>
  page.locator("section[data-cell-name]").evaluateAll((s) => s.map((e) => (e as HTMLElement).dataset.cellName));
/** The name of the focused cell. */
export const focusedCell = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("data-cell-name"));
