// `aiconfig serve` as owners start it: the Space's start command, and the node:http example mounting the handler.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { type AIConfig, parseConfigText } from "@aiconfig-ts/core";
import { repoRoot } from "@aiconfig-ts/testing";
import { launchChromium } from "./browser.test.helper.js";
import { freePort } from "@aiconfig-ts/testing";
import { TEST_PROVIDERS_MODULE, Visitor, startServeProcess, tempDir } from "./server.test.helper.js";

const SPACE = join(repoRoot, "examples", "space");

function newest(path: string): number {
  const st = statSync(path);
  return st.isDirectory() ? Math.max(0, ...readdirSync(path).map((n) => newest(join(path, n)))) : st.mtimeMs;
}

/** Builds <aiconfig-notebook> when its bundle is missing or older than the UI sources it bundles. */
function ensureElementBuilt(): void {
  const bundle = join(repoRoot, "packages", "server", "dist", "element", "aiconfig-notebook.js");
  const sources = Math.max(newest(join(repoRoot, "packages", "editor", "ui", "src")), newest(join(repoRoot, "packages", "server", "ui")));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  const r = spawnSync("npm", ["run", "build", "-w", "packages/server"], { cwd: repoRoot, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`building <aiconfig-notebook> failed:\n${r.stdout}\n${r.stderr}`);
}

describe("the Space's start command", () => {
  test("the Dockerfile's CMD serves app.aiconfig.json on every interface at port 7860, and a visitor runs its offline chain", async () => {
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(readFileSync(join(SPACE, "Dockerfile"), "utf8"))![1]!) as string[];
    assert.deepEqual(cmd.slice(0, 3), ["npx", "aiconfig", "serve"]);
    assert.deepEqual(cmd.slice(4), ["--host", "0.0.0.0", "--port", "7860", "--allow-embed", "https://huggingface.co"]);
    // run it directly (no docker here), in a copy of the Space, on a free port instead of 7860
    const dir = tempDir();
    copyFileSync(join(SPACE, cmd[3]!), join(dir, cmd[3]!));
    const owner = readFileSync(join(dir, cmd[3]!));
    const port = await freePort();
    const args = cmd.slice(4).map((a, i, all) => (all[i - 1] === "--port" ? String(port) : a));
    const serve = await startServeProcess(join(dir, cmd[3]!), args);
    try {
      assert.match(serve.stderr(), /Listening on every interface/);
      const visitor = new Visitor(fetch, `http://127.0.0.1:${port}`);
      const page = await visitor.call("/");
      assert.equal(page.status, 200);
      assert.match(
        page.headers.get("content-security-policy") ?? "",
        /frame-ancestors 'self' https:\/\/huggingface\.co/,
        "the Space page may frame it",
      );
      assert.match(await page.text(), /<div id="root">/);
      const { config } = await visitor.state();
      const events = await visitor.run({ config, mode: "deps", prompt: "continuation" });
      assert.equal(events.filter((e) => e.type === "outputs").length, 2, JSON.stringify(events.filter((e) => e.type === "error")));
      assert.deepEqual(readFileSync(join(dir, cmd[3]!)), owner, "the Space's file is never written");
      const download = parseConfigText(await (await visitor.call("/api/download?format=yaml")).text(), "x.yaml").data as AIConfig;
      assert.equal(download.prompts[1]!.outputs?.length, 1);
    } finally {
      await serve.kill();
    }
  });

  test("--base-path serves the notebook under a path; a wrong flag is one line naming it", async () => {
    const dir = tempDir();
    copyFileSync(join(SPACE, "app.aiconfig.json"), join(dir, "app.aiconfig.json"));
    const port = await freePort();
    const serve = await startServeProcess(join(dir, "app.aiconfig.json"), ["--port", String(port), "--base-path", "/notebook/"]);
    try {
      assert.match(serve.stderr(), new RegExp(`http://127\\.0\\.0\\.1:${port}/notebook/`));
      assert.match(
        serve.stderr(),
        /Sessions: at most 1000, holding 256MB in all \(the least recently used go first\), each ending after 2h without use\./,
      );
      const v = new Visitor(fetch, `http://127.0.0.1:${port}`, "/notebook");
      const page = await v.call("/");
      assert.equal(page.status, 200);
      assert.match(
        page.headers.get("set-cookie") ?? "",
        /Path=\/notebook/,
        "the page starts the session; its cookie is for the base path only",
      );
      assert.equal((await v.call("/api/state")).status, 200);
    } finally {
      await serve.kill();
    }
    const bad = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", join(repoRoot, "packages/cli/src/bin.ts"), "serve", "x.json", "--session-ttl", "soon"],
      { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] },
    );
    let err = "";
    bad.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise<number | null>((r) => bad.once("exit", r));
    assert.equal(code, 2);
    assert.match(err, /--session-ttl soon: expected a duration such as 2h/);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", join(repoRoot, "packages/cli/src/bin.ts"), "serve", ...args], {
        cwd: repoRoot,
        encoding: "utf8",
      });
    const memory = cli("x.json", "--max-memory", "lots");
    assert.equal(memory.status, 2);
    assert.equal(memory.stderr.trim().split("\n").length, 1, "one line");
    assert.match(memory.stderr, /--max-memory lots: expected a size such as 256MB or 1GB/);
  });

  test("--help lists every option the issue names, with its default", () => {
    const help = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", join(repoRoot, "packages/cli/src/bin.ts"), "serve", "--help"],
      { cwd: repoRoot, encoding: "utf8" },
    );
    assert.equal(help.status, 0);
    for (const flag of [
      "--port <n>",
      "--host <host>",
      "--providers <module>",
      "--store <dir|redis://host:port>",
      "--share-owner-keys",
      "--max-sessions <n>",
      "--max-memory <size>",
      "--session-ttl <duration>",
      "--allow-embed <origin>",
      "--base-path <path>",
      "--no-share",
      "--metrics",
    ])
      assert.ok(help.stdout.includes(flag), `--help shows ${flag}`);
    assert.match(help.stdout, /\(default: 7860\)/);
    assert.match(help.stdout, /\(default: "256MB"\)/);
    assert.match(help.stdout, /\(default: "2h"\)/);
  });
});

describe("mounting the notebook in another Node app", () => {
  test("the node:http example hosts the handler under /notebook and its page shows <aiconfig-notebook>, which runs a prompt", async () => {
    ensureElementBuilt();
    const dir = tempDir();
    const file = join(dir, "owner.aiconfig.json");
    copyFileSync(join(repoRoot, "examples", "story.aiconfig.json"), file);
    const port = await freePort();
    const example = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", join(repoRoot, "packages/server/examples/node-http.mjs"), file, TEST_PROVIDERS_MODULE],
      { cwd: repoRoot, env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    example.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    example.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const browser = await launchChromium();
    try {
      while (!out.includes("my app:")) {
        if (example.exitCode !== null) throw new Error(out);
        await new Promise((r) => setTimeout(r, 50));
      }
      const api = new Visitor(fetch, `http://127.0.0.1:${port}`, "/notebook");
      assert.equal((await api.state()).config.name, "A story in two parts", "the handler answers under its path");
      const app = await fetch(`http://127.0.0.1:${port}/`);
      assert.match(await app.text(), /<aiconfig-notebook src="\/notebook\/">/, "the app's own routes are untouched");
      const page = await (await browser.newContext()).newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      const notebook = page.locator("aiconfig-notebook");
      await notebook.locator(".aiw[data-ready=true]").waitFor();
      const cell = notebook.locator('[data-cell-name="opening"]');
      await cell.locator("select, input").first().waitFor();
      await cell.getByRole("button", { name: "▶ Run" }).click();
      await cell.locator(".output-text").waitFor({ timeout: 60_000 });
      assert.match((await cell.locator(".output-text").textContent()) ?? "", /\S/);
    } finally {
      await browser.close();
      example.kill();
    }
  });
});
