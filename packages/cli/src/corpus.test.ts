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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What resolving every prompt of one file gives: how many resolved, and each failure's line. */
interface Outcome {
  resolved: number;
  failed: string[];
}

/**
 * Loads a corpus file with all built-in providers and resolves each prompt,
 * checking that each failure names what is missing. Each test calls it for
 * what it checks, so no test depends on another having run before it.
 */
async function resolveEvery(runtime: AIConfigRuntime): Promise<Outcome> {
  const outcome: Outcome = { resolved: 0, failed: [] };
  for (const prompt of runtime.prompts) {
    try {
      await runtime.resolve(prompt.name);
      outcome.resolved++;
    } catch (error) {
      assert.ok(error instanceof AIConfigError || error instanceof Error, String(error));
      const message = (error as Error).message;
      if (error instanceof MissingOutputError) {
        // Strict mode: a prompt using another's output waits for that output (the file's model is still served).
        assert.match(message, new RegExp(`run "${escapeRegExp(error.reference)}" first`));
        outcome.resolved++;
        continue;
      }
      if (error instanceof MissingParameterError) {
        assert.match(message, new RegExp(`parameter "${error.parameter}"`));
        assert.match(message, new RegExp(`prompt "${escapeRegExp(prompt.name)}"`));
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
  return outcome;
}

let builtins: Promise<ProviderRegistry> | undefined;
/** A registry with every built-in provider (registered once, shared as the parent of each file's registry). */
function builtinRegistry(): Promise<ProviderRegistry> {
  builtins ??= (async () => {
    const registry = new ProviderRegistry();
    await registerBuiltinProviders(registry);
    return registry;
  })();
  return builtins;
}

async function load(file: string, warnings: string[] = []): Promise<AIConfigRuntime> {
  return AIConfigRuntime.load(file, {
    registry: new ProviderRegistry(await builtinRegistry()),
    env: {},
    onWarning: (w) => warnings.push(formatProblem(w)),
  });
}

/**
 * Every prompt of every corpus file, resolved with all built-in providers:
 * it resolves, or fails with an error that names what is missing.
 */
describe("the corpus resolves with the built-in providers", () => {
  for (const file of corpusFiles()) {
    const name = basename(file);
    test(name, async () => {
      let runtime: AIConfigRuntime;
      const warnings: string[] = [];
      try {
        runtime = await load(file, warnings);
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
      await resolveEvery(runtime);
    });
  }

  test("the files whose models are served today resolve every prompt", async () => {
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
      const file = corpusFiles().find((f) => basename(f) === name);
      assert.ok(file, `${name} is not in the corpus`);
      const outcome = await resolveEvery(await load(file));
      assert.deepEqual(outcome.failed, [], name);
    }
  });
});
