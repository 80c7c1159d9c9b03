/**
 * What a user gets from `npm install @aiconfig-ts/core @aiconfig-ts/cli`:
 * the packages packed with `npm pack` (as published) and installed into an
 * empty folder outside the repository, offline, from those tarballs. Core and
 * the CLI bundle their third-party libraries (their licences in
 * THIRD-PARTY-NOTICES.md), so the install holds these two packages and
 * nothing else, and every bundled library still works there: YAML and JSON
 * with comments (yaml, js-yaml, jsonc-parser), templates (handlebars, its LRU
 * cache), settings checks (ajv), `.env` files (dotenv). A model whose provider
 * package is not installed gives one line naming the package and the command
 * that installs it; a `.ts` providers module without tsx says tsx is needed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { repoRoot } from "@aiconfig-ts/testing";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

let dir: string;
/** `npm pack --json` of each package: the files it publishes. */
const packed: Record<string, { files: { path: string }[] }> = {};

before(() => {
  dir = mkdtempSync(join(tmpdir(), "aiconfig-packed-"));
  for (const pkg of ["core", "cli"]) {
    const r = spawnSync(npm, ["pack", "--json", "--pack-destination", dir], { cwd: join(repoRoot, "packages", pkg), encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    packed[pkg] = JSON.parse(r.stdout)[0];
  }
  const tarballs = readdirSync(dir).filter((f) => f.endsWith(".tgz"));
  assert.equal(tarballs.length, 2);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user-project", private: true }));
  const install = spawnSync(npm, ["install", "--offline", "--no-audit", "--no-fund", ...tarballs.map((f) => `./${f}`)], {
    cwd: dir,
    encoding: "utf8",
    timeout: 180_000,
  });
  assert.equal(install.status, 0, install.stderr);
});

after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the installed `aiconfig` in the user's folder. */
function aiconfig(...args: string[]) {
  return spawnSync(join(dir, "node_modules", ".bin", "aiconfig"), args, { cwd: dir, encoding: "utf8", timeout: 60_000 });
}

test("the CLI alone installs core and the CLI and no third-party package: their libraries are bundled, with their licences", () => {
  const installed = readdirSync(join(dir, "node_modules")).filter((n) => !n.startsWith("."));
  assert.deepEqual(installed, ["@aiconfig-ts"]);
  assert.deepEqual(readdirSync(join(dir, "node_modules", "@aiconfig-ts")).sort(), ["cli", "core"]);
  const notices = (pkg: string) => readFileSync(join(dir, "node_modules", "@aiconfig-ts", pkg, "THIRD-PARTY-NOTICES.md"), "utf8");
  for (const lib of ["handlebars", "yaml", "js-yaml", "jsonc-parser", "ajv", "dotenv", "lru-cache"])
    assert.match(notices("core"), new RegExp(`^## ${lib} \\d+\\.\\d+\\.\\d+ \\(`, "m"), `core's notices hold ${lib}'s licence`);
  assert.match(notices("cli"), /^## commander \d+\.\d+\.\d+ \(MIT\)/m);
});

test("a TypeScript project using core's three entry points type-checks against the installed declarations with skipLibCheck off", () => {
  // The user's project: @types/node (a Node project has it; core's types use Node's), nothing else. Core's
  // declarations must name no library it bundles (yaml, ajv, p-queue, limiter, pathe, ...): none is installed here.
  const project = join(dir, "typed");
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, "index.ts"),
    `import { AIConfigRuntime, type Provider, validateConfig } from "@aiconfig-ts/core";
import * as browser from "@aiconfig-ts/core/browser";
import { promptModelName } from "@aiconfig-ts/core/document";
const provider: Provider = { id: "echo", resolve: (c) => c.input, run: async () => [] };
const runtime: AIConfigRuntime = AIConfigRuntime.create("typed");
runtime.registry.register(provider, ["echo"]);
const problems: number = validateConfig(runtime.config).length;
const model: string | undefined = runtime.config.prompts[0] ? promptModelName(runtime.config, runtime.config.prompts[0]) : undefined;
export { browser, model, problems };
`,
  );
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  for (const resolution of ["nodenext", "bundler"]) {
    const compilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: "es2022",
      module: resolution === "bundler" ? "preserve" : "nodenext",
      moduleResolution: resolution,
      types: ["node"],
      typeRoots: [join(repoRoot, "node_modules", "@types")],
    };
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["index.ts"] }));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "typed", private: true, type: "module" }));
    const r = spawnSync(process.execPath, [tsc, "-p", project], { cwd: project, encoding: "utf8", timeout: 120_000 });
    assert.equal(r.status, 0, `moduleResolution ${resolution}:\n${r.stdout}${r.stderr}`);
  }
});

test("the tarballs publish no tests, source maps or TypeScript sources", () => {
  for (const [pkg, { files }] of Object.entries(packed)) {
    const stray = files.map((f) => f.path).filter((p) => /\.test\.|\.map$|(?<!\.d)\.ts$|^src\//.test(p));
    assert.deepEqual(stray, [], `${pkg} publishes ${stray.join(", ")}`);
  }
});

test("running an OpenAI prompt without @aiconfig-ts/openai says which package to install, in one line", () => {
  writeFileSync(
    join(dir, "ask.aiconfig.json"),
    JSON.stringify({
      name: "ask",
      schema_version: "latest",
      metadata: {},
      prompts: [{ name: "ask", input: "Hi", metadata: { model: "gpt-4o-mini" } }],
    }),
  );
  const run = aiconfig("run", "ask.aiconfig.json");
  assert.equal(run.status, 1, run.stderr);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.match(run.stderr, /gpt-4o-mini.*not installed: @aiconfig-ts\/openai; run `npm install @aiconfig-ts\/openai`/);
});

test("the bundled YAML, JSON-with-comments and schema libraries work: a corpus YAML file is valid, a broken one is located", () => {
  writeFileSync(
    join(dir, "travel.aiconfig.yaml"),
    readFileSync(join(repoRoot, "..", "shared", "corpus", "cookbooks__Anyscale__travel.aiconfig.yaml")),
  );
  const valid = aiconfig("validate", "travel.aiconfig.yaml");
  assert.equal(valid.status, 0, valid.stderr);
  writeFileSync(
    join(dir, "broken.aiconfig.json"),
    '{ "name": "b", // a comment\n  "schema_version": "latest", "metadata": {}, "prompts": [ }\n',
  );
  const broken = aiconfig("validate", "broken.aiconfig.json");
  assert.equal(broken.status, 1);
  assert.match(broken.stdout + broken.stderr, /broken\.aiconfig\.json:2:\d+/);
});

test("the bundled template, settings and .env libraries work: a providers module's prompt resolves with its parameters, settings and key", () => {
  // Constructed: a providers module whose provider echoes what core gives it.
  writeFileSync(
    join(dir, "echo.providers.mjs"),
    `import { loadEnvironment } from "@aiconfig-ts/core";
export function register(registry) {
  registry.register({
    id: "echo", specificationVersion: "v1",
    settingsSchema: { type: "object", properties: { temperature: { type: "number" } } },
    resolve: (c) => ({ input: c.input, settings: c.settings, key: loadEnvironment(c.configDir, {}).ECHO_KEY }),
    run: async () => [],
  }, ["echo"]);
}\n`,
  );
  writeFileSync(join(dir, ".env"), "ECHO_KEY=from-dotenv\n");
  writeFileSync(
    join(dir, "echo.aiconfig.yaml"),
    'name: echo\nschema_version: latest\nmetadata:\n  parameters: { who: Ann }\nprompts:\n  - name: hi\n    input: "Hi {{#if who}}{{who}}{{/if}}!"\n    metadata: { model: { name: echo, settings: { temperature: 0.5 } } }\n',
  );
  const resolved = aiconfig("resolve", "echo.aiconfig.yaml", "--prompt", "hi", "--providers", "echo.providers.mjs");
  assert.equal(resolved.status, 0, resolved.stderr);
  const request = JSON.parse(resolved.stdout);
  assert.equal(JSON.stringify(request.input).includes("Hi Ann!"), true, resolved.stdout);
  assert.equal(request.settings.temperature, 0.5);
  assert.equal(request.key, "from-dotenv");
  writeFileSync(join(dir, "bad-settings.aiconfig.yaml"), readFileSync(join(dir, "echo.aiconfig.yaml"), "utf8").replace("0.5", '"hot"'));
  const bad = aiconfig("validate", "bad-settings.aiconfig.yaml", "--providers", "echo.providers.mjs");
  assert.equal(bad.status, 1);
  assert.match(bad.stdout + bad.stderr, /temperature/);
});

test("a TypeScript providers module without tsx installed says, in one line, that it needs tsx", () => {
  assert.equal(existsSync(join(dir, "node_modules", "tsx")), false);
  writeFileSync(join(dir, "extra.providers.ts"), "export function register(registry: unknown): void {}\n");
  const run = aiconfig("resolve", "echo.aiconfig.yaml", "--prompt", "hi", "--providers", "extra.providers.ts");
  assert.equal(run.status, 1, run.stdout);
  assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
  assert.match(run.stderr, /needs tsx: run `npm install tsx`/);
});
