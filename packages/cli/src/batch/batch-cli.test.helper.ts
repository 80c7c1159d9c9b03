import { type ChildProcess, spawn } from "node:child_process";
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
