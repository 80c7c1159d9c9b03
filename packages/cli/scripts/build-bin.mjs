#!/usr/bin/env node
// Bundles the `aiconfig` command (src/bin.ts -> dist/bin.js) and the package's
// library entry (src/index.ts -> dist/index.bundle.js) with esbuild: the
// start-up path (bin.js, cli.ts, commander) in one file, a chunk per command
// module, and the third-party libraries the CLI uses (commander, csv-parse,
// csv-stringify, cli-progress) inside the bundle, so the published package
// depends on core alone; core, the editor and the providers stay imports that
// run only when a command needs them. Commander's `node:child_process` (used only
// for executable subcommands, which the CLI has none of) is loaded on first
// use instead of at start-up. The bundled libraries' licences are written to
// THIRD-PARTY-NOTICES.md beside package.json.
//
// Usage: node scripts/build-bin.mjs [--outdir=DIR] [--metafile=FILE]   (from packages/cli)
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { writeThirdPartyNotices } from "../../../scripts/third-party-notices.mjs";

const cliDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const outdir = arg("outdir") ?? join(cliDir, "dist");
const metafile = arg("metafile");

/** Resolves commander's `node:child_process` to a module that requires it on the first call of `spawn`. */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[/\\]commander[/\\]/.test(args.importer) ? { path: "child_process", namespace: "lazy-child-process" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents: "let cp;\nmodule.exports = { spawn: (...args) => (cp ??= require('node:child_process')).spawn(...args) };\n",
      loader: "js",
    }));
  },
};

rmSync(join(outdir, "chunks"), { recursive: true, force: true });
const result = await build({
  entryPoints: { bin: join(cliDir, "src", "bin.ts"), "index.bundle": join(cliDir, "src", "index.ts") },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["@aiconfig-ts/*"],
  outdir,
  absWorkingDir: cliDir,
  chunkNames: "chunks/[name]-[hash]",
  // Commander is CommonJS: its `require`s of Node built-ins need a real `require` in ES module output.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
  metafile: true,
  logLevel: "warning",
});
if (metafile) writeFileSync(metafile, JSON.stringify(result.metafile));
writeThirdPartyNotices(result.metafile, join(cliDir, "THIRD-PARTY-NOTICES.md"), "@aiconfig-ts/cli", cliDir);
