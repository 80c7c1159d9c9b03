// Install size: the workspace packages packed with `npm pack` (what npm
// publishes), installed from those tarballs with npm into an empty folder, as a
// user installs them (dependencies from the npm registry, optional peers left
// out). Size is the disk usage of the folder's node_modules as `du` counts it
// (allocated blocks) and the sum of file sizes; packages are the folders with
// a package.json under node_modules (nested ones too).
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(cmd, args, cwd, timeout = 300_000) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(" ")} failed: ${(r.stderr || String(r.error)).trim().split("\n").slice(-4).join(" | ")}`);
  return r.stdout;
}

/** Sum of file sizes and of allocated blocks (bytes), and the packages, under a node_modules folder. */
function measure(dir) {
  let apparent = 0;
  let disk = 0;
  const packages = [];
  const seen = new Set();
  const walk = (d, depthInNodeModules) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = lstatSync(path);
      if (seen.has(st.ino)) continue;
      seen.add(st.ino);
      disk += st.blocks * 512;
      if (st.isDirectory()) walk(path, depthInNodeModules);
      else apparent += st.size;
      if (name === "package.json" && /node_modules[/\\](@[^/\\]+[/\\])?[^/\\]+$/.test(d))
        packages.push(d.slice(d.lastIndexOf("node_modules") + 13));
    }
  };
  walk(dir, 0);
  return { apparentBytes: apparent, diskBytes: disk, packages: packages.length, packageNames: [...new Set(packages)].sort() };
}

/**
 * Packs core, the CLI and openai, and installs (1) the CLI alone (with core, its one workspace dependency,
 * which is not on the registry) and (2) core + CLI + openai, each into an empty folder outside the repository.
 * @returns per install: sizes, package count, the largest packages, and whether `aiconfig --help` runs there
 */
export function installSize(root) {
  // Outside the repository, so that nothing missing from an install is found in the repository's node_modules.
  const base = join(tmpdir(), "aiconfig-ts-bench-install");
  rmSync(base, { recursive: true, force: true });
  const packs = join(base, "tarballs");
  mkdirSync(packs, { recursive: true });
  const packed = JSON.parse(
    run(npm, ["pack", "--json", "--pack-destination", packs, "-w", "packages/core", "-w", "packages/cli", "-w", "packages/openai"], root),
  );
  const tarball = (name) => join(packs, packed.find((p) => p.name === name).filename);
  const scenarios = {
    cli: ["@aiconfig-ts/cli", "@aiconfig-ts/core"],
    cliOpenai: ["@aiconfig-ts/cli", "@aiconfig-ts/core", "@aiconfig-ts/openai"],
  };
  const out = {
    tarballs: Object.fromEntries(packed.map((p) => [p.name, { bytes: p.size, unpackedBytes: p.unpackedSize, files: p.entryCount }])),
  };
  for (const [name, pkgs] of Object.entries(scenarios)) {
    const dir = join(base, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: `bench-install-${name.toLowerCase()}`, private: true })}\n`);
    const start = Date.now();
    run(npm, ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev", "--loglevel=error", ...pkgs.map(tarball)], dir);
    const seconds = (Date.now() - start) / 1000;
    const nm = join(dir, "node_modules");
    const size = measure(nm);
    const largest = size.packageNames
      .map((p) => ({ name: p, ...measure(join(nm, p)) }))
      .filter((p) => !p.name.includes("/node_modules/"))
      .sort((a, b) => b.diskBytes - a.diskBytes)
      .slice(0, 4)
      .map((p) => ({ name: p.name, diskBytes: p.diskBytes }));
    const bin = join(nm, ".bin", "aiconfig");
    const help = existsSync(bin) ? spawnSync(bin, ["--help"], { cwd: dir, encoding: "utf8" }) : undefined;
    out[name] = {
      packages: size.packages,
      apparentBytes: size.apparentBytes,
      diskBytes: size.diskBytes,
      largest,
      installSeconds: seconds,
      binRuns: help?.status === 0 && /Usage: aiconfig/.test(help.stdout),
      editorInstalled: existsSync(join(nm, "@aiconfig-ts", "editor")),
      tsxInstalled: existsSync(join(nm, "tsx")),
    };
  }
  return out;
}
