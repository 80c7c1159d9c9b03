#!/usr/bin/env node
// Runs every test file (`packages/*/src/**/*.test.ts`) with Node's test runner,
// on the TypeScript sources (the "source" export condition, through tsx).
// Usage: node scripts/run-tests.mjs [PACKAGE_OR_PATH_FILTER...]
// Tests find the shared fixtures, corpus and model in ../shared (AICONFIG_SHARED overrides it).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const shared = process.env.AICONFIG_SHARED ?? resolve(root, "..", "shared");

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = walk(join(root, "packages"), [])
  .map((f) => f.slice(root.length + 1))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}
const env = { ...process.env, AICONFIG_SHARED: shared };
if (!env.AICONFIG_MODELS_DIR && existsSync(join(shared, "models"))) env.AICONFIG_MODELS_DIR = join(shared, "models");
const result = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
