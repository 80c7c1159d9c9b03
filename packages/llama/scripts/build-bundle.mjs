#!/usr/bin/env node
// Bundles the llama package's entry points for publishing: tsc's output
// dist/index.js (`@aiconfig-ts/llama`), dist/portable.js (`./portable`) and
// dist/engine-start.js (`./engine-start`) -> dist/bundle/<entry>.js, with the
// code they share in dist/bundle/chunks/. `aiconfig run` on a local model
// imports the package in one or two files instead of 17 ES modules (Node's
// module loader costs ~1 ms of CPU a module: resolution, package.json lookups,
// a file read; ~17 ms in all, during the engine's binary test). Splitting
// keeps one copy of each module across the entries: the engine that
// `./engine-start` starts is the provider's, and `./portable`'s error classes
// are the provider's. `@aiconfig-ts/core` and node-llama-cpp stay imports
// (node-llama-cpp finds its binaries beside its own files); any other bare
// module fails the build.
//
// Usage: node scripts/build-bundle.mjs   (from packages/llama, after `tsc -b`)
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const llamaDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(llamaDir, "dist");
const outdir = join(dist, "bundle");
const EXTERNAL = ["@aiconfig-ts/core", "node-llama-cpp"];
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Fails the build on a bare module that is neither external nor a Node built-in (it would be bundled unseen). */
const onlyKnownModules = {
  name: "only-known-modules",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (EXTERNAL.includes(args.path) || builtins.has(args.path)) return { path: args.path, external: true };
      return {
        errors: [
          { text: `${args.importer} imports ${args.path}: add it to EXTERNAL in scripts/build-bundle.mjs or to the bundle on purpose` },
        ],
      };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    index: join(dist, "index.js"),
    portable: join(dist, "portable.js"),
    "engine-start": join(dist, "engine-start.js"),
  },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  legalComments: "none",
  absWorkingDir: llamaDir,
  logLevel: "warning",
  plugins: [onlyKnownModules],
});
