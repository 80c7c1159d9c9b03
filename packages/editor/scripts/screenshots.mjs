#!/usr/bin/env node
// Writes screenshots of the AI Workbook into docs/screenshots/:
// - editor-light.png, editor-dark.png: the whole notebook, light and dark, with
//   the story cell run on the local GGUF model (stories260K) for a real output,
//   its settings open (each setting's effective value and where it comes from),
//   and a stored answer whose reasoning is collapsed above it;
// - editor-settings-sources.png: the story cell's settings form alone;
// - editor-task-picker.png: the "+ Add prompt" task menu, open.
// The outputs of the cells other than story are constructed (stored in the file).
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
      name: "moral",
      input: "What is the moral of this story? {{story.output}}",
      metadata: { model: "reasoner" },
      outputs: [
        {
          output_type: "execute_result",
          data: "Be kind to the creatures you meet: the fox's friends are the ones who help it home.",
          metadata: {
            reasoning: "The story is about a fox in the forest. Its friends help it, so the moral is about kindness.",
          },
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

const { editor, cleanup } = await startBenchEditor(config, {
  withLlama: true,
  // every provider package of the repository, as `aiconfig edit` registers the installed ones (no keys set: the pickers say so)
  providerPackages: [
    "@aiconfig-ts/openai",
    "@aiconfig-ts/anthropic",
    "@aiconfig-ts/gemini",
    "@aiconfig-ts/huggingface",
    "@aiconfig-ts/local-speech",
    "@aiconfig-ts/local-vision",
  ],
  fileName: "bedtime.aiconfig.json",
});
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
  const shoot = async (name, target = page, options = {}) => {
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    const path = join(out, name);
    await target.screenshot({ path, ...options });
    console.log(`wrote ${path}`);
  };
  for (const theme of ["light", "dark"]) {
    await page.evaluate((t) => {
      localStorage.setItem("aiconfig-editor-theme", t);
    }, theme);
    const current = await page.locator(".aiw").getAttribute("data-theme");
    if (current !== theme) await page.getByRole("button", { name: "theme" }).click();
    await shoot(`editor-${theme}.png`, page, { fullPage: true });
  }
  // close-ups, light theme; the viewport as tall as the page, so that the sticky toolbar covers nothing
  await page.getByRole("button", { name: "theme" }).click();
  await page.locator("textarea.input-text").first().blur();
  await story.getByRole("button", { name: /^Settings/ }).click();
  await story.locator(".setting-source").first().waitFor();
  const fit = async () => {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: 1280, height });
  };
  await fit();
  await shoot("editor-settings-sources.png", story.locator("fieldset.settings"));
  const picker = page.locator(".task-picker").last();
  await picker.getByRole("button", { name: "+ Add prompt" }).click();
  await picker.getByRole("menu", { name: "add a cell for a task" }).waitFor();
  await fit();
  await shoot("editor-task-picker.png", picker);
} finally {
  await close();
  await cleanup();
}
