/**
 * Test support: what core's runtime does, as scenarios that run the same way
 * on core's Node entry and on its browser entry bundled into a page
 * (`runtime-in-browser.test.ts` runs them in both and compares): rendering
 * with parameters, a `{{a.output}}` chain, streamed chunks, a cancel
 * mid-stream, an error output and a batch over rows (with dependencies and checks). Each scenario takes core's module and
 * returns JSON data. Constructed: the provider is defined here (no network).
 */
import type * as Core from "@aiconfig-ts/core";

/** The parts of `@aiconfig-ts/core` the scenarios use (the Node or the browser entry). */
export type CoreModule = Pick<typeof Core, "AIConfigRuntime" | "ProviderRegistry" | "runsInBrowser">;

/**
 * Constructed provider `words`: streams its rendered input back word by word, `delay_ms` apart
 * (honouring cancel), and fails with the rest of the input when it starts with `FAIL`.
 */
const wordsProvider: Core.Provider = {
  id: "words",
  specificationVersion: "v1",
  capabilities: { tasks: ["text-generation"], streams: true, chat: false, offline: true },
  resolve(ctx) {
    return { text: ctx.input.text, delay: Number(ctx.settings.delay_ms ?? 0) };
  },
  async run(request, ctx) {
    const { text, delay } = request as { text: string; delay: number };
    if (text.startsWith("FAIL")) throw new Error(`the words provider refused: ${text.slice(5)}`);
    let out = "";
    for (const word of text.split(/(?<=\s)/)) {
      if (delay > 0)
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, delay);
          ctx.signal.addEventListener(
            "abort",
            () => {
              clearTimeout(t);
              reject(ctx.signal.reason);
            },
            { once: true },
          );
        });
      if (ctx.signal.aborted) throw ctx.signal.reason;
      out += word;
      if (ctx.streaming) ctx.stream({ delta: word, index: 0 });
    }
    return [{ output_type: "execute_result", execution_count: 0, data: out, mime_type: "text/plain" }];
  },
};

const config: Core.AIConfig = {
  name: "same in both",
  schema_version: "latest",
  metadata: { parameters: { who: "nobody", tone: "plain" }, default_model: "words" },
  prompts: [
    { name: "greet", input: "Hello {{who}}, in a {{tone}} tone", metadata: { parameters: { tone: "warm" } } },
    { name: "story", input: "Once upon a time {{who}} met a fox", metadata: {} },
    { name: "moral", input: "The moral of: {{story.output}}", metadata: {} },
    {
      name: "slow",
      input: "one two three four five six seven eight nine ten",
      metadata: { model: { name: "words", settings: { delay_ms: 30 } } },
    },
    { name: "broken", input: "FAIL no such model upstream", metadata: {} },
  ],
};

function runtime(core: CoreModule): Core.AIConfigRuntime {
  const registry = new core.ProviderRegistry();
  registry.register(wordsProvider, ["words"]);
  return new core.AIConfigRuntime(structuredClone(config), { registry, env: {} });
}

/** The scenarios by name; each resolves to JSON data that must be equal on both platforms. */
export const scenarios: Record<string, (core: CoreModule) => Promise<unknown>> = {
  async "render with parameters"(core) {
    const rt = runtime(core);
    return { resolved: await rt.resolve("greet", { who: "Ada" }), outputs: await rt.run("greet", { who: "Ada" }) };
  },
  async "a {{a.output}} chain"(core) {
    const rt = runtime(core);
    await rt.runWithDependencies("moral", { who: "a crow" });
    return { story: rt.getOutputText("story"), moral: rt.getOutputText("moral") };
  },
  async "streaming chunks"(core) {
    const rt = runtime(core);
    const chunks: string[] = [];
    await rt.run(
      "story",
      { who: "Grace" },
      { stream: true, onStream: (c) => void chunks.push(String((c as { delta?: unknown }).delta ?? "")) },
    );
    return { chunks, output: rt.getOutputText("story") };
  },
  async "cancel mid-stream"(core) {
    const rt = runtime(core);
    const controller = new AbortController();
    const chunks: string[] = [];
    let error: { name: string } | undefined;
    try {
      await rt.run(
        "slow",
        {},
        {
          stream: true,
          signal: controller.signal,
          onStream: (c) => {
            chunks.push(String((c as { delta?: unknown }).delta ?? ""));
            if (chunks.length === 2) controller.abort();
          },
        },
      );
    } catch (e) {
      error = { name: (e as Error).name };
    }
    const outputs = rt.getPrompt("slow")?.outputs ?? [];
    return { chunks, error, outputTypes: outputs.map((o) => o.output_type) };
  },
  async "an error output"(core) {
    const rt = runtime(core);
    let thrown: { name: string; message: string } | undefined;
    try {
      await rt.run("broken");
    } catch (e) {
      thrown = { name: (e as Error).name, message: (e as Error).message };
    }
    // the traceback names the host's stack frames: compared by kind and message only
    const outputs = (rt.getPrompt("broken")?.outputs ?? []).map((o) =>
      o.output_type === "error" ? { output_type: o.output_type, ename: o.ename, evalue: o.evalue } : o,
    );
    return { thrown, outputs };
  },
  async "a batch over rows, with dependencies and checks"(core) {
    const rt = runtime(core);
    const rows = [
      { who: "a crow", want: "crow met a fox" },
      { who: "a hare", want: "wolf" },
      { who: "an owl", want: "owl" },
    ];
    const results = [];
    for await (const r of rt.runBatch("moral", rows, {
      concurrency: 2,
      withDependencies: true,
      expect: [{ column: "want", check: "contains" }],
    }))
      results.push(r);
    // the row keys (SHA-256 of the row and its prompts) must be equal in both; durations are the host's
    return results
      .sort((a, b) => a.index - b.index)
      .map(({ durationMs: _, ...r }) => ({ ...r, outputs: r.outputs.map((o) => ({ output_type: o.output_type })) }));
  },
};
