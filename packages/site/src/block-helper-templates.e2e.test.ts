/**
 * Handlebars block helpers in the static site's page, under its strict
 * Content-Security-Policy (`script-src 'self' 'wasm-unsafe-eval'`, no
 * `'unsafe-eval'`): a prompt whose template uses `{{#each}}`, `{{#if}}`,
 * `{{else}}`, `{{#unless}}`, `{{lookup}}` and paths runs from the page on a
 * mock of OpenAI's API (the recorded stream replayed by `startReplayServer()`
 * behind CORS headers), every other request blocked, and the text the page
 * sent is what Handlebars renders in Node. `Handlebars.compile` builds its
 * render function with `new Function`, which the CSP refuses; core renders
 * such templates in a browser without it (`handlebars-interpreter.ts`).
 */
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, test } from "node:test";
import { readFixtureChunks } from "@aiconfig-ts/testing";
import { siteInBrowser } from "./site.test.helper.js";

const Handlebars = createRequire(import.meta.url)("handlebars") as typeof import("handlebars");

const VISITOR_KEY = "sk-site-visitor-templates-0123456789";

/** Constructed: an itinerary prompt whose template uses block helpers over parameters that are a list, an object and a flag. */
const TEMPLATE = [
  "{{#if formal}}Dear {{traveler.name}},{{else}}Hi!{{/if}}",
  "Plan one day in each city:",
  "{{#each cities}}",
  "{{@index}}. {{this}}{{#if @last}} (last stop){{/if}}",
  "{{/each}}",
  "{{#unless rushed}}Take your time.{{else}}Be quick.{{/unless}} Budget: {{lookup budget traveler.name}} euros.",
].join("\n");
const PARAMETERS = {
  formal: true,
  rushed: false,
  traveler: { name: "Ada" },
  cities: ["Paris", "Oslo", "Lisbon"],
  budget: { Ada: 900, Alan: 400 },
};
const NOTEBOOK = {
  name: "Itinerary",
  schema_version: "latest",
  metadata: { parameters: PARAMETERS, models: { "gpt-4.1-nano": { model: "gpt-4.1-nano", stream: true } } },
  prompts: [{ name: "itinerary", input: TEMPLATE, metadata: { model: "gpt-4.1-nano" } }],
};

describe("Handlebars block helpers in the static site's page (strict CSP, no eval)", () => {
  const site = siteInBrowser(NOTEBOOK, "itinerary.aiconfig.json");

  test("a prompt with #each, #if, #unless, else and lookup runs from the page and sends the text Handlebars renders", async () => {
    const expected = Handlebars.compile(TEMPLATE, { noEscape: true })(PARAMETERS);
    assert.match(
      expected,
      /^Dear Ada,\nPlan one day in each city:\n0\. Paris\n1\. Oslo\n2\. Lisbon \(last stop\)\nTake your time\. Budget: 900 euros\.$/,
    );

    site.replay.reply({ sse: readFixtureChunks("openai", "openai-text.chunks.txt"), done: true });
    const refused: string[] = [];
    const { page, blocked } = await site.open(undefined, true, (page) => {
      page.on("console", (message) => {
        if (/Content Security Policy|unsafe-eval|EvalError/i.test(message.text())) refused.push(message.text());
      });
      page.on("pageerror", (error) => refused.push(String(error)));
    });
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.match(csp ?? "", /script-src 'self' 'wasm-unsafe-eval';/);
    assert.doesNotMatch(csp ?? "", /'unsafe-eval'/, "the page forbids eval and new Function");

    await page.getByRole("button", { name: /^Keys/ }).click();
    await page.locator('input[name="OPENAI_API_KEY"]').fill(VISITOR_KEY);
    await page.getByRole("button", { name: "Keep keys" }).click();
    await page.getByRole("button", { name: "Keys (1)" }).waitFor();
    const requestsBefore = site.replay.requests.length;
    const cell = page.locator('[data-cell-name="itinerary"]');
    await cell.getByRole("button", { name: "▶ Run" }).click();
    const reply = cell.locator(".output-text", { hasText: "Harmony Day" });
    const failure = page.getByRole("alert");
    await reply.or(failure).first().waitFor({ timeout: 30_000 });
    assert.equal(await failure.count(), 0, `the run failed in the page: ${await failure.allTextContents()}`);

    assert.equal(site.replay.requests.length, requestsBefore + 1, "one request to the API");
    const sent = site.replay.requests.at(-1)!;
    assert.equal(sent.path, "/v1/chat/completions");
    assert.equal(sent.body.messages.at(-1).content, expected, "the page rendered the template as Handlebars does");
    assert.deepEqual(refused, [], "no code generation was refused by the CSP");
    assert.deepEqual(blocked, [], "nothing but api.openai.com (mocked) outside the site's origin");
  });
});
