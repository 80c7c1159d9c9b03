import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { corpusFile } from "@aiconfig-ts/testing";
import {
  AIConfigRuntime,
  type AIConfig,
  DependencyCycleError,
  MissingParameterError,
  type Provider,
  ProviderError,
  ProviderRegistry,
  RunAbortedError,
  type RuntimeEvent,
  UnknownModelError,
} from "./index.js";

/** What the echo provider's resolve returns. */
interface EchoRequest {
  model: string;
  settings: Record<string, unknown>;
  text: string;
  history: Array<{ user: string; assistant: string | undefined }>;
  attachments: Array<{ mime: string; bytes: string }>;
}

/**
 * A real, tiny provider for testing the runtime: it answers with its input
 * text in capitals, streams it word by word, fails on "FAIL", and waits for
 * the abort signal on "HANG".
 */
function echoProvider(id = "echo", chat = true): Provider<EchoRequest> {
  return {
    id,
    chat,
    servesModel: (m) => m.startsWith("echo-"),
    async resolve(ctx) {
      return {
        model: ctx.model,
        settings: { ...ctx.settings },
        text: ctx.input.text,
        history: ctx.chatHistory().map((t) => ({ user: t.input.text, assistant: t.outputText })),
        attachments: await Promise.all(
          ctx.input.attachments.map(async (a) => ({ mime: a.mimeType, bytes: Buffer.from(await a.bytes()).toString("utf8") })),
        ),
      };
    },
    async run(request, ctx) {
      if (request.text.includes("FAIL")) throw new TypeError("the echo service refused");
      if (request.text.includes("NOKEY"))
        throw new Error(`prompt "${ctx.prompt.name}": ECHO_API_KEY is not set: set it in the environment`);
      if (request.text.includes("HANG")) {
        ctx.stream({ delta: "partial ", index: 0 });
        await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true }));
      }
      const text = request.text.toUpperCase();
      if (ctx.streaming) for (const word of text.split(/(?<= )/)) ctx.stream({ delta: word, index: 0 });
      if (request.text.includes("AUDIO")) {
        const data = await ctx.storeBinary(Buffer.from("RIFF-fake-audio"), "audio/wav");
        return [{ output_type: "execute_result", data, mime_type: "audio/wav" }];
      }
      return [{ output_type: "execute_result", execution_count: 0, data: text, metadata: { model: request.model } }];
    },
  };
}

function runtimeWith(config: AIConfig, options: { strict?: boolean } = {}): AIConfigRuntime {
  const rt = AIConfigRuntime.loadJSON(structuredClone(config), { registry: new ProviderRegistry(), ...options });
  rt.registry.register(echoProvider());
  return rt;
}

const base = (prompts: AIConfig["prompts"], metadata: AIConfig["metadata"] = {}): AIConfig => ({
  name: "t",
  schema_version: "latest",
  metadata: { default_model: "echo-1", ...metadata },
  prompts,
});

describe("templates", () => {
  test("parameters reach the model unescaped", async () => {
    const rt = runtimeWith(base([{ name: "p", input: "Say {{x}} and {{{x}}}" }], { parameters: { x: `<b>Tom & "Jerry"</b>` } }));
    const req = (await rt.resolve("p")) as EchoRequest;
    assert.equal(req.text, `Say <b>Tom & "Jerry"</b> and <b>Tom & "Jerry"</b>`);
  });

  test("a parameter value holding {{...}} is not rendered again", async () => {
    const rt = runtimeWith(base([{ name: "p", input: "A {{x}}" }], { parameters: { x: "{{y}}", y: "NO" } }));
    assert.equal(((await rt.resolve("p")) as EchoRequest).text, "A {{y}}");
  });

  test("precedence: run values, prompt parameters, root parameters, then prompt references", async () => {
    const config = base(
      [
        { name: "other", input: "o", outputs: [{ output_type: "execute_result", data: "OTHER OUT" }] },
        { name: "p", input: "{{a}}|{{b}}|{{c}}|{{other.output}}", metadata: { parameters: { a: "prompt-a", b: "prompt-b" } } },
      ],
      { parameters: { a: "root-a", b: "root-b", c: "root-c" } },
    );
    const rt = runtimeWith(config);
    assert.equal(((await rt.resolve("p", { a: "run-a" })) as EchoRequest).text, "run-a|prompt-b|root-c|OTHER OUT");
    // A parameter named like a prompt wins over the reference.
    assert.equal(((await rt.resolve("p", { other: { output: "param wins" } })) as EchoRequest).text, "prompt-a|prompt-b|root-c|param wins");
  });

  test("an undefined parameter is an error naming it and the prompt; strict: false renders it empty", async () => {
    const config = base([{ name: "greet", input: "Hello {{who}}!" }]);
    await assert.rejects(runtimeWith(config).resolve("greet"), (e: unknown) => {
      assert.ok(e instanceof MissingParameterError);
      assert.match(e.message, /prompt "greet" uses parameter "who"/);
      return true;
    });
    assert.equal(((await runtimeWith(config, { strict: false }).resolve("greet")) as EchoRequest).text, "Hello !");
  });

  test("{{NAME.input}} is the referenced prompt's input rendered with its parameters", async () => {
    const rt = runtimeWith(
      base([
        { name: "a", input: "Hi {{who}}", metadata: { parameters: { who: "Ann" } } },
        { name: "b", input: "[{{a.input}}]" },
      ]),
    );
    assert.equal(((await rt.resolve("b")) as EchoRequest).text, "[Hi Ann]");
  });

  test("older inputs stored as an OpenAI message render their content", async () => {
    const rt = runtimeWith(
      base(
        [
          { name: "a", input: { role: "user", content: "Hi {{who}}" } },
          { name: "b", input: "{{a.input}}!" },
        ],
        { parameters: { who: "Bo" } },
      ),
    );
    assert.equal(((await rt.resolve("a")) as EchoRequest).text, "Hi Bo");
    assert.equal(((await rt.resolve("b")) as EchoRequest).text, "Hi Bo!");
  });

  test("objects print as JSON and stay iterable", async () => {
    const rt = runtimeWith(
      base([{ name: "p", input: "{{o}} {{#each l}}[{{this}}]{{/each}}" }], { parameters: { o: { k: 1 }, l: ["a", "b"] } }),
    );
    assert.equal(((await rt.resolve("p")) as EchoRequest).text, `{"k":1} [a][b]`);
  });
});

describe("models and settings", () => {
  test("settings merge root and prompt, the prompt winning; default model applies", async () => {
    const rt = runtimeWith(
      base(
        [
          { name: "a", input: "x", metadata: { model: { name: "echo-2", settings: { temperature: 0.2, top_p: 0.5 } } } },
          { name: "b", input: "y" },
        ],
        { models: { "echo-2": { temperature: 1, max_tokens: 10 }, "echo-1": { seed: 7 } } },
      ),
    );
    const a = (await rt.resolve("a")) as EchoRequest;
    assert.deepEqual(a.settings, { temperature: 0.2, max_tokens: 10, top_p: 0.5 });
    assert.equal(a.model, "echo-2");
    const b = (await rt.resolve("b")) as EchoRequest;
    assert.equal(b.model, "echo-1");
    assert.deepEqual(b.settings, { seed: 7 });
  });

  test("model_parsers maps a model to a provider id; unknown models name the model and the providers", async () => {
    const rt = runtimeWith(base([{ name: "a", input: "x", metadata: { model: "gpt-4" } }], { model_parsers: { "gpt-4": "echo" } }));
    assert.equal(((await rt.resolve("a")) as EchoRequest).model, "gpt-4");
    const rt2 = runtimeWith(base([{ name: "a", input: "x", metadata: { model: "mystery" } }]));
    await assert.rejects(rt2.resolve("a"), (e: unknown) => e instanceof UnknownModelError && /model "mystery".*echo/.test(e.message));
    const rt3 = runtimeWith(base([{ name: "a", input: "x", metadata: { model: "m" } }], { model_parsers: { m: "nope" } }));
    await assert.rejects(rt3.resolve("a"), /maps model "m" to provider "nope", which is not registered/);
  });

  test("registries are per runtime", async () => {
    const shared = new ProviderRegistry();
    const one = AIConfigRuntime.create("a", "", "latest", {}, [], { registry: new ProviderRegistry(shared) });
    const two = AIConfigRuntime.create("b", "", "latest", {}, [], { registry: new ProviderRegistry(shared) });
    one.registerModelParser(echoProvider("only-one"));
    assert.ok(one.registry.get("only-one"));
    assert.equal(two.registry.get("only-one"), undefined);
  });
});

describe("chains and chat context", () => {
  test("chat context sends earlier prompts of the same model with their outputs, unless remember_chat_context is false", async () => {
    const config = base([
      { name: "q1", input: "first {{x}}", outputs: [{ output_type: "execute_result", data: { role: "assistant", content: "old reply" } }] },
      { name: "other", input: "not me", metadata: { model: "echo-other" } },
      { name: "q2", input: "second" },
      { name: "q3", input: "third", metadata: { remember_chat_context: false } },
    ]);
    const rt = runtimeWith(config);
    const q2 = (await rt.resolve("q2", { x: "X" })) as EchoRequest;
    assert.deepEqual(q2.history, [{ user: "first X", assistant: "old reply" }]);
    assert.deepEqual(((await rt.resolve("q3", { x: "X" })) as EchoRequest).history, []);
  });

  test("runWithDependencies runs what a prompt refers to, each once, on a real corpus file", async () => {
    const rt = AIConfigRuntime.load(corpusFile("cookbooks__Getting-Started__travel.aiconfig.json"), { registry: new ProviderRegistry() });
    rt.registry.register(echoProvider("gpt"), ["gpt-4", "gpt-3.5-turbo"]);
    const started: string[] = [];
    rt.onEvent((e) => {
      if (e.name === "run_start") started.push(e.prompt!);
    });
    await rt.runWithDependencies("gen_itinerary", { order_by: "duration" });
    assert.deepEqual(started, ["get_activities", "gen_itinerary"]);
    const firstOut = rt.getOutputText("get_activities");
    assert.match(firstOut, /^TELL ME 10 FUN ATTRACTIONS TO DO IN NYC/);
    // The second prompt's request held the first prompt's output.
    assert.ok(rt.getOutputText("gen_itinerary").includes(firstOut));
  });

  test("a cycle is an error naming the prompts in it", async () => {
    const rt = runtimeWith(
      base([
        { name: "a", input: "{{c.output}}" },
        { name: "b", input: "{{a.output}}" },
        { name: "c", input: "{{b.output}}" },
      ]),
    );
    await assert.rejects(
      rt.runWithDependencies("a"),
      (e: unknown) => e instanceof DependencyCycleError && e.message.includes("a -> c -> b -> a"),
    );
  });

  test("runAll runs independent prompts and chains in order", async () => {
    const rt = runtimeWith(
      base([
        { name: "a", input: "alpha" },
        { name: "b", input: "after {{a.output}}" },
        { name: "c", input: "gamma", metadata: { model: "echo-c" } },
      ]),
    );
    const results = await rt.runAll();
    assert.deepEqual([...results.keys()].sort(), ["a", "b", "c"]);
    assert.equal(rt.getOutputText("b"), "AFTER ALPHA");
  });

  test("a media output is handed on as an attachment of the next prompt", async () => {
    const rt = runtimeWith(
      base([
        { name: "speak", input: "AUDIO please" },
        { name: "hear", input: "transcribe {{speak.output}}" },
      ]),
    );
    await rt.run("speak");
    const req = (await rt.resolve("hear")) as EchoRequest;
    assert.deepEqual(req.attachments, [{ mime: "audio/wav", bytes: "RIFF-fake-audio" }]);
    assert.equal(req.text, "transcribe ");
  });
});

describe("running", () => {
  test("streams, stores outputs and emits events with durations; a throwing or hanging callback does not break the run", async () => {
    const rt = runtimeWith(base([{ name: "p", input: "one two three" }]));
    const events: RuntimeEvent[] = [];
    rt.onEvent((e) => {
      events.push(e);
    });
    rt.onEvent(() => {
      throw new Error("bad callback");
    });
    rt.onEvent(() => new Promise(() => {}));
    const chunks: string[] = [];
    const outputs = await rt.run("p", {}, { onStream: (c) => chunks.push(c.delta) });
    assert.deepEqual(chunks, ["ONE ", "TWO ", "THREE"]);
    assert.equal(chunks.join(""), rt.getOutputText("p"));
    assert.equal(outputs.length, 1);
    assert.deepEqual(
      events.map((e) => e.name),
      ["run_start", "run_end"],
    );
    assert.equal(typeof events[1]!.durationMs, "number");
  });

  test("the original SDK's streamCallback gets delta, accumulated text and index", async () => {
    const rt = runtimeWith(base([{ name: "p", input: "a b" }]));
    const seen: unknown[] = [];
    await rt.run("p", {}, { callbacks: { streamCallback: (d, acc, i) => seen.push([d, acc, i]) } });
    assert.deepEqual(seen, [
      ["A ", "A ", 0],
      ["B", "A B", 0],
    ]);
  });

  test("a failed run stores an error output and reports the error", async () => {
    const rt = runtimeWith(base([{ name: "p", input: "please FAIL", outputs: [{ output_type: "execute_result", data: "old" }] }]));
    await assert.rejects(
      rt.run("p"),
      (e: unknown) => e instanceof ProviderError && /failed on provider "echo": the echo service refused/.test(e.message),
    );
    const out = rt.getPrompt("p")!.outputs!;
    assert.equal(out.length, 1);
    assert.equal(out[0]!.output_type, "error");
    assert.equal((out[0] as { ename: string }).ename, "TypeError");
    // a provider's message that names the prompt already: the prompt is not named twice in the one line
    const named = runtimeWith(base([{ name: "q", input: "NOKEY" }]));
    await assert.rejects(named.run("q"), {
      name: "ProviderError",
      message: 'prompt "q" failed on provider "echo": ECHO_API_KEY is not set: set it in the environment',
    });
  });

  test("a cancelled run keeps the previous outputs", async () => {
    const previous = [{ output_type: "execute_result" as const, data: "kept" }];
    const rt = runtimeWith(base([{ name: "p", input: "HANG", outputs: previous }]));
    const controller = new AbortController();
    const streamed: string[] = [];
    const run = rt.run(
      "p",
      {},
      {
        signal: controller.signal,
        onStream: (c) => {
          streamed.push(c.delta);
          controller.abort();
        },
      },
    );
    await assert.rejects(run, RunAbortedError);
    assert.deepEqual(streamed, ["partial "]);
    assert.deepEqual(rt.getPrompt("p")!.outputs, previous);
  });

  test("runs leave no listener on a caller's long-lived signal, and providers get a per-run signal that follows it", async () => {
    const rt = runtimeWith(base([{ name: "p", input: "hi" }]));
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      added++;
      return add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      removed++;
      return remove(...args);
    }) as typeof remove;
    for (let i = 0; i < 20; i++) await rt.run("p", {}, { signal: controller.signal });
    assert.equal(added, removed);
    const hanging = runtimeWith(base([{ name: "h", input: "HANG" }]));
    const run = hanging.run("h", {}, { signal: controller.signal });
    controller.abort();
    await assert.rejects(run, RunAbortedError);
  });

  test("binary outputs can be written beside the file as file_uri", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-"));
    const file = join(dir, "media.aiconfig.json");
    writeFileSync(file, JSON.stringify(base([{ name: "speak", input: "AUDIO" }])));
    const rt = AIConfigRuntime.load(file, { registry: new ProviderRegistry(), outputFiles: true });
    rt.registry.register(echoProvider());
    const [out] = await rt.run("speak");
    const data = (out as { data: { kind: string; value: string } }).data;
    assert.equal(data.kind, "file_uri");
    assert.match(data.value, /^media\.aiconfig\.outputs\/speak-.*\.wav$/);
    assert.equal(readFileSync(join(dir, data.value), "utf8"), "RIFF-fake-audio");
  });
});

describe("editing and saving", () => {
  test("edits through the SDK methods survive a save and a reload, with extra properties kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-"));
    const file = join(dir, "edit.aiconfig.yaml");
    const rt = AIConfigRuntime.load(corpusFile("vscode-extension__static__example.aiconfig.yaml"));
    (rt.config as Record<string, unknown>).x_custom = { keep: true };
    rt.addPrompt({ name: "first", input: "hi {{who}}" }, 0);
    rt.setParameter("who", "you", "first");
    rt.setParameters({ g: 1 });
    rt.setDefaultModel("echo-1");
    rt.setModelParser("echo-1", "echo");
    rt.addModel({ name: "echo-1", settings: { temperature: 0 } });
    rt.updateModel({ name: "echo-1", settings: { top_p: 1 } });
    rt.setMetadata("owner", "team", "first");
    rt.updatePrompt("first", { ...rt.getPrompt("first")!, name: "renamed" });
    rt.save(file);
    const back = AIConfigRuntime.load(file);
    assert.deepEqual(back.config, rt.config);
    assert.equal(back.prompts[0]!.name, "renamed");
    assert.deepEqual(back.metadata.models!["echo-1"], { temperature: 0, top_p: 1 });
    assert.deepEqual((back.config as Record<string, unknown>).x_custom, { keep: true });
    back.deletePrompt("renamed");
    back.deleteParameter("g");
    back.deleteModel("echo-1");
    assert.equal(back.getPrompt("renamed"), undefined);
    assert.throws(() => back.addPrompt({ name: back.prompts[0]!.name, input: "" }), /already exists/);
  });

  test("loadYAML reads the same document as load; getLatestOutput, deleteOutput and deleteMetadata edit what they name", async () => {
    const yamlFile = corpusFile("vscode-extension__static__example.aiconfig.yaml");
    const fromText = AIConfigRuntime.loadYAML(readFileSync(yamlFile, "utf8"));
    assert.deepEqual(fromText.config, AIConfigRuntime.load(yamlFile).config);
    assert.throws(() => AIConfigRuntime.loadYAML("name: t\nprompts: {}\n"), /prompts/);

    const rt = runtimeWith(base([{ name: "a", input: "one", metadata: { owner: "team", keep: 1 } }], { note: "root" }));
    assert.equal(rt.getLatestOutput("a"), undefined);
    await rt.run("a");
    rt.addOutput("a", { output_type: "execute_result", execution_count: 1, data: "LATER", metadata: {} });
    assert.equal((rt.getLatestOutput("a") as { data: unknown }).data, "LATER", "the last output is the latest");
    assert.equal(rt.getLatestOutput("missing"), undefined);
    const removed = rt.deleteOutput("a");
    assert.deepEqual(
      removed.map((o) => (o as { data: unknown }).data),
      ["ONE", "LATER"],
    );
    assert.deepEqual(rt.getPrompt("a")!.outputs, []);
    assert.equal(rt.getLatestOutput("a"), undefined);
    assert.throws(() => rt.deleteOutput("missing"), /missing/);

    rt.deleteMetadata("owner", "a");
    assert.deepEqual(rt.getMetadata("a"), { keep: 1 });
    rt.deleteMetadata("note");
    assert.equal(rt.getMetadata().note, undefined);
    assert.equal(rt.getMetadata().default_model, "echo-1", "other root metadata stays");
  });

  test("save can strip outputs without touching the runtime's outputs", () => {
    const rt = AIConfigRuntime.load(corpusFile("vscode-extension__static__example.aiconfig.json"));
    const withOutputs = rt.prompts.filter((p) => p.outputs?.length).length;
    assert.ok(withOutputs > 0);
    const stripped = JSON.parse(rt.toString({ includeOutputs: false })) as AIConfig;
    assert.ok(stripped.prompts.every((p) => !p.outputs || p.outputs.length === 0));
    assert.equal(rt.prompts.filter((p) => p.outputs?.length).length, withOutputs);
  });
});
