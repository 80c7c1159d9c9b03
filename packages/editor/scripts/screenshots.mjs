#!/usr/bin/env node
// Writes screenshots of the AI Workbook, light and dark, into docs/screenshots/
// (docs/screenshots/editor-light.png, editor-dark.png). Runs a story cell on
// the local GGUF model (stories260K) for a real output.
// Usage: npm run build && node packages/editor/scripts/screenshots.mjs [OUT_DIR]
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkReady, launch, packageDir, startBenchEditor } from "../bench/bench-support.mjs";

checkReady();
const out = resolve(process.argv[2] ?? join(packageDir, "..", "..", "docs", "screenshots"));
mkdirSync(out, { recursive: true });

const config = {
  name: "Bedtime stories",
  description: "Drafts a **bedtime story** on the local GGUF model, then checks it. Edit `hero` under *Global parameters*.",
  schema_version: "latest",
  metadata: {
    parameters: { hero: "a little fox", place: "the forest" },
    default_model: "stories260K",
    models: { stories260K: { temperature: 0.7 } },
  },
  prompts: [
    {
      name: "story",
      input: "Once upon a time, {{hero}} lived in {{place}}.",
      metadata: { model: { name: "stories260K", settings: { max_tokens: 90 } } },
    },
    {
      name: "title",
      input: "A title for this story: {{story.output}}",
      metadata: { model: { name: "echo", settings: { shout: true, delay_ms: 0 } }, parameters: { style: "short" } },
      outputs: [
        {
          output_type: "execute_result",
          data: {
            kind: "tool_calls",
            value: [{ id: "call_1", type: "function", function: { name: "set_title", arguments: '{"title":"The Little Fox","words":3}' } }],
          },
          metadata: { usage: { prompt_tokens: 112, completion_tokens: 14 } },
        },
      ],
    },
    {
      name: "translate",
      input: "Translate into {{language}}: {{story.output}}",
      metadata: { model: "fail-model" },
      outputs: [
        {
          output_type: "error",
          ename: "MissingParameterError",
          evalue: 'prompt "translate" uses parameter "language" but nothing defines it',
          traceback: [],
        },
      ],
    },
  ],
};

const { editor, cleanup } = await startBenchEditor(config, { withLlama: true, fileName: "bedtime.aiconfig.json" });
const { context, close } = await launch();
try {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(editor.url);
  await page.waitForSelector('[data-ready="true"]');
  const story = page.locator('section[data-cell-name="story"]');
  await story.getByRole("button", { name: "▶ Run" }).click();
  await story.locator('.run-status[data-status="done"]').waitFor({ timeout: 120_000 });
  await page
    .locator('section[data-cell-name="title"]')
    .getByRole("button", { name: /^Settings/ })
    .click();
  await page.locator('section[data-cell-name="title"] textarea.input-text').click();
  for (const theme of ["light", "dark"]) {
    await page.evaluate((t) => {
      localStorage.setItem("aiconfig-editor-theme", t);
    }, theme);
    const current = await page.locator(".aiw").getAttribute("data-theme");
    if (current !== theme) await page.getByRole("button", { name: "theme" }).click();
    await page.mouse.move(0, 0);
    const path = join(out, `editor-${theme}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`wrote ${path}`);
  }
} finally {
  await close();
  await cleanup();
}
