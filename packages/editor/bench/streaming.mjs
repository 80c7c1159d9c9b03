#!/usr/bin/env node
// Benchmark: how fast a streaming cell renders (target: >= 500 tokens/s)
// and whether typing in another cell stays responsive meanwhile.
// Streams from the `burst` test provider (at 1,000 and 5,000 tokens/s) and
// from the local GGUF model (stories260K), in headless
// Chromium. Token rate = tokens shown in the page (the provider's reported
// output tokens, else words) / time from the first to the last shown text. Typing latency = a key typed in another cell until
// the next frame, while the stream runs (and with nothing running).
// Usage: npm run build && node packages/editor/bench/streaming.mjs [--no-gguf]
// (--no-gguf: only the burst provider, e.g. on a loaded machine where the model's load times out)
import { checkReady, launch, median, percentile, startBenchEditor } from "./bench-support.mjs";

checkReady();
const config = {
  name: "streaming",
  schema_version: "latest",
  metadata: {},
  prompts: [
    { name: "fast", input: "go", metadata: { model: { name: "burst", settings: { tokens: 15000, rate: 5000 } } } },
    { name: "paced", input: "go", metadata: { model: { name: "burst", settings: { tokens: 3000, rate: 1000 } } } },
    {
      name: "gguf",
      input: "Once upon a time",
      metadata: { model: { name: "stories260K", settings: { max_tokens: 1000, temperature: 0.8 } } },
    },
    { name: "notes", input: "Type here while the others stream: ", metadata: { model: { name: "echo" } } },
  ],
};

const { editor, cleanup } = await startBenchEditor(config, { withLlama: true });
const { context, close } = await launch();
const results = {};
try {
  const page = await context.newPage();
  await page.goto(editor.url);
  await page.waitForSelector('[data-ready="true"]');
  const notes = page.locator('section[data-cell-name="notes"] textarea.input-text');

  async function typingLatencies(count) {
    const out = [];
    await notes.focus();
    for (let i = 0; i < count; i++) {
      await page.evaluate(() => {
        window.__lat = new Promise((resolve) => {
          const start = performance.now();
          document.addEventListener(
            "keydown",
            () => {
              const down = performance.now();
              requestAnimationFrame(() => resolve([down - start, performance.now() - down]));
            },
            { once: true },
          );
        });
      });
      await page.keyboard.type("k");
      const [, frame] = await page.evaluate(() => window.__lat);
      out.push(frame);
    }
    return out;
  }

  async function stream(name, { type = true } = {}) {
    // count tokens shown in the cell on every frame while it streams
    await page.evaluate((cell) => {
      const w = window;
      w.__samples = [];
      w.__sampling = true;
      const sample = () => {
        const el = document.querySelector(`section[data-cell-name="${cell}"] .output-stream`);
        if (el) w.__samples.push([performance.now(), (el.textContent.match(/\S+/g) ?? []).length]);
        if (w.__sampling) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
    }, name);
    const cell = page.locator(`section[data-cell-name="${name}"]`);
    await cell.getByRole("button", { name: "▶ Run" }).click();
    await cell.locator(".output-stream").waitFor();
    const latencies = type ? await typingLatencies(30) : [];
    await cell.locator('.run-status[data-status="done"]').waitFor({ timeout: 120_000 });
    const samples = await page.evaluate(() => {
      window.__sampling = false;
      return window.__samples;
    });
    const shown = samples.filter(([, n]) => n > 0);
    const first = shown[0];
    const last = shown.at(-1);
    const words = last[1];
    const seconds = (last[0] - first[0]) / 1000;
    const frames = shown.length;
    // the model's own count of generated tokens, when it reports one (the GGUF model's tokens are pieces of words)
    await cell
      .locator(".usage")
      .waitFor({ timeout: 5000 })
      .catch(() => {});
    const usage =
      (await cell
        .locator(".usage")
        .textContent({ timeout: 100 })
        .catch(() => "")) ?? "";
    const out = /(\d+) out/.exec(usage);
    const tokens = out ? Number(out[1]) : words;
    return {
      tokensShown: tokens,
      words,
      seconds: Number(seconds.toFixed(3)),
      tokensPerSecond: Math.round(tokens / seconds),
      frames,
      typingFrameMs: latencies,
    };
  }

  const idle = await typingLatencies(30);
  results.idleTyping = { p50: median(idle), p95: percentile(idle, 95) };
  const names = process.argv.includes("--no-gguf") ? ["fast", "paced"] : ["fast", "paced", "gguf"];
  // warm the GGUF model once (loading it is not streaming)
  if (names.includes("gguf")) await stream("gguf", { type: false });
  for (const name of names) {
    const r = await stream(name);
    results[name] = {
      tokensShown: r.tokensShown,
      words: r.words,
      seconds: r.seconds,
      tokensPerSecond: r.tokensPerSecond,
      framesWithText: r.frames,
      typingP50Ms: Number(median(r.typingFrameMs).toFixed(1)),
      typingP95Ms: Number(percentile(r.typingFrameMs, 95).toFixed(1)),
    };
  }
  const typed = await notes.inputValue();
  const ks = typed.split("k").length - 1;
  if (ks !== 30 * (names.length + 1)) throw new Error(`typed keys were lost: ${ks} of ${30 * (names.length + 1)} arrived`);
  await page.close();
} finally {
  await close();
  await cleanup();
}
console.log(
  `typing with nothing running: key to next frame p50 ${results.idleTyping.p50.toFixed(1)} ms, p95 ${results.idleTyping.p95.toFixed(1)} ms`,
);
for (const [name, label] of [
  ["fast", "burst provider, 15000 tokens at 5000 tokens/s"],
  ["paced", "burst provider, 3000 tokens at 1000 tokens/s"],
  ["gguf", "local GGUF model stories260K, max_tokens 1000"],
]) {
  const r = results[name];
  if (!r) continue;
  console.log(
    `${label}: ${r.tokensShown} tokens (${r.words} words) shown in ${r.seconds} s = ${r.tokensPerSecond} tokens/s over ${r.framesWithText} frames; typing in another cell meanwhile: p50 ${r.typingP50Ms} ms, p95 ${r.typingP95Ms} ms`,
  );
}
console.log(JSON.stringify(results));
