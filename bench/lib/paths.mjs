// Paths the benchmark uses: the repository root, the shared fixtures, and the
// output folder (bench-results/, gitignored).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (/work/main). */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The shared read-only material (fixtures, corpus); AICONFIG_SHARED overrides it, as for the tests. */
export const shared = process.env.AICONFIG_SHARED ?? resolve(root, "..", "shared");

/** Where results and generated files go. */
export const resultsDir = join(root, "bench-results");

/** Generated aiconfig files and scratch folders. */
export const scratchDir = join(resultsDir, "tmp");

/** The recorded OpenAI chat completion (non-streamed) and stream chunks (one JSON chunk a line). */
export const openaiFixtures = {
  completion: join(shared, "fixtures", "providers", "openai", "openai-text.json"),
  chunks: join(shared, "fixtures", "providers", "openai", "openai-text.chunks.txt"),
};

/**
 * The ESM entry file of package `name` as Node would resolve it from `fromDir`
 * (walking up node_modules folders; the `import`/`default` export of "."). Used
 * to load the exact `openai` 6.x that packages/openai uses (it is nested in
 * packages/openai/node_modules, the root holds the 4.11.1 that aiconfig 1.1.15 bundles).
 */
export function resolvePackageEntry(fromDir, name) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const pkgDir = join(dir, "node_modules", name);
    const manifest = join(pkgDir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8"));
      let entry = pkg.exports?.["."] ?? pkg.exports ?? pkg.module ?? pkg.main ?? "index.js";
      while (entry && typeof entry === "object") entry = entry.import ?? entry.default ?? entry.node;
      return { file: join(pkgDir, entry), version: pkg.version };
    }
    if (dirname(dir) === dir) throw new Error(`cannot find package ${name} from ${fromDir}`);
  }
}

/** The text of the recorded completion and of the recorded stream (two different recordings). */
export function recordedTexts() {
  const completion = JSON.parse(readFileSync(openaiFixtures.completion, "utf8")).choices[0].message.content;
  const streamed = readFileSync(openaiFixtures.chunks, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line).choices[0]?.delta?.content ?? "")
    .join("");
  return { completion, streamed };
}
