#!/usr/bin/env node
// Bundles core for publishing (dist/index.js, tsc's output -> dist/core.bundle.js
// and dist/chunks/*): core's code and its third-party libraries (handlebars, yaml,
// js-yaml, jsonc-parser, ajv, dotenv, lru-cache, env-paths; p-queue and limiter
// in a chunk of their own, imported when a batch runs) in one file, so the
// published package depends on nothing and installs only what it uses.
// The libraries keep loading lazily: core loads them with a `createRequire`
// `require` inside the functions that need them; in the bundle that `require`
// is `bundledRequire`, whose `require("yaml")` esbuild resolves at build time
// to the bundled copy, initialised on the first call. A bare module that stays
// outside the bundle other than the optional peer `tsx` fails the build.
// Their licences are written to THIRD-PARTY-NOTICES.md beside package.json.
// The browser entry is bundled on its own into dist/core.browser.js (libraries included).
//
// Usage: node scripts/build-bundle.mjs   (from packages/core, after `tsc -b`)
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { writeThirdPartyNotices } from "../../../scripts/third-party-notices.mjs";

const coreDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(coreDir, "dist");

/** Modules that stay imports: Node's built-ins and optional peers (a `.ts` providers module needs `tsx`). */
const OPTIONAL_PEERS = ["tsx"];
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isBareThirdParty = (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("node:") && !builtins.has(id);

/** The bare modules core's built files load through a `createRequire` `require` (`require("yaml")`). */
function requiredModules() {
  const ids = new Set();
  const walk = (dir) => {
    for (const entry of readdirSyncSafe(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js") && !entry.name.includes(".test.") && !entry.name.endsWith(".bundle.js")) {
        const text = readFileSync(path, "utf8");
        if (!text.includes("createRequire(import.meta.url)")) continue;
        for (const m of text.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)) if (isBareThirdParty(m[1])) ids.add(m[1]);
      }
    }
  };
  walk(dist);
  return [...ids].sort();
}

function readdirSyncSafe(dir) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

const required = requiredModules();

/** The file in dist/vendor/ that holds a required module, bundled as CommonJS (`ajv/dist/x` -> `vendor/ajv__dist__x.cjs`). */
const vendorFile = (id) => `vendor/${id.replaceAll("/", "__")}.cjs`;

/**
 * In core's files, `createRequire(import.meta.url)` becomes `bundledRequire`: a
 * `require` that answers the modules above from their bundled copies in
 * dist/vendor/ (each file read on its first `require`, so importing core stays
 * as cheap as before) and anything else from Node.
 */
const bundledRequirePlugin = {
  name: "bundled-require",
  setup(b) {
    b.onResolve({ filter: /^aiconfig-bundled-require$/ }, () => ({ path: "bundled-require", namespace: "bundled-require" }));
    b.onLoad({ filter: /.*/, namespace: "bundled-require" }, () => ({
      contents: [
        'import { createRequire } from "node:module";',
        "const nodeRequire = createRequire(import.meta.url);",
        `const vendored = new Map(${JSON.stringify(required.map((id) => [id, `./${vendorFile(id)}`]))});`,
        "export function bundledRequire(id) {",
        "  return nodeRequire(vendored.get(id) ?? id);",
        "}",
      ].join("\n"),
      loader: "js",
      resolveDir: coreDir,
    }));
    b.onLoad({ filter: /[/\\]packages[/\\]core[/\\]dist[/\\].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes("createRequire(import.meta.url)")) return undefined;
      return {
        contents: `import { bundledRequire as __bundledRequire } from "aiconfig-bundled-require";\n${text.replaceAll("createRequire(import.meta.url)", "__bundledRequire")}`,
        loader: "js",
      };
    });
  },
};

/** An entry point per required module: `module.exports = require(id)`, so the vendored file is what `require(id)` gives. */
const vendorEntriesPlugin = {
  name: "vendor-entries",
  setup(b) {
    b.onResolve({ filter: /^vendor-entry:/ }, (args) => ({ path: args.path.slice("vendor-entry:".length), namespace: "vendor-entry" }));
    b.onLoad({ filter: /.*/, namespace: "vendor-entry" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});\n`,
      loader: "js",
      resolveDir: coreDir,
    }));
  },
};

/** Shared by both builds. */
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  // jsonc-parser's `main` is a UMD build whose relative `require`s esbuild cannot follow; its ES module build is the same code.
  alias: { "jsonc-parser": "jsonc-parser/lib/esm/main.js" },
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  absWorkingDir: coreDir,
};

rmSync(join(dist, "vendor"), { recursive: true, force: true });
const vendor = await build({
  ...common,
  entryPoints: Object.fromEntries(required.map((id) => [vendorFile(id).replace(/\.cjs$/, ""), `vendor-entry:${id}`])),
  format: "cjs",
  outdir: dist,
  outExtension: { ".js": ".cjs" },
  // handlebars loads `source-map` only for its optional source maps (in a try/catch); leave it out.
  plugins: [vendorEntriesPlugin, { name: "omit-source-map", setup: omitModules(["source-map"]) }],
});

rmSync(join(dist, "chunks"), { recursive: true, force: true });
const result = await build({
  entryPoints: { "core.bundle": join(dist, "index.js") },
  ...common,
  splitting: true,
  format: "esm",
  outdir: dist,
  chunkNames: "chunks/[name]-[hash]",
  external: [...OPTIONAL_PEERS, ...OPTIONAL_PEERS.map((p) => `${p}/*`)],
  // Bundled CommonJS libraries `require` Node's built-ins: give them a real `require` in the ES module output.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [bundledRequirePlugin],
});

/** Resolves the named modules to an empty module that throws on load (the library catches it). */
function omitModules(ids) {
  return (b) => {
    b.onResolve({ filter: new RegExp(`^(${ids.join("|")})$`) }, (args) => ({ path: args.path, namespace: "omitted" }));
    b.onLoad({ filter: /.*/, namespace: "omitted" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled with @aiconfig-ts/core`)});`,
      loader: "js",
    }));
  };
}

// The browser entry (dist/browser.js, the `browser` export condition): core's code, the browser platform
// (`#platform` under the `browser` condition) and its libraries in one ES module, no `node:` module reached.
const browserBuild = await build({
  entryPoints: { "core.browser": join(dist, "browser.js") },
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  alias: common.alias,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  absWorkingDir: coreDir,
  outdir: dist,
  plugins: [{ name: "omit-source-map", setup: omitModules(["source-map"]) }],
});

// Nothing third-party may stay outside the bundle but the optional peers.
const leftOut = new Set();
for (const output of [
  ...Object.values(result.metafile.outputs),
  ...Object.values(vendor.metafile.outputs),
  ...Object.values(browserBuild.metafile.outputs),
])
  for (const imp of output.imports)
    if (imp.external && isBareThirdParty(imp.path) && !OPTIONAL_PEERS.some((p) => imp.path === p || imp.path.startsWith(`${p}/`)))
      leftOut.add(imp.path);
if (leftOut.size) {
  console.error(`core's bundle leaves out ${[...leftOut].join(", ")}: add them to the bundle or to the optional peers`);
  process.exit(1);
}

writeThirdPartyNotices(
  { inputs: { ...result.metafile.inputs, ...vendor.metafile.inputs, ...browserBuild.metafile.inputs } },
  join(coreDir, "THIRD-PARTY-NOTICES.md"),
  "@aiconfig-ts/core",
  coreDir,
);
