#!/usr/bin/env node
// Bundles the `aiconfig` command and the package's library entry with esbuild,
// in two builds:
//   1. the start-up path (src/bin.ts, cli.ts, the command table, commander) as
//      one CommonJS file, dist/bin.cjs, which bin/aiconfig.js (CommonJS too,
//      bin/package.json says so) requires: `aiconfig --help` and a mistyped
//      flag load one file and never start Node's ES module loader;
//   2. everything the commands import when they run (each command module,
//      report-error, the batch code, csv-parse, csv-stringify, cli-progress) as
//      ES modules: dist/esm/<module>.js per module the start-up path imports
//      with `await import()` (left as a real dynamic import in bin.cjs), chunks
//      for what they share, and the library entry src/index.ts ->
//      dist/index.bundle.js.
// Commander and the CLI's third-party libraries are inside the bundles, so the
// published package depends on core alone; core, the editor and the providers
// stay imports that run only when a command needs them. Commander's
// `node:child_process` (used only for executable subcommands, which the CLI has
// none of) is loaded on first use instead of at start-up. The bundled
// libraries' licences are written to THIRD-PARTY-NOTICES.md beside package.json.
//
// Usage: node scripts/build-bin.mjs [--outdir=DIR] [--metafile=FILE]   (from packages/cli)
//   --metafile  writes {"startUp": <build 1's metafile>, "commands": <build 2's>}
import { rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { writeThirdPartyNotices } from "../../../scripts/third-party-notices.mjs";

const cliDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(cliDir, "src");
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

/** The modules of src/ that the start-up path imports with `await import()`: built by build 2 as dist/esm/<name>.js. */
const commandModules = new Map();

/** In build 1, `await import("./commands/run.js")` stays a dynamic import, of dist/esm/commands/run.js. */
const commandsAsEsm = {
  name: "commands-as-esm",
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.kind !== "dynamic-import" || args.pluginData?.inner) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { inner: true } });
      if (resolved.errors.length || !resolved.path.startsWith(srcDir)) return undefined;
      const name = relative(srcDir, resolved.path).replace(/\.ts$/, "");
      commandModules.set(`esm/${name}`, resolved.path);
      return { path: `./esm/${name}.js`, external: true };
    });
  },
};

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  external: ["@aiconfig-ts/*"],
  outdir,
  absWorkingDir: cliDir,
  metafile: true,
  logLevel: "warning",
};

rmSync(join(outdir, "chunks"), { recursive: true, force: true });
rmSync(join(outdir, "esm"), { recursive: true, force: true });
const startUp = await build({
  ...common,
  entryPoints: { bin: join(srcDir, "bin.ts") },
  format: "cjs",
  outExtension: { ".js": ".cjs" },
  plugins: [lazyChildProcess, commandsAsEsm],
});
const commands = await build({
  ...common,
  entryPoints: { "index.bundle": join(srcDir, "index.ts"), ...Object.fromEntries(commandModules) },
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  // Commander and cli-progress are CommonJS: their `require`s of Node built-ins need a real `require` in ES module output.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
});
if (metafile) writeFileSync(metafile, JSON.stringify({ startUp: startUp.metafile, commands: commands.metafile }));
writeThirdPartyNotices(
  { inputs: { ...startUp.metafile.inputs, ...commands.metafile.inputs } },
  join(cliDir, "THIRD-PARTY-NOTICES.md"),
  "@aiconfig-ts/cli",
  cliDir,
);
