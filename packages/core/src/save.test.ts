import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { AIConfigError } from "./errors.js";
import { parseConfigText } from "./parse.js";
import { formatForPath, serializeConfig } from "./save.js";
import { writeFileAtomic } from "./write-file-atomic.js";
import type { AIConfig } from "./types.js";

function sample(): AIConfig {
  return {
    name: "sample",
    schema_version: "latest",
    metadata: { parameters: { city: "Paris" }, my_root_meta: { keep: [1, 2] } },
    prompts: [
      {
        name: "p1",
        input: "Hello {{city}}",
        metadata: { model: { name: "gpt-4", settings: { temperature: 0.5 }, x_model: true } },
        outputs: [{ output_type: "execute_result", data: "line one\nline two", metadata: { usage: { total_tokens: 3 } } }],
        x_prompt: "kept",
      },
      { name: "p2", input: { data: { a: null }, attachments: [], x_input: 1 } },
    ],
    x_root: { nested: { deeper: ["kept"] } },
  };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "aiconfig-save-"));
}

describe("serializeConfig", () => {
  it("writes JSON with a 2-space indent and a trailing newline", () => {
    const config: AIConfig = { name: "n", schema_version: "latest", metadata: {}, prompts: [{ name: "a", input: "hi" }] };
    assert.equal(
      serializeConfig(config, "json"),
      '{\n  "name": "n",\n  "schema_version": "latest",\n  "metadata": {},\n  "prompts": [\n    {\n      "name": "a",\n      "input": "hi"\n    }\n  ]\n}\n',
    );
  });

  it("keeps every unknown property, at every level and in order, in JSON and YAML", () => {
    for (const format of ["json", "yaml"] as const) {
      const text = serializeConfig(sample(), format);
      const back = parseConfigText(text, undefined, format).data;
      assert.deepEqual(back, sample());
      assert.deepEqual(JSON.stringify(back), JSON.stringify(sample()), "same key order");
    }
  });

  it("leaves outputs out only of the copy when includeOutputs is false", () => {
    const config = sample();
    const before = structuredClone(config);
    for (const format of ["json", "yaml"] as const) {
      const back = parseConfigText(serializeConfig(config, format, { includeOutputs: false }), undefined, format).data as AIConfig;
      assert.equal("outputs" in back.prompts[0]!, false);
      assert.equal(back.prompts[0]!.x_prompt, "kept");
      assert.deepEqual(back.prompts[1], before.prompts[1]);
      const { outputs: _o, ...rest } = before.prompts[0]!;
      assert.deepEqual(back.prompts[0], rest);
    }
    assert.deepEqual(config, before, "the input is unchanged");
    assert.equal(config.prompts[0]!.outputs!.length, 1);
    assert.match(serializeConfig(config, "json"), /"outputs"/);
  });

  it("writes readable YAML: block literals, no folding, no aliases, ambiguous strings quoted", () => {
    const shared = { temperature: 1 };
    const long = "word ".repeat(60).trim();
    const config: AIConfig = {
      name: "y",
      schema_version: "latest",
      metadata: { models: { a: shared, b: shared }, parameters: { v: "1.0", b: "yes", n: "null", e: "", t: "true", d: "2024-01-01" } },
      prompts: [{ name: "p", input: "first\nsecond\n", metadata: { parameters: { long } } }],
    };
    const text = serializeConfig(config, "yaml");
    assert.doesNotMatch(text, /[&*]a\d/, "no anchors or aliases");
    assert.match(text, /input: \|\n\s+first\n\s+second\n/);
    assert.ok(
      text.split("\n").some((l) => l.endsWith(long)),
      "long line not folded",
    );
    assert.deepEqual(parseConfigText(text, "y.yaml").data, config);
  });
});

describe("formatForPath", () => {
  it("maps extensions to formats, JSON by default", () => {
    assert.equal(formatForPath("a.aiconfig.yaml"), "yaml");
    assert.equal(formatForPath("dir.json/a.YML"), "yaml");
    assert.equal(formatForPath("a.aiconfig.json"), "json");
    assert.equal(formatForPath("a.yaml.bak"), "json");
    assert.equal(formatForPath("config"), "json");
  });
});

describe("writeFileAtomic", () => {
  it("creates a file and replaces one, keeping its mode, leaving no temporary file", () => {
    const dir = tempDir();
    const target = join(dir, "a.aiconfig.json");
    writeFileAtomic(target, "first\n");
    assert.equal(readFileSync(target, "utf8"), "first\n");
    for (const mode of [0o640, 0o666]) {
      // 0o666 checks that the umask does not narrow the kept mode
      chmodSync(target, mode);
      writeFileAtomic(target, `mode ${mode} ✓\n`);
      assert.equal(readFileSync(target, "utf8"), `mode ${mode} ✓\n`);
      assert.equal(statSync(target).mode & 0o777, mode);
    }
    assert.deepEqual(readdirSync(dir), ["a.aiconfig.json"]);
  });

  it("writes through a symbolic link to the file it points to", () => {
    const dir = tempDir();
    const real = join(dir, "real.json");
    const link = join(dir, "link.json");
    writeFileSync(real, "old");
    symlinkSync(real, link);
    writeFileAtomic(link, "new");
    assert.equal(lstatSync(link).isSymbolicLink(), true);
    assert.equal(readFileSync(real, "utf8"), "new");
    assert.deepEqual(readdirSync(dir).sort(), ["link.json", "real.json"]);
  });

  it("leaves the target untouched and no temporary file when the rename fails (target is a folder)", () => {
    const dir = tempDir();
    const target = join(dir, "taken.json");
    mkdirSync(target);
    writeFileSync(join(target, "inside.txt"), "keep");
    assert.throws(
      () => writeFileAtomic(target, "new"),
      (err: unknown) =>
        err instanceof AIConfigError && err.message === `cannot save ${target}: it is a folder, not a file` && err.cause !== undefined,
    );
    assert.equal(statSync(target).isDirectory(), true);
    assert.equal(readFileSync(join(target, "inside.txt"), "utf8"), "keep");
    assert.deepEqual(readdirSync(dir), ["taken.json"]);
  });

  it("fails in one line when the parent is a file or the folder is missing", () => {
    const dir = tempDir();
    const file = join(dir, "plain.txt");
    writeFileSync(file, "keep");
    assert.throws(() => writeFileAtomic(join(file, "a.json"), "x"), {
      message: `cannot save ${join(file, "a.json")}: a part of the path is a file, not a folder`,
    });
    assert.equal(readFileSync(file, "utf8"), "keep");
    assert.throws(() => writeFileAtomic(join(dir, "missing", "a.json"), "x"), {
      message: `cannot save ${join(dir, "missing", "a.json")}: no such file or folder; check the path`,
    });
    assert.deepEqual(readdirSync(dir), ["plain.txt"]);
  });

  it("leaves the target untouched in a read-only folder", () => {
    const dir = tempDir();
    const target = join(dir, "a.aiconfig.json");
    writeFileSync(target, "original");
    chmodSync(dir, 0o555);
    const isRoot = process.getuid?.() === 0;
    if (!isRoot) {
      assert.throws(() => writeFileAtomic(target, "new"), { message: `cannot save ${target}: permission denied` });
    } else {
      // root ignores permissions: run the write as the unprivileged user "nobody" (uid 65534)
      const script = `const { writeFileAtomic } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, "write-file-atomic.ts")).href)});
try { writeFileAtomic(${JSON.stringify(target)}, "new"); console.log("WROTE"); } catch (err) { console.log(err.message); }`;
      const child = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--input-type=module", "-e", script], {
        uid: 65534,
        gid: 65534,
        encoding: "utf8",
        env: { ...process.env, HOME: tmpdir() },
      });
      assert.equal(child.stdout.trim(), `cannot save ${target}: permission denied`, child.stderr);
    }
    chmodSync(dir, 0o755);
    assert.equal(readFileSync(target, "utf8"), "original");
    assert.deepEqual(readdirSync(dir), ["a.aiconfig.json"]);
  });
});
