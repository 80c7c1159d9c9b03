#!/usr/bin/env node
// Benchmark: how long a 500-cell notebook takes to open and become
// interactive in headless Chromium (target: under 1.5 s).
// Measured from navigation start: the first cells on screen; "interactive":
// a key typed into the first cell is on screen (the next frame after it);
// every cell rendered (the rest are rendered in chunks typing can interrupt);
// then the key-to-frame time of a key typed into the last cell.
// Usage: npm run build && node packages/editor/bench/open-500-cells.mjs [CELLS] [RUNS]
import { checkReady, launch, median, startBenchEditor } from "./bench-support.mjs";

const CELLS = Number(process.argv[2] ?? 500);
const RUNS = Number(process.argv[3] ?? 5);
checkReady();

const lorem = "The quick brown fox jumps over the lazy dog while the **notebook** keeps every output. ";
const config = {
  name: `${CELLS} cells`,
  description: "A large notebook for the open-time benchmark.",
  schema_version: "latest",
  metadata: { parameters: { topic: "foxes", tone: "dry" }, models: { echo: { delay_ms: 0 } } },
  prompts: Array.from({ length: CELLS }, (_, i) => ({
    name: `cell_${i + 1}`,
    input: `Write about {{topic}} in a {{tone}} tone, part ${i + 1}.${i > 0 ? ` Follow on from {{cell_${i}.output}}.` : ""}`,
    metadata: { model: { name: "echo", settings: { shout: i % 2 === 0 } }, parameters: { part: String(i + 1) } },
    outputs: [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: lorem.repeat(3),
        metadata: { usage: { prompt_tokens: 20, completion_tokens: 60 } },
      },
    ],
  })),
};

const { editor, cleanup } = await startBenchEditor(config);
const { context, close } = await launch();
// marks taken in the page itself, so the benchmark's own polling does not count
await context.addInitScript(() => {
  const marks = (window.__marks = {});
  new MutationObserver(() => {
    if (!marks.firstCells && document.querySelector("section[data-cell-name]")) marks.firstCells = performance.now();
    if (!marks.allCells && document.querySelector('[data-all-cells="true"]')) marks.allCells = performance.now();
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-all-cells"] });
});
const rows = [];

/** Types one key into a cell's input; returns [performance.now() at the next frame, key-to-frame ms]. */
async function typeInto(page, name) {
  const input = page.locator(`section[data-cell-name="${name}"] textarea.input-text`);
  const before = await input.inputValue();
  await input.focus();
  await page.evaluate(() => {
    window.__typed = new Promise((resolve) => {
      document.addEventListener(
        "keydown",
        () => {
          const down = performance.now();
          requestAnimationFrame(() => resolve([performance.now(), performance.now() - down]));
        },
        { once: true },
      );
    });
  });
  await page.keyboard.type("x");
  const result = await page.evaluate(() => window.__typed);
  if ((await input.inputValue()).length !== before.length + 1) throw new Error(`the key typed into ${name} did not arrive`);
  return result;
}

try {
  for (let run = 0; run < RUNS + 1; run++) {
    const page = await context.newPage();
    await page.goto(editor.url, { waitUntil: "commit" });
    await page.waitForSelector('section[data-cell-name="cell_1"]', { timeout: 30_000 });
    const [interactive, firstKeyMs] = await typeInto(page, "cell_1");
    await page.waitForFunction((n) => document.querySelectorAll("section[data-cell-name]").length === n, CELLS, { timeout: 30_000 });
    const { firstCells, allCells } = await page.evaluate(() => window.__marks);
    const [, lastKeyMs] = await typeInto(page, `cell_${CELLS}`);
    // the first run warms the server and the browser's caches
    if (run > 0) rows.push({ firstCells, interactive, firstKeyMs, allCells, lastKeyMs });
    await page.close();
  }
} finally {
  await close();
  await cleanup();
}
const col = (k) => rows.map((r) => r[k]);
const fmt = (x) => `${Math.round(x)} ms`;
const summary = Object.fromEntries(
  ["firstCells", "interactive", "firstKeyMs", "allCells", "lastKeyMs"].map((k) => [
    k,
    { median: Math.round(median(col(k))), max: Math.round(Math.max(...col(k))) },
  ]),
);
console.log(
  `${CELLS} cells, ${RUNS} runs after one warm-up, headless Chromium; times since navigation start (the token redirect included)`,
);
console.log(`first cells on screen: median ${fmt(summary.firstCells.median)} (max ${fmt(summary.firstCells.max)})`);
console.log(
  `interactive (a key typed into the first cell as soon as the benchmark sees it is on screen): median ${fmt(summary.interactive.median)} (max ${fmt(summary.interactive.max)}); key to frame ${fmt(summary.firstKeyMs.median)}`,
);
console.log(`all ${CELLS} cells rendered: median ${fmt(summary.allCells.median)} (max ${fmt(summary.allCells.max)})`);
console.log(
  `then a key typed into the last cell: key to frame median ${fmt(summary.lastKeyMs.median)} (max ${fmt(summary.lastKeyMs.max)})`,
);
console.log(JSON.stringify({ cells: CELLS, runs: RUNS, ...summary }));
