import assert from "node:assert/strict";
import { basename } from "node:path";
import { describe, test } from "node:test";
import {
  AIConfigError,
  AIConfigRuntime,
  formatProblem,
  MissingOutputError,
  MissingParameterError,
  NoModelError,
  ParseError,
  ProviderRegistry,
  UnknownModelError,
  ValidationError,
} from "@aiconfig-ts/core";
import { corpusFiles } from "@aiconfig-ts/testing";
import { registerBuiltinProviders } from "./builtin-providers.js";

/**
 * Every prompt of every corpus file, resolved with all built-in providers:
 * it resolves, or fails with an error that names what is missing.
 */
describe("the corpus resolves with the built-in providers", async () => {
  const registry = new ProviderRegistry();
  await registerBuiltinProviders(registry);
  const outcomes: Record<string, { resolved: number; failed: string[] }> = {};

  for (const file of corpusFiles()) {
    const name = basename(file);
    test(name, async () => {
      let runtime: AIConfigRuntime;
      const warnings: string[] = [];
      try {
        runtime = AIConfigRuntime.load(file, {
          registry: new ProviderRegistry(registry),
          env: {},
          onWarning: (w) => warnings.push(formatProblem(w)),
        });
      } catch (error) {
        // Real flaws fail with located errors: a trailing comma.
        const expected: Record<string, RegExp> = {
          "cookbooks__RAG-with-MongoDB__rag.aiconfig.json": /:\d+:\d+: .*trailing comma/,
        };
        assert.ok(expected[name], `${name} failed to load: ${(error as Error).message}`);
        assert.ok(error instanceof ParseError || error instanceof ValidationError);
        assert.match(error.message, expected[name]);
        return;
      }
      // A repeated prompt name loads, as the original SDK loaded it, with one located warning.
      if (name === "python__demo__Chained-Config.json") {
        assert.equal(warnings.length, 1);
        assert.match(
          warnings[0]!,
          /:24:21: prompt name "prompt1" is used again here \(first at line \d+, column \d+\): getPrompt, run and resolve use the first one/,
        );
      } else assert.deepEqual(warnings, []);
      const outcome = { resolved: 0, failed: [] as string[] };
      outcomes[name] = outcome;
      for (const prompt of runtime.prompts) {
        try {
          await runtime.resolve(prompt.name);
          outcome.resolved++;
        } catch (error) {
          assert.ok(error instanceof AIConfigError || error instanceof Error, String(error));
          const message = (error as Error).message;
          if (error instanceof MissingOutputError) {
            // Strict mode: a prompt using another's output waits for that output (the file's model is still served).
            assert.match(message, new RegExp(`run "${error.reference.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" first`));
            outcome.resolved++;
            continue;
          }
          if (error instanceof MissingParameterError) {
            assert.match(message, new RegExp(`parameter "${error.parameter}"`));
            assert.match(message, new RegExp(`prompt "${prompt.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"`));
          } else if (error instanceof UnknownModelError) {
            assert.ok(message.includes(error.model));
          } else if (error instanceof NoModelError) {
            assert.ok(message.includes(prompt.name));
          } else {
            // A provider that knows the model but cannot serve it (a retired service) says why in one line.
            assert.doesNotMatch(message, /\n/);
          }
          outcome.failed.push(`${prompt.name}: ${message}`);
        }
      }
    });
  }

  test("the files whose models are served today resolve every prompt", () => {
    const fully = Object.entries(outcomes)
      .filter(([, o]) => o.failed.length === 0)
      .map(([n]) => n);
    for (const name of [
      "cookbooks__Getting-Started__travel.aiconfig.json",
      "cookbooks__Gradio__huggingface.aiconfig.json",
      "gradio-notebook__example.aiconfig.json",
      "cookbooks__Gemini__gemini_demo.aiconfig.json",
      "cookbooks__Groq__groq.aiconfig.json",
      "cookbooks__Claude-And-Azure__azure.aiconfig.json",
      "vscode-extension__static__example.aiconfig.yaml",
      "typescript__demo__mistral-config.json",
      "cookbooks__LLaMA-Guard__aiconfig.json",
    ]) {
      assert.ok(fully.includes(name), `${name}: ${JSON.stringify(outcomes[name])}`);
    }
  });
});
