import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { modelsDir as sharedModelsDir } from "@aiconfig-ts/testing";
import { resolveContext, runContext } from "./contexts.test.helper.js";
import { DEFAULT_MODEL, defaultModelUrl } from "./default-model.js";
import { downloadFile, ensureDefaultModel } from "./download-model.js";
import { createProgress, type ProgressStream } from "./download-progress.js";
import { ModelDownloadError } from "./errors.js";
import { disposeLlama } from "./llama-engine.js";
import { llamaProvider } from "./provider.js";

const realModel = readFileSync(join(sharedModelsDir, DEFAULT_MODEL.file));

/** A local server: `/good/...` serves the real file, `/bad/...` a corrupted copy, anything else 404. */
let server: Server;
let base: string;
const requested: string[] = [];
before(async () => {
  const corrupted = Buffer.from(realModel);
  corrupted[corrupted.length - 1] ^= 0xff;
  server = createServer((req, res) => {
    requested.push(req.url ?? "");
    const body =
      req.url === `/good/${DEFAULT_MODEL.urlPath}` ? realModel : req.url === `/bad/${DEFAULT_MODEL.urlPath}` ? corrupted : undefined;
    if (req.url === `/stall/${DEFAULT_MODEL.urlPath}`) {
      // Headers and a first piece, then nothing: a stalled mirror.
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(realModel.length) });
      res.write(realModel.subarray(0, 1024));
      return;
    }
    if (!body) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(body.length) });
    // send in pieces, so that progress sees several chunks
    let at = 0;
    const step = 64 * 1024;
    const next = () => {
      if (at >= body.length) return void res.end();
      const piece = body.subarray(at, at + step);
      at += step;
      res.write(piece, next);
    };
    next();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((done) => server.close(done));
  await disposeLlama();
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "llama-models-"));
  requested.length = 0;
});

function sink(isTTY = false): ProgressStream & { text: string } {
  const out = {
    text: "",
    isTTY,
    columns: 100,
    write(t: string) {
      out.text += t;
      return true;
    },
  };
  return out;
}

describe("default model download", () => {
  test("the pinned URL is the Hugging Face revision; a base replaces its folder", () => {
    assert.equal(
      defaultModelUrl(),
      "https://huggingface.co/ggml-org/models-moved/resolve/499bc8821c6b12b4e53c5bffcb21ec206f212d81/tinyllamas/stories260K.gguf",
    );
    assert.equal(defaultModelUrl("http://127.0.0.1:9/mirror/"), "http://127.0.0.1:9/mirror/tinyllamas/stories260K.gguf");
  });

  test("downloads the file from AICONFIG_MODEL_URL_BASE, checks it, writes it atomically, reports every 10%", async () => {
    const progress = sink();
    const path = await ensureDefaultModel({ env: { AICONFIG_MODELS_DIR: dir, AICONFIG_MODEL_URL_BASE: `${base}/good` }, progress });
    assert.equal(path, join(dir, "stories260K.gguf"));
    assert.equal(createHash("sha256").update(readFileSync(path)).digest("hex"), DEFAULT_MODEL.sha256);
    assert.deepEqual(readdirSync(dir), ["stories260K.gguf"], "no temporary file is left");
    assert.deepEqual(requested, ["/good/tinyllamas/stories260K.gguf"]);
    const lines = progress.text.trimEnd().split("\n");
    assert.equal(lines[0], `downloading stories260K.gguf (1.2 MB) from ${base}/good/tinyllamas/stories260K.gguf to ${path}`);
    assert.deepEqual(
      lines.slice(1).map((l) => l.replace(/ \(.*\)$/, "")),
      ["10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%", "100%"].map((p) => `stories260K.gguf: ${p}`),
    );
    assert.equal(lines.at(-1), "stories260K.gguf: 100% (1.2 MB of 1.2 MB)");
    // a second call finds the file and downloads nothing
    assert.equal(await ensureDefaultModel({ dir, urlBase: `${base}/good`, progress: sink() }), path);
    assert.equal(requested.length, 1);
    rmSync(dir, { recursive: true, force: true });
  });

  test("draws a bar redrawn in place on a terminal", async () => {
    const progress = sink(true);
    await ensureDefaultModel({ dir, urlBase: `${base}/good`, progress });
    assert.match(progress.text, /\rstories260K\.gguf \[#+\] 100% 1\.2 MB \/ 1\.2 MB\u001b\[K\n$/);
    assert.ok(progress.text.split("\r").length > 3, "the bar is redrawn as bytes arrive");
    rmSync(dir, { recursive: true, force: true });
  });

  test("a checksum mismatch deletes the download and says so", async () => {
    await assert.rejects(ensureDefaultModel({ dir, urlBase: `${base}/bad`, progress: sink() }), (error: unknown) => {
      assert.ok(error instanceof ModelDownloadError);
      assert.match(
        error.message,
        /^downloaded stories260K\.gguf from http:\/\/127\.0\.0\.1:\d+\/bad\/tinyllamas\/stories260K\.gguf has sha256 [0-9a-f]{64}, expected 270cba1b[0-9a-f]+; the file was deleted; download it yourself to /,
      );
      assert.ok(!error.message.includes("\n"));
      return true;
    });
    assert.deepEqual(readdirSync(dir), [], "neither the file nor a temporary file is left");
    rmSync(dir, { recursive: true, force: true });
  });

  test("an HTTP 404 is a clear error and leaves nothing behind", async () => {
    await assert.rejects(ensureDefaultModel({ dir, urlBase: `${base}/missing`, progress: sink() }), {
      name: "ModelDownloadError",
      message: new RegExp(`^cannot download stories260K\\.gguf from ${base}/missing/tinyllamas/stories260K\\.gguf: HTTP 404 Not Found; `),
    });
    assert.deepEqual(readdirSync(dir), []);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a server that cannot be reached is a clear error", async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, "127.0.0.1", done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    await assert.rejects(ensureDefaultModel({ dir, urlBase: `http://127.0.0.1:${port}`, progress: sink() }), {
      name: "ModelDownloadError",
      message: /^cannot download stories260K\.gguf from http:\/\/127\.0\.0\.1:\d+\/tinyllamas\/stories260K\.gguf: fetch failed; /,
    });
    rmSync(dir, { recursive: true, force: true });
  });

  test("a run of the default model downloads it into an empty models folder, then generates", async () => {
    const env = { AICONFIG_MODELS_DIR: dir, AICONFIG_MODEL_URL_BASE: `${base}/good` };
    const request = await llamaProvider.resolve(
      resolveContext({ text: "Once upon a time", settings: { temperature: 0, max_tokens: 10 }, env }),
    );
    assert.equal(request.model_path, join(dir, "stories260K.gguf"));
    assert.equal(request.mode, "completion");
    assert.equal(existsSync(request.model_path), false, "resolve downloads nothing");
    const [output] = await llamaProvider.run(request, runContext({ env }).ctx);
    assert.equal(output?.output_type === "execute_result" && output.data, ", there was a little girl named Lily");
    assert.equal(existsSync(request.model_path), true);
    assert.deepEqual(requested, ["/good/tinyllamas/stories260K.gguf"]);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("progress", () => {
  test("without a known size only the bar's byte count is drawn on a terminal, nothing in logs", () => {
    const tty = sink(true);
    const p = createProgress("x.gguf", 0, tty);
    p.update(1500);
    p.done();
    assert.equal(tty.text, "\rx.gguf 1.5 kB\u001b[K\n");
    const log = sink(false);
    createProgress("x.gguf", 0, log).update(1500);
    assert.equal(log.text, "");
  });
});

test("fault: a download that stalls after its headers fails within the stall timeout, naming the URL, and leaves no partial file", async () => {
  const url = `${base}/stall/${DEFAULT_MODEL.urlPath}`;
  const dest = join(dir, DEFAULT_MODEL.file);
  await assert.rejects(
    downloadFile({ url, dest, bytes: DEFAULT_MODEL.bytes, stallTimeout: 150, progress: sink() }),
    (e: unknown) => e instanceof ModelDownloadError && e.message.includes(`${url} sent nothing for 0.15 s`) && !e.message.includes("\n"),
  );
  assert.deepEqual(readdirSync(dir), []);
});
