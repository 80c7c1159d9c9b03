import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chooseProvidersModule, isTrustedFolder, listTrustedFolders, trustFolder, untrustFolder } from "./index.js";

let saved: string | undefined;
before(() => {
  saved = process.env.AICONFIG_TRUST_FILE;
  process.env.AICONFIG_TRUST_FILE = join(mkdtempSync(join(tmpdir(), "aiconfig-trust-")), "trusted.json");
});
after(() => {
  if (saved === undefined) delete process.env.AICONFIG_TRUST_FILE;
  else process.env.AICONFIG_TRUST_FILE = saved;
});

function folderWithModule() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "aiconfig-folder-")));
  writeFileSync(join(dir, "aiconfig.providers.mjs"), "export function register() {}");
  return { dir, file: join(dir, "a.aiconfig.json"), module: join(dir, "aiconfig.providers.mjs") };
}

test("a folder's providers module is chosen only when running in a trusted folder; read-only callers never get it", () => {
  const { dir, file, module } = folderWithModule();
  const untrusted = chooseProvidersModule(file, { runsCode: true });
  assert.equal(untrusted.module, undefined);
  assert.match(untrusted.notice!, /was not loaded: .*aiconfig trust /);
  trustFolder(dir);
  assert.deepEqual(chooseProvidersModule(file, { runsCode: true }), { module });
  const readOnly = chooseProvidersModule(file, { runsCode: false });
  assert.equal(readOnly.module, undefined);
  assert.match(readOnly.notice!, /never runs code/);
  assert.deepEqual(chooseProvidersModule(file, { runsCode: false, named: module }), { module }, "a module the user names is used");
  assert.equal(untrustFolder(dir), true);
  assert.equal(chooseProvidersModule(file, { runsCode: true }).module, undefined);
});

test("trust is by real path: a link to a trusted folder is the same folder; a folder inside it is not trusted", () => {
  const { dir } = folderWithModule();
  trustFolder(dir);
  const link = join(mkdtempSync(join(tmpdir(), "aiconfig-link-")), "to-folder");
  symlinkSync(dir, link);
  assert.equal(isTrustedFolder(link), true);
  mkdirSync(join(dir, "sub"));
  assert.equal(isTrustedFolder(join(dir, "sub")), false);
  assert.ok(listTrustedFolders().includes(dir));
});

test("a broken trust file is named in the error, not ignored", () => {
  writeFileSync(process.env.AICONFIG_TRUST_FILE!, "{not json");
  assert.throws(() => listTrustedFolders(), /trusted\.json is not a list of trusted folders/);
  writeFileSync(process.env.AICONFIG_TRUST_FILE!, '{"folders": []}');
});
