import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as core from "@aiconfig-ts/core";
import { type TestBrowser, launchBrowser } from "./browser.test.helper.js";
import { bundleForPage } from "./page-bundle.test.helper.js";
import { scenarios } from "./runtime-scenarios.js";

/**
 * The scenarios of `runtime-scenarios.ts` on core's browser entry, bundled as a page bundles it
 * (esbuild, `platform: "browser"`), in Debian's Chromium; each answer must equal Node's.
 */
let browser: TestBrowser;
before(async () => {
  const bundle = await bundleForPage(
    [
      'import * as core from "@aiconfig-ts/core";',
      'import { scenarios } from "./runtime-scenarios.ts";',
      "globalThis.runScenario = (name) => scenarios[name](core);",
      'globalThis.corePlatform = core.runsInBrowser() ? "browser" : "node";',
    ].join("\n"),
    "ts",
  );
  browser = await launchBrowser();
  await browser.page.setContent("<!doctype html><title>core in a browser</title>");
  await browser.page.addScriptTag({ content: bundle, type: "module" });
  await browser.page.waitForFunction(() => typeof (globalThis as { runScenario?: unknown }).runScenario === "function");
});
after(async () => {
  await browser?.close();
});

const inBrowser = (name: string) =>
  browser.page.evaluate((n) => (globalThis as unknown as { runScenario(n: string): Promise<unknown> }).runScenario(n), name);

describe("core's runtime behaves the same in Node and in a browser", () => {
  test("the page runs core's browser platform, Node its Node platform", async () => {
    assert.equal(await browser.page.evaluate(() => (globalThis as { corePlatform?: string }).corePlatform), "browser");
    assert.equal(core.runsInBrowser(), false);
  });

  for (const name of Object.keys(scenarios))
    test(name, async () => {
      const node = await scenarios[name]!(core);
      const page = await inBrowser(name);
      assert.deepEqual(page, node);
      assert.deepEqual(browser.pageErrors, []);
    });

  test("what the scenarios give in Node is what the runtime should give", async () => {
    assert.deepEqual(await scenarios["a {{a.output}} chain"]!(core), {
      story: "Once upon a time a crow met a fox",
      moral: "The moral of: Once upon a time a crow met a fox",
    });
    const streamed = (await scenarios["streaming chunks"]!(core)) as { chunks: string[]; output: string };
    assert.equal(streamed.chunks.length, 8);
    assert.equal(streamed.chunks.join(""), streamed.output);
    const cancelled = (await scenarios["cancel mid-stream"]!(core)) as { chunks: string[]; error?: { name: string } };
    assert.equal(cancelled.error?.name, "RunAbortedError");
    assert.ok(cancelled.chunks.length < 10);
    const failed = (await scenarios["an error output"]!(core)) as { outputs: { output_type: string; evalue?: string }[] };
    assert.equal(failed.outputs[0]?.output_type, "error");
    assert.match(failed.outputs[0]?.evalue ?? "", /refused: no such model upstream/);
    const batch = (await scenarios["a batch over rows, with dependencies and checks"]!(core)) as {
      output: string;
      key: string;
      expect: { pass: boolean }[];
    }[];
    assert.deepEqual(
      batch.map((r) => [r.output, r.expect.map((e) => e.pass)]),
      [
        ["The moral of: Once upon a time a crow met a fox", [true]],
        ["The moral of: Once upon a time a hare met a fox", [false]],
        ["The moral of: Once upon a time an owl met a fox", [true]],
      ],
    );
    assert.ok(batch.every((r) => /^[0-9a-f]{32}$/.test(r.key)));
  });
});
