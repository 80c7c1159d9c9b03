// Install footprint from package-lock.json: the transitive production
// dependency closure of some packages (as npm lays it out in this tree) and
// its size on disk.
//
// Resolution follows Node's: a dependency `d` of the package at lock path P
// is the first of P/node_modules/d, then each parent folder's node_modules/d,
// up to node_modules/d at the root; workspace links (`"link": true`) are
// followed to the workspace folder. `dependencies` are followed, and
// `optionalDependencies` when they are installed here (this platform's), and
// non-optional `peerDependencies` unless a package of that name is already in
// the closure; devDependencies and optional peers are not.
//
// Size: disk usage (allocated blocks, as `du` counts them; each inode once) of
// each package's folder without its nested node_modules (those are packages of
// their own, counted once if in the closure). A workspace package counts as
// published: package.json, README/LICENSE and its `files` (dist), without tests.
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

function loadLock(root) {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  return lock.packages;
}

/** The lock path a dependency `name` of the package at `from` resolves to, or undefined. */
function resolveDep(packages, from, name) {
  let dir = from;
  for (;;) {
    const candidate = dir === "" ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === "") return undefined;
    // Go up: strip a trailing "node_modules/<name>" (scoped names have two parts) or a plain folder.
    const parts = dir.split("/");
    const nm = parts.lastIndexOf("node_modules");
    dir = nm >= 0 ? parts.slice(0, nm).join("/") : dirname(dir) === "." ? "" : dirname(dir);
  }
}

/**
 * The closure of the packages at lock paths `roots` (e.g. "packages/core").
 * @returns a Map of lock path -> { name, version, workspace }
 */
export function closure(root, roots) {
  const packages = loadLock(root);
  const out = new Map();
  const names = new Set();
  const queue = [...roots];
  const peers = [];
  const visit = (start) => {
    let path = start;
    let entry = packages[path];
    if (!entry) throw new Error(`package-lock.json has no entry ${path}`);
    if (entry.link) {
      path = entry.resolved;
      entry = packages[path];
    }
    if (out.has(path)) return;
    const workspace = !path.includes("node_modules/");
    const name = entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    out.set(path, { name, version: entry.version, workspace });
    names.add(name);
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).flatMap(([k, v]) => (v.optional ? [k] : [])));
    for (const [dep, required] of [
      ...Object.keys(entry.dependencies ?? {}).map((d) => [d, true]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((d) => [d, false]),
    ]) {
      const at = resolveDep(packages, path, dep);
      if (at && (packages[at].link || existsSync(join(root, at)))) queue.push(at);
      else if (required) throw new Error(`${path} needs ${dep}, which package-lock.json does not resolve`);
      // else: an optional dependency for another platform
    }
    for (const dep of Object.keys(entry.peerDependencies ?? {})) if (!optionalPeers.has(dep)) peers.push([path, dep]);
  };
  // Peers last: a fresh install satisfies a peer with a copy already in the closure when there is one,
  // where this shared tree may resolve it to another version (e.g. the workspace's own typescript).
  while (queue.length || peers.length) {
    while (queue.length) visit(queue.shift());
    const [from, dep] = peers.shift() ?? [];
    if (dep === undefined || names.has(dep)) continue;
    const at = resolveDep(packages, from, dep);
    if (at && existsSync(join(root, at))) queue.push(at);
  }
  return out;
}

/** Disk usage in bytes of a folder or file (allocated blocks), skipping `skip(name, depth)` entries; each inode once. */
function diskUsage(path, seen, skip = () => false, depth = 0) {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return { disk: 0, apparent: 0, files: 0 };
  }
  const key = `${st.dev}:${st.ino}`;
  if (seen.has(key)) return { disk: 0, apparent: 0, files: 0 };
  seen.add(key);
  const total = { disk: st.blocks * 512, apparent: st.isDirectory() ? 0 : st.size, files: st.isFile() ? 1 : 0 };
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) {
      if (skip(name, depth)) continue;
      const sub = diskUsage(join(path, name), seen, skip, depth + 1);
      total.disk += sub.disk;
      total.apparent += sub.apparent;
      total.files += sub.files;
    }
  }
  return total;
}

/** Size of one package of the closure. */
function packageSize(root, path, info, seen) {
  const dir = join(root, path);
  if (!info.workspace) return diskUsage(dir, seen, (name, depth) => depth === 0 && name === "node_modules");
  // A workspace package as npm would publish it.
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const total = { disk: 0, apparent: 0, files: 0 };
  const top = new Set(["package.json", ...readdirSync(dir).filter((n) => /^(readme|license|licence)/i.test(n))]);
  for (const f of manifest.files ?? []) if (!f.startsWith("!")) top.add(f.replace(/\/.*$/, ""));
  for (const name of top) {
    const sub = diskUsage(join(dir, name), seen, (n) => /\.test\.|\.tsbuildinfo$/.test(n) || n === "node_modules");
    total.disk += sub.disk;
    total.apparent += sub.apparent;
    total.files += sub.files;
  }
  return total;
}

/**
 * Footprint of the closure of `roots`: number of packages, disk usage and
 * apparent size in bytes, the largest packages, and the workspace packages
 * that have no build (their own code is then not counted).
 */
export function footprint(root, roots) {
  const set = closure(root, roots);
  const seen = new Set();
  let disk = 0;
  let apparent = 0;
  const sizes = [];
  const unbuilt = [];
  for (const [path, info] of set) {
    const size = packageSize(root, path, info, seen);
    disk += size.disk;
    apparent += size.apparent;
    sizes.push({ name: `${info.name}@${info.version}`, disk: size.disk });
    if (info.workspace && !existsSync(join(root, path, "dist"))) unbuilt.push(info.name);
  }
  sizes.sort((a, b) => b.disk - a.disk);
  // Disk usage by npm scope (e.g. the prebuilt binaries under @node-llama-cpp/), largest first.
  const scopes = new Map();
  for (const { name, disk: d } of sizes) {
    if (!name.startsWith("@")) continue;
    const scope = name.slice(0, name.indexOf("/"));
    const s = scopes.get(scope) ?? { scope, packages: 0, disk: 0 };
    s.packages++;
    s.disk += d;
    scopes.set(scope, s);
  }
  const byScope = [...scopes.values()].sort((a, b) => b.disk - a.disk).slice(0, 5);
  return { roots, packages: set.size, diskBytes: disk, apparentBytes: apparent, largest: sizes.slice(0, 8), byScope, unbuilt };
}
