// Writes THIRD-PARTY-NOTICES.md for a published bundle: every npm package
// esbuild put into it (from the build's metafile), with its version, licence
// (package.json's `license`) and the licence text its package ships (LICENSE,
// LICENCE, COPYING, ...), so a bundled library's notice travels with it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The folders of the npm packages whose files are inputs of the build (the last `node_modules/<name>` of each path). */
function bundledPackageDirs(metafile, cwd) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const path = input.replace(/^[a-z-]+:/, "");
    const m = /^(.*node_modules[/\\](?:@[^/\\]+[/\\])?[^/\\]+)[/\\]/.exec(path);
    if (m) dirs.add(resolve(cwd, m[1]));
  }
  return [...dirs];
}

/**
 * Writes the notice file.
 * @param metafile esbuild's metafile of the build (`metafile: true`)
 * @param outFile where to write (Markdown)
 * @param product the package whose bundle it describes, named in the heading
 * @param cwd the build's working directory (metafile paths are relative to it)
 * @returns the packages listed, as `name@version`
 */
export function writeThirdPartyNotices(metafile, outFile, product, cwd = process.cwd()) {
  const packages = bundledPackageDirs(metafile, cwd)
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const licenceFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|-|$)/i.test(f));
      const repository = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
      return {
        name: pkg.name,
        version: pkg.version,
        license: typeof pkg.license === "string" ? pkg.license : (pkg.license?.type ?? "see the package"),
        source: pkg.homepage ?? repository ?? `https://www.npmjs.com/package/${pkg.name}`,
        text: licenceFile && existsSync(join(dir, licenceFile)) ? readFileSync(join(dir, licenceFile), "utf8").trim() : undefined,
      };
    })
    .filter((p, i, all) => all.findIndex((q) => q.name === p.name && q.version === p.version) === i)
    .sort((a, b) => a.name.localeCompare(b.name));
  const lines = [
    "# Third-party notices",
    "",
    `<!-- Written by the build (scripts/third-party-notices.mjs) from the bundle's inputs; do not edit by hand. -->`,
    "",
    `${product}'s published bundle includes the following npm packages (unchanged code, bundled by esbuild). Each keeps its own licence, reproduced below.`,
    "",
    "| package | version | licence | source |",
    "|---|---|---|---|",
    ...packages.map((p) => `| ${p.name} | ${p.version} | ${p.license} | ${p.source} |`),
    "",
  ];
  for (const p of packages) {
    lines.push(
      `## ${p.name} ${p.version} (${p.license})`,
      "",
      "```",
      p.text ?? `Licence: ${p.license} (the package ships no licence file).`,
      "```",
      "",
    );
  }
  writeFileSync(outFile, lines.join("\n"));
  return packages.map((p) => `${p.name}@${p.version}`);
}
