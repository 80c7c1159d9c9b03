import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type AIConfig,
  AIConfigRuntime,
  DependencyCycleError,
  type Prompt,
  type Provider,
  ProviderError,
  ProviderRegistry,
  RunAbortedError,
  runInDependencyOrder,
} from "./index.js";

/**
 * A real, tiny provider (constructed for these tests): answers with the last
 * 8 characters of its rendered input, fails on "FAIL", and waits for its
 * signal on "HANG".
 */
function tailProvider(ran: string[] = []): Provider<string> {
  return {
    id: "tail",
    servesModel: (m) => m === "tail-1",
    resolve: (ctx) => ctx.input.text,
    async run(text, ctx) {
      ran.push(ctx.prompt.name);
      if (text.includes("FAIL")) throw new Error("the tail service refused");
      if (text.includes("HANG")) await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(new Error("stopped"))));
      return [{ output_type: "execute_result", data: text.slice(-8) }];
    },
  };
}

function runtimeFor(prompts: Prompt[], ran?: string[]): AIConfigRuntime {
  const config: AIConfig = { name: "chain", schema_version: "latest", metadata: { default_model: "tail-1" }, prompts };
  const rt = new AIConfigRuntime(config, { registry: new ProviderRegistry() });
  rt.registry.register(tailProvider(ran));
  return rt;
}

/** `p0` says "start"; each `pI` uses `{{pI-1.output}}` (strict mode: an output missing at its turn is an error). */
function chain(n: number): Prompt[] {
  const prompts: Prompt[] = [{ name: "p0", input: "start" }];
  for (let i = 1; i < n; i++) prompts.push({ name: `p${i}`, input: `{{p${i - 1}.output}}+` });
  return prompts;
}

describe("dependency order without recursion", () => {
  test("runWithDependencies runs a linear chain of 100,000 prompts, each once, in order", async () => {
    const ran: string[] = [];
    const rt = runtimeFor(chain(100_000), ran);
    const outputs = await rt.runWithDependencies("p99999");
    assert.equal(outputs[0]?.output_type === "execute_result" && outputs[0].data, "++++++++");
    assert.equal(ran.length, 100_000);
    assert.equal(ran[0], "p0");
    assert.equal(ran[99_999], "p99999");
  });

  test("runAll runs a linear chain of 100,000 prompts", async () => {
    const ran: string[] = [];
    const results = await runtimeFor(chain(100_000), ran).runAll();
    assert.equal(results.size, 100_000);
    assert.equal(ran.length, 100_000);
  });

  test("a cycle closed at the far end of a 100,000-prompt chain is named before anything runs", async () => {
    const ran: string[] = [];
    const prompts = chain(100_000);
    prompts[0] = { name: "p0", input: "{{p99999.output}}" };
    const rt = runtimeFor(prompts, ran);
    await assert.rejects(rt.runWithDependencies("p5"), (e: unknown) => {
      assert.ok(e instanceof DependencyCycleError);
      assert.match(e.message, /p0/);
      return true;
    });
    await assert.rejects(rt.runAll(), DependencyCycleError);
    assert.equal(ran.length, 0);
  });

  test("runInDependencyOrder starts independent prompts together and each after what it needs", async () => {
    const started: string[] = [];
    const deps: Record<string, string[]> = { c: ["a", "b"], a: [], b: [] };
    const results = await runInDependencyOrder(
      ["c"],
      (n) => deps[n]!,
      async (n) => {
        started.push(n);
        return n.toUpperCase();
      },
    );
    assert.deepEqual(started, ["a", "b", "c"]);
    assert.deepEqual(
      [...results],
      [
        ["a", "A"],
        ["b", "B"],
        ["c", "C"],
      ],
    );
  });
});

describe("runAll: a failure or a cancelled prompt stops only what depends on it", () => {
  const prompts = (): Prompt[] => [
    { name: "fails", input: "FAIL" },
    { name: "needs_fails", input: "{{fails.output}} then" },
    { name: "needs_needs", input: "{{needs_fails.output}} and" },
    { name: "free", input: "independent" },
    { name: "after_free", input: "{{free.output}}!" },
  ];

  test("continueOnError skips the failed prompt's dependents, transitively, and runs the rest", async () => {
    const ran: string[] = [];
    const skipped: Array<[string, string]> = [];
    const rt = runtimeFor(prompts(), ran);
    const results = await rt.runAll({}, { continueOnError: true, onSkip: (name, failed) => skipped.push([name, failed]) });
    assert.deepEqual([...results.keys()].sort(), ["after_free", "free"]);
    assert.deepEqual(ran.sort(), ["after_free", "fails", "free"]);
    assert.deepEqual(skipped.sort(), [
      ["needs_fails", "fails"],
      ["needs_needs", "fails"],
    ]);
    assert.equal(rt.getPrompt("fails")?.outputs?.[0]?.output_type, "error");
  });

  test("continueOnError: a prompt that cannot be resolved (an undefined parameter) stores its error output too, and its dependents are skipped", async () => {
    const skipped: Array<[string, string]> = [];
    const rt = runtimeFor([
      { name: "a", input: "{{missing}}", outputs: [{ output_type: "execute_result", data: "earlier" }] },
      { name: "b", input: "{{a.output}} then" },
      { name: "c", input: "alone" },
    ]);
    const results = await rt.runAll({}, { continueOnError: true, onSkip: (name, failed) => skipped.push([name, failed]) });
    assert.deepEqual([...results.keys()], ["c"]);
    assert.deepEqual(skipped, [["b", "a"]]);
    const [stored] = rt.getPrompt("a")?.outputs ?? [];
    assert.equal(stored?.output_type, "error");
    assert.match(stored?.output_type === "error" ? stored.evalue : "", /missing/);
    // a single run of it still leaves the outputs as they were and throws
    rt.getPrompt("a")!.outputs = [{ output_type: "execute_result", data: "earlier" }];
    await assert.rejects(rt.run("a"), /missing/);
    assert.deepEqual(rt.getPrompt("a")?.outputs, [{ output_type: "execute_result", data: "earlier" }]);
  });

  test("a failed chat turn does not skip the later turns of the chat (they run after it, without needing it)", async () => {
    const events: string[] = [];
    const rt = runtimeFor([
      { name: "turn1", input: "hello" },
      { name: "turn2", input: "FAIL" },
      { name: "turn3", input: "again" },
    ]);
    // A chat provider (constructed): turns wait for the earlier turn to settle.
    const chat: Provider<string> = {
      id: "tail-chat",
      chat: true,
      servesModel: (m) => m === "tail-1",
      resolve: (ctx) => ctx.input.text,
      async run(text, ctx) {
        events.push(`start ${ctx.prompt.name}`);
        await new Promise((r) => setImmediate(r));
        events.push(`end ${ctx.prompt.name}`);
        if (text.includes("FAIL")) throw new Error("refused");
        return [{ output_type: "execute_result", data: text }];
      },
    };
    rt.registry.register(chat);
    const results = await rt.runAll({}, { continueOnError: true });
    assert.deepEqual(events, ["start turn1", "end turn1", "start turn2", "end turn2", "start turn3", "end turn3"]);
    assert.deepEqual([...results.keys()], ["turn1", "turn3"]);
  });

  test("without continueOnError the first failure rejects runAll", async () => {
    await assert.rejects(runtimeFor(prompts()).runAll(), ProviderError);
  });

  test("signalFor cancels one running prompt and its dependents; the others finish", async () => {
    const ran: string[] = [];
    const list: Prompt[] = [
      { name: "slow", input: "HANG", outputs: [{ output_type: "execute_result", data: "kept" }] },
      { name: "needs_slow", input: "{{slow.output}}?" },
      { name: "free", input: "independent" },
    ];
    const rt = runtimeFor(list, ran);
    const stopSlow = new AbortController();
    const skipped: string[] = [];
    const done = rt.runAll({}, { signalFor: (name) => (name === "slow" ? stopSlow.signal : undefined), onSkip: (n) => skipped.push(n) });
    setImmediate(() => stopSlow.abort());
    const results = await done;
    assert.deepEqual([...results.keys()], ["free"]);
    assert.deepEqual(skipped, ["needs_slow"]);
    assert.equal(rt.getPrompt("slow")?.outputs?.[0]?.output_type === "execute_result" && rt.getPrompt("slow")?.outputs?.[0]?.data, "kept");
    assert.ok(!ran.includes("needs_slow"));
  });

  test("the run's own signal still cancels everything", async () => {
    const rt = runtimeFor([
      { name: "slow", input: "HANG" },
      { name: "free", input: "x" },
    ]);
    const all = new AbortController();
    const done = rt.runAll({}, { signal: all.signal, continueOnError: true, signalFor: () => undefined });
    setImmediate(() => all.abort());
    await assert.rejects(done, RunAbortedError);
  });
});
