import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "@aiconfig-ts/testing";

const bin = join(repoRoot, "packages", "cli", "src", "bin.ts");

/** What a finished `aiconfig` process printed, and its exit code. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the real `aiconfig` command (from its TypeScript sources) with extra environment; `done` resolves when it exits. */
export function startAiconfig(args: string[], env: Record<string, string>): ChildProcess & { done: Promise<Finished> } {
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", bin, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const done = new Promise<Finished>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return Object.assign(child, { done });
}

/** The prompt most batch tests run: `ask`, sending `Q {{q}}` to gpt-4o-mini. */
export const askPrompt = { name: "ask", input: "Q {{q}}", metadata: { model: "gpt-4o-mini" } };

/**
 * A new folder with an aiconfig file of these model settings and prompts (constructed), and the path of
 * a results file beside it (`out.jsonl`, not created).
 */
export function aiconfigWorkspace(
  models: Record<string, object> = { "gpt-4o-mini": { model: "gpt-4o-mini" } },
  prompts: object[] = [askPrompt],
): { dir: string; file: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-batch-test-"));
  const file = join(dir, "eval.aiconfig.json");
  writeFileSync(file, JSON.stringify({ name: "batch test", schema_version: "latest", metadata: { models }, prompts }));
  return { dir, file, out: join(dir, "out.jsonl") };
}
