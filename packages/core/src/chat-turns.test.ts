import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corpusFiles } from "@aiconfig-ts/testing";
import {
  type AIConfig,
  AIConfigRuntime,
  type ChatTurn,
  type ChatTurns,
  type JSONObject,
  chatTurnsOf,
  type Prompt,
  type Provider,
  ProviderRegistry,
  type ResolveContext,
  TemplateError,
} from "./index.js";

/** What a provider saw of a prompt's chat context, both ways. */
interface Seen {
  listed: readonly ChatTurn[];
  positional: Array<{ prompt: string; text: string; attachments: string[]; output: unknown; outputText: string | undefined }>;
}

/** The turns of a {@link ChatTurns} view, read in order (each turn's text before its attachments, as providers do). */
function readAll(turns: ChatTurns): Seen["positional"] {
  const out: Seen["positional"] = [];
  for (let i = 0; i < turns.length; i++) {
    out.push({
      prompt: turns.prompt(i).name,
      text: turns.text(i),
      attachments: turns.attachments(i).map((a) => `${a.mimeType} ${a.uri}`),
      output: turns.output(i),
      outputText: turns.outputText(i),
    });
  }
  return out;
}

/** A real, tiny provider (constructed for these tests) serving every model: its request is what it saw of the chat context. */
const recorder: Provider<Seen> = {
  id: "recorder",
  chat: true,
  servesModel: () => true,
  resolve: (ctx) => ({ listed: ctx.chatHistory(), positional: readAll(chatTurnsOf(ctx)) }),
  run: async () => [],
  outputText: (output) => (typeof output.data === "string" ? `recorded: ${output.data}` : undefined),
};

function recording(config: AIConfig): AIConfigRuntime {
  const rt = AIConfigRuntime.loadJSON(config, { registry: new ProviderRegistry(), env: {}, strict: false });
  rt.registry.register(recorder);
  return rt;
}

describe("chat turns read by position", () => {
  test("give every corpus file's prompts the same turns as the chat history list", async () => {
    let compared = 0;
    for (const file of corpusFiles()) {
      let loaded: AIConfigRuntime;
      try {
        loaded = AIConfigRuntime.load(file, { registry: new ProviderRegistry(), env: {} });
      } catch {
        continue; // the corpus keeps a few files the original SDK could not read either (e.g. a trailing comma)
      }
      // Every prompt on the recorder: the files' own providers are not what is tested here.
      const { model_parsers: _, ...metadata } = loaded.config.metadata;
      const rt = AIConfigRuntime.loadJSON({ ...loaded.config, metadata }, { registry: new ProviderRegistry(), env: {}, strict: false });
      rt.registry.register(recorder);
      for (const prompt of rt.config.prompts) {
        let seen: Seen;
        try {
          seen = (await rt.resolve(prompt.name)) as Seen;
        } catch (error) {
          // A prompt with no model at all, or an attachment outside the file's folder: nothing to compare.
          assert.match((error as Error).name, /NoModelError|AttachmentError/, `${file} ${prompt.name}: ${(error as Error).message}`);
          continue;
        }
        const listed = seen.listed.map((t) => ({
          prompt: t.prompt.name,
          text: t.input.text,
          attachments: t.input.attachments.map((a) => `${a.mimeType} ${a.uri}`),
          output: t.output,
          outputText: t.outputText,
        }));
        assert.deepEqual(seen.positional, listed, `${file}: prompt ${prompt.name}`);
        compared += listed.length;
      }
    }
    assert.ok(compared >= 20, `only ${compared} turns compared`);
  });

  test("render each turn's input as the prompt's own input renders: shared {{name}}, own parameters, run parameters, escapes and other mustaches", async () => {
    // Constructed: templates around the shape rendered while the turns are found (the only mustache is `{{name}}` of a
    // string parameter, its value kept for the next turn without parameters of its own), next to shapes that are not it.
    const inputs: Array<string | Prompt["input"]> = [
      "About {{topic}}.",
      "{{topic}}",
      "Again {{topic}}, again.",
      "\\{{topic}} is escaped",
      "{{topic}}} one brace too many",
      "{{{topic}}} triple",
      "{{ topic }} with spaces",
      "{{topic}} and {{topic}}",
      "{{this}}",
      "{{top}} is another name",
      "{{topicx}} is undefined",
      "{{count}} is a number",
      "{{obj}} is an object",
      "{{p1}} names a prompt",
      "{{p1.output}} is its output",
      "no mustache at all",
      { data: "data {{topic}}" },
      "{{topic}} once more",
    ];
    const prompts: Prompt[] = inputs.map((input, i) => ({
      name: `p${i + 1}`,
      input: input as Prompt["input"],
      outputs: [{ output_type: "execute_result", data: `a${i + 1}` }],
    }));
    // Own parameters in the middle of the chat: this prompt's `{{topic}}` is its own, the next ones' the file's again.
    prompts.splice(2, 0, { name: "own", input: "Own {{topic}}", metadata: { parameters: { topic: "whales" } } });
    prompts.splice(5, 0, { name: "own top", input: "{{top}}", metadata: { parameters: { top: "kept" } } });
    prompts.push({ name: "last", input: "Last {{topic}}" });
    const config: AIConfig = {
      name: "templates as turns",
      schema_version: "latest",
      metadata: { default_model: "m", parameters: { topic: "otters", top: "toucans", count: 3, obj: { a: [1, "b"] } } },
      prompts,
    };
    const seeing: Provider<{ own: string; turns: string[] }> = {
      id: "seeing",
      servesModel: () => true,
      resolve: (ctx) => {
        const turns = chatTurnsOf(ctx);
        const text = (i: number) => {
          try {
            return turns.text(i);
          } catch (error) {
            return `error: ${(error as Error).name}`;
          }
        };
        return { own: ctx.input.text, turns: Array.from({ length: turns.length }, (_, i) => text(i)) };
      },
      run: async () => [],
    };
    const rt = AIConfigRuntime.loadJSON(config, { registry: new ProviderRegistry(), env: {}, strict: false });
    rt.registry.register(seeing);
    for (const params of [{}, { topic: "the run's topic" }] as JSONObject[]) {
      const { turns } = (await rt.resolve("last", params)) as { turns: string[] };
      const own: string[] = [];
      for (const prompt of prompts.slice(0, -1)) {
        own.push(
          await rt.resolve(prompt.name, params).then(
            (request) => (request as { own: string }).own,
            (error: Error) => `error: ${error.name}`,
          ),
        );
      }
      assert.deepEqual(turns, own, `run parameters ${JSON.stringify(params)}`);
    }
    // The shapes themselves (what the prompt's own rendering gives, checked above, is Handlebars' text).
    const { turns } = (await rt.resolve("last")) as { turns: string[] };
    assert.deepEqual(turns.slice(0, 4), ["About otters.", "otters", "Own whales", "Again otters, again."]);
    assert.equal(turns[prompts.findIndex((p) => p.name === "own top")], "kept");
    assert.equal(turns[prompts.findIndex((p) => p.name === "p10")], "toucans is another name");
    assert.equal(turns[prompts.findIndex((p) => p.name === "p5")], "error: TemplateError"); // `{{topic}}}`, as Handlebars reads it
  });

  test("render an earlier prompt's input only when the provider reads it (a broken template in an unread turn is no error)", async () => {
    // Constructed: the first prompt's template does not parse.
    const config: AIConfig = {
      name: "broken early turn",
      schema_version: "latest",
      metadata: { default_model: "m", parameters: { topic: "otters" } },
      prompts: [
        { name: "first", input: "{{#if topic}}never closed", outputs: [{ output_type: "execute_result", data: "a1" }] },
        { name: "second", input: "About {{topic}}", outputs: [{ output_type: "execute_result", data: "a2" }] },
        { name: "third", input: "More" },
      ],
    };
    const lastTurnOnly: Provider<string> = {
      id: "last-turn",
      servesModel: () => true,
      resolve: (ctx) => {
        const turns = chatTurnsOf(ctx);
        return `${turns.text(turns.length - 1)} / ${turns.outputText(turns.length - 1)}`;
      },
      run: async () => [],
    };
    const rt = AIConfigRuntime.loadJSON(config, { registry: new ProviderRegistry(), env: {} });
    rt.registry.register(lastTurnOnly);
    assert.equal(await rt.resolve("third"), "About otters / a2");
    // The list renders every turn, so it reports the broken one.
    await assert.rejects(recording(config).resolve("third"), TemplateError);
  });

  test("are the turns of the same model only, none when remember_chat_context is false", async () => {
    const out = (data: string) => [{ output_type: "execute_result" as const, data }];
    const config: AIConfig = {
      name: "two models",
      schema_version: "latest",
      metadata: { default_model: "a" },
      prompts: [
        { name: "p1", input: "one", outputs: out("o1") },
        { name: "p2", input: "two", metadata: { model: "b" }, outputs: out("o2") },
        { name: "p3", input: "three", metadata: { model: { name: "a" } }, outputs: out("o3") },
        { name: "p4", input: "four" },
        { name: "p5", input: "five", metadata: { remember_chat_context: false } },
      ],
    };
    const rt = recording(config);
    const seen = (await rt.resolve("p4")) as Seen;
    assert.deepEqual(
      seen.positional.map((t) => [t.prompt, t.text, t.outputText]),
      [
        ["p1", "one", "recorded: o1"],
        ["p3", "three", "recorded: o3"],
      ],
    );
    assert.deepEqual(((await rt.resolve("p5")) as Seen).positional, []);
  });

  test("refuse a position outside 0 .. length - 1 with a RangeError naming it", async () => {
    let turns: ChatTurns | undefined;
    const keep: Provider<null> = {
      id: "keep",
      servesModel: () => true,
      resolve: (ctx) => {
        turns = chatTurnsOf(ctx);
        return null;
      },
      run: async () => [],
    };
    const config: AIConfig = {
      name: "one turn",
      schema_version: "latest",
      metadata: { default_model: "m" },
      prompts: [
        { name: "p1", input: "hi" },
        { name: "p2", input: "there" },
      ],
    };
    const rt = AIConfigRuntime.loadJSON(config, { registry: new ProviderRegistry(), env: {} });
    rt.registry.register(keep);
    await rt.resolve("p2");
    assert.equal(turns!.length, 1);
    assert.equal(turns!.text(0), "hi");
    for (const bad of [-1, 1, 0.5]) {
      assert.throws(
        () => turns!.text(bad),
        (e: unknown) => e instanceof RangeError && e.message.includes(`chat turn ${bad} does not exist`),
      );
    }
  });

  test("chatTurnsOf reads a context built with chatHistory() only (a host older than chatTurns)", () => {
    // Constructed: a hand-built context, as a test or an older host makes one.
    const listed: ChatTurn[] = [
      {
        prompt: { name: "q", input: "What?" },
        input: { text: "What?", attachments: [] },
        output: { output_type: "execute_result", data: "That." },
        outputText: "That.",
      },
    ];
    const context = { chatHistory: () => listed } as Pick<ResolveContext, "chatHistory" | "chatTurns">;
    const turns = chatTurnsOf(context);
    assert.equal(turns.length, 1);
    assert.deepEqual(
      [turns.prompt(0).name, turns.text(0), turns.attachments(0), turns.output(0), turns.outputText(0)],
      ["q", "What?", [], listed[0]!.output, "That."],
    );
    assert.throws(() => turns.text(1), RangeError);
  });
});
