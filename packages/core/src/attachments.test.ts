import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import { AIConfigRuntime, AttachmentError, AttachmentPathError, type Provider, type RuntimeOptions } from "./index.js";

/** A constructed provider whose request is the text of each attachment's bytes (what would be sent). */
const readsAttachments: Provider<string[]> = {
  id: "reader",
  servesModel: (m) => m === "reader",
  resolve: (ctx) => Promise.all(ctx.input.attachments.map(async (a) => Buffer.from(await a.bytes()).toString("utf8"))),
  run: async () => [],
};

/** A folder holding an aiconfig file, a secret beside it (.env), and a secret outside it. */
function setUp() {
  const root = mkdtempSync(join(tmpdir(), "aiconfig-attach-"));
  const dir = join(root, "project");
  const outside = join(root, "outside");
  mkdirSync(dir);
  mkdirSync(outside);
  writeFileSync(join(dir, "note.txt"), "inside");
  writeFileSync(join(dir, ".env"), "OPENAI_API_KEY=sk-dotenv");
  writeFileSync(join(outside, "secret.txt"), "outside secret");
  symlinkSync(join(outside, "secret.txt"), join(dir, "link.txt"));
  symlinkSync(outside, join(dir, "linked-folder"));
  return { dir, outside };
}

async function resolveWith(dir: string, path: string, options: RuntimeOptions = {}): Promise<string[]> {
  const file = join(dir, "a.aiconfig.json");
  writeFileSync(
    file,
    JSON.stringify({
      name: "a",
      schema_version: "latest",
      metadata: {},
      prompts: [
        { name: "plain", input: "hi", metadata: { model: "reader" } },
        {
          name: "describe",
          input: { data: "describe", attachments: [{ data: { kind: "file_uri", value: path }, mime_type: "text/plain" }] },
          metadata: { model: "reader" },
        },
      ],
    }),
  );
  const runtime = AIConfigRuntime.load(file, options);
  runtime.registry.register(readsAttachments, ["reader"]);
  return (await runtime.resolve("describe")) as unknown as string[];
}

describe("attachments are read only inside the aiconfig file's folder", () => {
  test("a relative path inside the folder is read", async () => {
    const { dir } = setUp();
    assert.deepEqual(await resolveWith(dir, "note.txt"), ["inside"]);
  });

  const attacks: Array<[string, (s: { dir: string; outside: string }) => string, RegExp]> = [
    ["a path going up with ..", () => "../outside/secret.txt", /goes up out of the folder/],
    ["an absolute path", ({ outside }) => join(outside, "secret.txt"), /absolute path/],
    ["a file: URL", ({ outside }) => pathToFileURL(join(outside, "secret.txt")).href, /absolute path/],
    ["a file: URL of another host", () => "file://evil.example/share/secret.txt", /file: URL that names no file on this machine/],
    ["a file: URL with an encoded /", () => "file:///outside%2fsecret.txt", /file: URL that names no file on this machine/],
    ["the .env dot-file beside it", () => ".env", /dot-file/],
    ["a symbolic link to a file outside", () => "link.txt", /symbolic link/],
    ["a file through a linked folder", () => "linked-folder/secret.txt", /symbolic link/],
  ];
  for (const [name, path, reason] of attacks) {
    test(`refused: ${name}, with a located error naming the prompt and the path`, async () => {
      const s = setUp();
      const p = path(s);
      const error = await resolveWith(s.dir, p).then(
        () => assert.fail("the attachment should be refused"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AttachmentPathError, String(error));
      assert.match(error.message, reason);
      assert.ok(error.message.includes(`prompt "describe"`), error.message);
      assert.ok(error.message.includes(JSON.stringify(p)), error.message);
      assert.match(error.message, /a\.aiconfig\.json \(at \/prompts\/1\/input\/attachments\/0\)/);
      assert.match(error.message, /--allow-path DIR/);
    });
  }

  test("a data: URL of broken %-escapes fails as an AttachmentError naming it, not Node's bare URIError", async () => {
    const { dir } = setUp();
    assert.deepEqual(await resolveWith(dir, "data:text/plain,caf%C3%A9"), ["café"]);
    await assert.rejects(resolveWith(dir, "data:text/plain,%E0%A4%A"), (error: Error) => {
      assert.ok(AttachmentError.isInstance(error), `${error.name}: ${error.message}`);
      assert.match(error.message, /data: URL "data:text\/plain,%E0%A4%A": it has a broken %-escape/);
      return true;
    });
  });

  test("a FIFO shipped in the folder fails at once instead of waiting for a writer; so does a file larger than 256 MiB (sparse)", async () => {
    const { dir } = setUp();
    execFileSync("mkfifo", [join(dir, "pipe.txt")]);
    await assert.rejects(resolveWith(dir, "pipe.txt"), (error: Error) => {
      assert.ok(AttachmentError.isInstance(error), `${error.name}: ${error.message}`);
      assert.match(error.message, /pipe\.txt: it is not a regular file \(a FIFO, device or folder\)/);
      return true;
    });
    const big = join(dir, "big.txt");
    closeSync(openSync(big, "w"));
    truncateSync(big, 257 * 1024 * 1024); // a hole: no disk used
    await assert.rejects(resolveWith(dir, "big.txt"), /big\.txt: it is larger than 256 MiB/);
    // .env as a FIFO: loading the file beside it does not wait on it (its variables are just not there)
    const other = mkdtempSync(join(tmpdir(), "aiconfig-attach-"));
    execFileSync("mkfifo", [join(other, ".env")]);
    writeFileSync(join(other, "note.txt"), "inside");
    assert.deepEqual(await resolveWith(other, "note.txt"), ["inside"]);
  });

  test("allowPaths lets a folder the user names be read (absolute or ..), dot-files still refused", async () => {
    const { dir, outside } = setUp();
    assert.deepEqual(await resolveWith(dir, "../outside/secret.txt", { allowPaths: [outside] }), ["outside secret"]);
    assert.deepEqual(await resolveWith(dir, join(outside, "secret.txt"), { allowPaths: [outside] }), ["outside secret"]);
    assert.deepEqual(await resolveWith(dir, "link.txt", { allowPaths: [outside] }), ["outside secret"]);
    await assert.rejects(resolveWith(dir, ".env", { allowPaths: [dir] }), AttachmentPathError);
  });
});
