import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { corpusFile, modelsDir, repoRoot } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");

/** Runs the real `aiconfig` command (from its TypeScript sources) and returns its exit code and output. */
function aiconfig(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", bin, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, AICONFIG_MODELS_DIR: modelsDir, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the installed command (node_modules/.bin/aiconfig, the built CLI) runs, as the README's first command uses it", () => {
  const r = spawnSync(join(repoRoot, "node_modules", ".bin", "aiconfig"), ["validate", "examples/story.aiconfig.json"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `${r.stderr}${r.error ?? ""} (run npm install, which builds the packages)`);
  assert.match(r.stderr, /story\.aiconfig\.json: valid/);
});

describe("aiconfig validate", () => {
  test("a located error for the corpus file with a trailing comma; exit 1", () => {
    const file = corpusFile("cookbooks__RAG-with-MongoDB__rag.aiconfig.json");
    const r = aiconfig(["validate", file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: .*trailing comma`, "m"));
    assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at /, "no stack trace");
  });

  test("valid files pass with exit 0; problems carry the JSON pointer", () => {
    const ok = aiconfig([
      "validate",
      "examples/story.aiconfig.json",
      "examples/sql.aiconfig.json",
      corpusFile("cookbooks__Anyscale__travel.aiconfig.yaml"),
    ]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-"));
    const bad = join(dir, "bad.aiconfig.json");
    writeFileSync(bad, JSON.stringify({ name: "x", schema_version: "latest", metadata: {}, prompts: [{ name: "a", input: 3 }] }, null, 2));
    const r = aiconfig(["validate", bad]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /bad\.aiconfig\.json:\d+:\d+: .*\(at \/prompts\/0\/input\)/);
  });

  test("settings are checked against the provider's settings schema", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-"));
    const bad = join(dir, "settings.aiconfig.json");
    const story = JSON.parse(readFileSync(join(repoRoot, "examples", "story.aiconfig.json"), "utf8"));
    story.metadata.models.stories260K.temperature = "hot";
    writeFileSync(bad, JSON.stringify(story, null, 2));
    const r = aiconfig(["validate", bad]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /setting "temperature" must be of type number .*\(at \/metadata\/models\/stories260K\/temperature\)/);
  });
});

describe("aiconfig run and resolve", () => {
  test("runs the story example on the local model, streaming text to stdout, and saves outputs with --output", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-"));
    const out = join(dir, "story.out.aiconfig.yaml");
    const r = aiconfig(["run", "examples/story.aiconfig.json", "--output", out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /▶ opening \(stories260K on llama\)/);
    assert.match(r.stderr, /✓ continuation in/);
    const saved = readFileSync(out, "utf8");
    assert.match(saved, /output_type: execute_result/);
    // The opening at temperature 0 is deterministic and is what stdout starts with.
    const lines = r.stdout.trim().split("\n");
    assert.ok(lines.length >= 2, r.stdout);
    assert.ok(saved.includes(lines[0]!.trim().slice(0, 30)), "stdout holds the stored output");
  });

  test("resolve prints the request as JSON with parameters from -p", () => {
    const r = aiconfig(["resolve", "examples/story.aiconfig.json", "--prompt", "opening", "-p", "hero=Tom"]);
    assert.equal(r.code, 0, r.stderr);
    const request = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.match(JSON.stringify(request), /a little girl named Tom\. She loved to play in the park\./);
  });

  test("resolve of a prompt using an output not stored yet says what to run, not run's --with-dependencies (resolve has none)", () => {
    const r = aiconfig(["resolve", "examples/story.aiconfig.json", "--prompt", "continuation"]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split("\n");
    assert.equal(lines.length, 1, r.stderr);
    assert.equal(
      lines[0],
      'aiconfig: examples/story.aiconfig.json: prompt "continuation" uses the output of prompt "opening", which has no output in the file yet: store it with `aiconfig run examples/story.aiconfig.json --prompt continuation --with-dependencies --save`, or resolve with --no-strict to render it empty',
    );
    // The advice holds: resolve has no --with-dependencies, and --no-strict resolves.
    assert.equal(aiconfig(["resolve", "examples/story.aiconfig.json", "--prompt", "continuation", "--with-dependencies"]).code, 2);
    const lenient = aiconfig(["resolve", "examples/story.aiconfig.json", "--prompt", "continuation", "--no-strict"]);
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.match(JSON.parse(lenient.stdout).prompt, /She loved to play in the park\.\nThe next day, Lily$/);
  });

  test("user mistakes get one clear line and the documented exit code", () => {
    const missingParam = aiconfig(["resolve", "examples/sql.aiconfig.json", "--prompt", "postgresql", "--params-file", "nope.json"]);
    assert.equal(missingParam.code, 2);
    assert.equal(missingParam.stderr.trim().split("\n").length, 1);
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-"));
    const broken = join(dir, "params.json");
    writeFileSync(broken, '{\n  "hero": "Tom",\n  place: "the sea"\n}\n');
    const notJSON = aiconfig(["resolve", "examples/story.aiconfig.json", "--prompt", "opening", "--params-file", broken]);
    assert.equal(notJSON.code, 2);
    assert.equal(notJSON.stderr.trim().split("\n").length, 1, notJSON.stderr);
    assert.match(
      notJSON.stderr,
      new RegExp(
        `^aiconfig: --params-file ${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:3: not valid JSON \\(.*\\): write one JSON object of parameter names to values`,
      ),
      "the file, line and column of the mistake, and the fix",
    );
    const unknownPrompt = aiconfig(["run", "examples/story.aiconfig.json", "--prompt", "nothing"]);
    assert.equal(unknownPrompt.code, 1);
    assert.match(unknownPrompt.stderr, /no prompt named "nothing"; the prompts are: opening, continuation/);
    const missingFile = aiconfig(["run", "no-such.aiconfig.json"]);
    assert.equal(missingFile.code, 1);
    assert.match(missingFile.stderr, /no-such\.aiconfig\.json/);
    assert.doesNotMatch(missingFile.stderr, /\n\s+at /);
    const usage = aiconfig(["run"]);
    assert.equal(usage.code, 2);
    const help = aiconfig(["run", "--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--with-dependencies/);
    const top = aiconfig(["--help"]);
    assert.equal(top.code, 0);
    assert.match(
      top.stdout.replace(/\s+/g, " "),
      /over a dataset \(batch\), host a notebook \(serve\) or publish it as a static site \(export\)/,
    );
  });

  test("edit and serve on a port another program uses say so in one line, with the fix", async () => {
    const { createServer } = await import("node:net");
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = String((taken.address() as { port: number }).port);
    try {
      const edit = aiconfig(["edit", "examples/story.aiconfig.json", "--no-open", "--port", port]);
      assert.equal(edit.code, 1);
      assert.equal(
        edit.stderr,
        `aiconfig: cannot listen on 127.0.0.1:${port}: another program uses that port: choose another with --port, or leave --port out for a free one\n`,
      );
      const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-"));
      copyFileSync(join(repoRoot, "examples", "story.aiconfig.json"), join(dir, "story.aiconfig.json"));
      const serve = aiconfig(["serve", join(dir, "story.aiconfig.json"), "--port", port]);
      assert.equal(serve.code, 1);
      assert.match(
        serve.stderr,
        new RegExp(
          `cannot listen on 127\\.0\\.0\\.1:${port}: another program uses that port: choose another with --port, or --port 0 for a free one\n$`,
        ),
      );
    } finally {
      taken.close();
    }
  });

  test("repeatable options: --help shows no empty default, and each is a list whether given or not", () => {
    for (const command of ["run", "resolve", "edit", "serve", "batch"]) {
      const help = aiconfig([command, "--help"]);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /repeatable/, command);
      assert.doesNotMatch(help.stdout, /\(default: (\[\]|"")\)/, command);
    }
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-"));
    const file = join(dir, "pair.aiconfig.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "pair",
        schema_version: "latest",
        metadata: { parameters: { a: "x", b: "y" }, models: { "gpt-4o-mini": { model: "gpt-4o-mini" } } },
        prompts: [{ name: "p", input: "{{a}} and {{b}}", metadata: { model: "gpt-4o-mini" } }],
      }),
    );
    const content = (args: string[]) => {
      const r = aiconfig(["resolve", file, "--prompt", "p", ...args]);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).messages.at(-1).content;
    };
    assert.equal(content([]), "x and y");
    assert.equal(content(["-p", "a=1", "-p", "b=2"]), "1 and 2");
    const embed = aiconfig(["serve", "--allow-embed", "nope"]);
    assert.equal(embed.code, 2);
    assert.match(embed.stderr, /--allow-embed nope: expected an origin/);
  });

  test("an undefined parameter names the parameter and the prompt; a file that fails is not changed", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-cli-"));
    const file = join(dir, "story.aiconfig.json");
    copyFileSync(join(repoRoot, "examples", "story.aiconfig.json"), file);
    const before = readFileSync(file, "utf8");
    const config = JSON.parse(before);
    config.prompts[0].input = "Once upon a time {{villain}} came.";
    writeFileSync(file, JSON.stringify(config, null, 2));
    const snapshot = readFileSync(file, "utf8");
    const r = aiconfig(["run", file, "--save"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /prompt "opening" uses parameter "villain" but nothing defines it/);
    assert.equal(readFileSync(file, "utf8"), snapshot);
  });
});
