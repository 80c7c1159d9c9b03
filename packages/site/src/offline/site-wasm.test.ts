/**
 * `siteWasmBytes` (the page's reading of the site's `*.wasm.gz`), run in Node 20,
 * which has the browser's `fetch`, `Blob` and `DecompressionStream`, against
 * real HTTP servers on 127.0.0.1: a static host that sends the file as it is, one
 * that sends it with `Content-Encoding: gzip` (the client then decompresses it
 * itself), and a file cut short.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { wllamaWasmPath } from "@aiconfig-ts/wllama/wasm-file";
import { serveFolder } from "../site.test.helper.js";
import { SiteWasmError, siteWasmBytes } from "./site-wasm.js";

const dir = mkdtempSync(join(tmpdir(), "site-wasm-test-"));
const cleanups: (() => unknown)[] = [() => rmSync(dir, { recursive: true, force: true })];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const wasm = readFileSync(wllamaWasmPath());
const gzipped = gzipSync(wasm);
writeFileSync(join(dir, "wllama.wasm.gz"), gzipped);
writeFileSync(join(dir, "cut.wasm.gz"), gzipped.subarray(0, gzipped.length >> 1));

describe("siteWasmBytes: the site's gzipped WebAssembly read back in the page", () => {
  test("a static host sending the .gz file as it is: the bytes are the package's wasm", async () => {
    const server = await serveFolder(dir);
    cleanups.push(() => server.close());
    const bytes = await siteWasmBytes(`${server.origin}/wllama.wasm.gz`);
    assert.ok(Buffer.from(bytes).equals(wasm));
  });

  test("a host sending it with Content-Encoding: gzip (the client decompressed it already): the same bytes, not decompressed twice", async () => {
    const server = createServer((_, res) => {
      res.writeHead(200, { "content-type": "application/wasm", "content-encoding": "gzip", "content-length": gzipped.length });
      res.end(gzipped);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise((r) => server.close(r)));
    const bytes = await siteWasmBytes(`http://127.0.0.1:${(server.address() as AddressInfo).port}/wllama.wasm.gz`);
    assert.ok(Buffer.from(bytes).equals(wasm));
  });

  test("fault: a file cut short is one line naming it and the fix; a missing file names its HTTP status", async () => {
    const server = await serveFolder(dir);
    cleanups.push(() => server.close());
    await assert.rejects(siteWasmBytes(`${server.origin}/cut.wasm.gz`), (error: unknown) => {
      assert.ok(error instanceof SiteWasmError);
      assert.match(error.message, /\/cut\.wasm\.gz is not a whole gzip file \(.*\); export the site again$/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    await assert.rejects(siteWasmBytes(`${server.origin}/missing.wasm.gz`), /\/missing\.wasm\.gz: HTTP 404; export the site again/);
  });
});
