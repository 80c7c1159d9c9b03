/**
 * The attack: a downloaded folder carries an `aiconfig.providers.mjs` that
 * runs code when imported (here it only writes a marker file). It runs only
 * when the user names it (`--providers`) or trusted the folder
 * (`aiconfig trust`); `resolve` never imports it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "node:test";
import { repoRoot } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");

function setUp() {
  const home = mkdtempSync(join(tmpdir(), "aiconfig-trust-home-"));
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "aiconfig-downloaded-")));
  const marker = join(dir, "code-ran");
  writeFileSync(
    join(dir, "aiconfig.providers.mjs"),
    `import { writeFileSync } from "node:fs";
writeFileSync(${JSON.stringify(marker)}, "ran");
export function register(registry) {
  registry.register({ id: "echo", servesModel: (m) => m === "echo", resolve: async (ctx) => ctx.input.text,
    run: async (text) => [{ output_type: "execute_result", data: "echo: " + text }] }, ["echo"]);
}
`,
  );
  const file = join(dir, "a.aiconfig.json");
  writeFileSync(
    file,
    JSON.stringify({
      name: "a",
      schema_version: "latest",
      metadata: {},
      prompts: [{ name: "ask", input: "hi", metadata: { model: "echo" } }],
    }),
  );
  const aiconfig = (...args: string[]) => {
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", bin, ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, XDG_CONFIG_HOME: home, AICONFIG_TRUST_FILE: "" },
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ran = () => {
    const yes = existsSync(marker);
    rmSync(marker, { force: true });
    return yes;
  };
  return { home, dir, file, aiconfig, ran };
}

test("a providers module in an untrusted folder is not imported by run or resolve: one line says so and how to allow it", () => {
  const { dir, file, aiconfig, ran } = setUp();
  const run = aiconfig("run", file);
  assert.equal(ran(), false, "the folder's code ran");
  assert.notEqual(run.code, 0);
  const notice = run.stderr.split("\n").filter((l) => l.includes("was not loaded"));
  assert.equal(notice.length, 1, run.stderr);
  assert.ok(notice[0]!.includes(join(dir, "aiconfig.providers.mjs")) && notice[0]!.includes(`aiconfig trust ${dir}`), notice[0]);
  aiconfig("resolve", file, "--prompt", "ask");
  assert.equal(ran(), false, "resolve imported the folder's code");
});

test("aiconfig trust DIR lets runs import it (kept in $XDG_CONFIG_HOME/aiconfig-ts/trusted.json); --list shows it; --remove withdraws it; resolve still never imports it", () => {
  const { home, dir, file, aiconfig, ran } = setUp();
  const none = aiconfig("trust", "--list");
  assert.equal(none.code, 0);
  assert.equal(none.stdout, "", "stdout lists only folders");
  assert.equal(
    none.stderr,
    `no folder is trusted (\`aiconfig trust DIR\` adds one; the list is ${join(home, "aiconfig-ts", "trusted.json")})\n`,
  );
  assert.equal(aiconfig("trust", dir).code, 0);
  assert.deepEqual(JSON.parse(readFileSync(join(home, "aiconfig-ts", "trusted.json"), "utf8")).folders, [dir]);
  assert.equal(aiconfig("trust", "--list").stdout, `${dir}\n`);
  const run = aiconfig("run", file);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), "echo: hi");
  assert.equal(ran(), true);
  aiconfig("resolve", file, "--prompt", "ask");
  assert.equal(ran(), false, "resolve imported the folder's code");
  const removed = aiconfig("trust", "--remove", relative(repoRoot, dir));
  assert.equal(removed.code, 0);
  assert.equal(removed.stderr, `no longer trusted: ${dir}\n`, "the folder by its absolute path, as trust says it");
  assert.equal(aiconfig("trust", "--remove", dir).stderr, `${dir} was not trusted\n`);
  aiconfig("run", file);
  assert.equal(ran(), false, "a withdrawn folder's code ran");
});

test("--providers MODULE, named by the user, is imported without trusting the folder (run and resolve)", () => {
  const { dir, file, aiconfig, ran } = setUp();
  const run = aiconfig("run", file, "--providers", join(dir, "aiconfig.providers.mjs"));
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), "echo: hi");
  assert.equal(ran(), true);
  const resolved = aiconfig("resolve", file, "--prompt", "ask", "--providers", join(dir, "aiconfig.providers.mjs"));
  assert.equal(resolved.code, 0, resolved.stderr);
  assert.equal(JSON.parse(resolved.stdout), "hi");
});
