import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusFile } from "@aiconfig-ts/testing";
import { AIConfigRuntime, MissingOutputError, type Provider, ProviderRegistry } from "./index.js";

/** A real, tiny provider (constructed for these tests): answers with its rendered input in capitals. */
const shout: Provider<string> = {
  id: "shout",
  servesModel: () => true,
  resolve: (ctx) => ctx.input.text,
  run: async (text) => [{ output_type: "execute_result", data: text.toUpperCase() }],
};

/** A real file of the original project: `gen_itinerary` uses `{{get_activities.output}}`, and no prompt has an output. */
function travel(strict: boolean): AIConfigRuntime {
  const rt = AIConfigRuntime.load(corpusFile("cookbooks__Getting-Started__travel.aiconfig.json"), {
    registry: new ProviderRegistry(),
    strict,
    env: {},
  });
  rt.registry.register(shout);
  return rt;
}

describe("{{NAME.output}} of a prompt that has no output", () => {
  test("strict mode: an error naming both prompts and the fix, not half a prompt", async () => {
    await assert.rejects(travel(true).resolve("gen_itinerary"), (e: unknown) => {
      assert.ok(e instanceof MissingOutputError);
      assert.equal(e.reference, "get_activities");
      assert.equal(e.prompt, "gen_itinerary");
      assert.match(e.message, /run "get_activities" first, or run this prompt with runWithDependencies$/);
      return true;
    });
  });

  test("strict mode: running with dependencies gives it the output", async () => {
    const rt = travel(true);
    await rt.runWithDependencies("gen_itinerary");
    assert.match(String(await rt.resolve("gen_itinerary")), /these activities: TELL ME 10 FUN ATTRACTIONS TO DO IN NYC\./);
  });

  test("lenient mode renders it as empty text", async () => {
    const text = String(await travel(false).resolve("gen_itinerary"));
    assert.doesNotMatch(text, /\{\{/);
  });
});
