/**
 * A file must not make this process fetch from this machine or its local
 * network: an `http(s):` attachment URL is fetched only from hosts whose every
 * address is public, unless the user trusts the host (`allowHosts`, or
 * `AICONFIG_ALLOW_ENDPOINTS` of the user's environment). Real HTTP servers on
 * 127.0.0.1 serve a real image (the Hugging Face fixture `cheetah.png`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { fixture } from "@aiconfig-ts/testing";
import { AIConfigRuntime, AttachmentError, type Provider, type RuntimeOptions } from "./index.js";
import { checkedLookup, fetchAttachment, nonPublicRange } from "./platform/fetch-attachment.js";

const IMAGE = readFileSync(fixture("huggingface", "cheetah.png"));

/** A constructed provider whose request is each attachment's bytes (what would be sent inline). */
const readsAttachments: Provider<Uint8Array[]> = {
  id: "reader",
  servesModel: (m) => m === "reader",
  resolve: (ctx) => Promise.all(ctx.input.attachments.map((a) => a.bytes())),
  run: async () => [],
};

interface LocalServer {
  readonly server: Server;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `127.0.0.1:PORT` */
  readonly host: string;
  readonly requests: string[];
  handle: (req: IncomingMessage, res: ServerResponse) => void;
}

async function startServer(): Promise<LocalServer> {
  const local = {
    requests: [] as string[],
    handle: (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "image/png" }).end(IMAGE);
    },
  } as LocalServer;
  const server = createServer((req, res) => {
    local.requests.push(req.url ?? "");
    local.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(local, { server, url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}` });
}

/** Resolves a prompt whose one attachment is `url`, in a file of its own folder (with `dotenv` as its `.env`). */
async function resolveUrl(url: string, options: RuntimeOptions = {}, dotenv?: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-attachment-url-"));
  if (dotenv !== undefined) writeFileSync(join(dir, ".env"), dotenv);
  const file = join(dir, "look.aiconfig.json");
  const attachment = { data: { kind: "file_uri", value: url }, mime_type: "image/png" };
  const prompt = { name: "look", input: { data: "describe", attachments: [attachment] }, metadata: { model: "reader" } };
  writeFileSync(file, JSON.stringify({ name: "t", schema_version: "latest", metadata: {}, prompts: [prompt] }));
  const runtime = AIConfigRuntime.load(file, { env: {}, ...options });
  runtime.registry.register(readsAttachments, ["reader"]);
  const [bytes] = (await runtime.resolve("look")) as unknown as Uint8Array[];
  return bytes!;
}

/** Asserts a refusal: one line naming the URL, why, and the fix. */
function refused(url: string, why: RegExp) {
  return (error: Error) => {
    assert.ok(AttachmentError.isInstance(error), String(error));
    assert.ok(error.message.startsWith(`cannot fetch attachment ${url}: `), error.message);
    assert.match(error.message, why);
    assert.match(error.message, /download the file into the aiconfig file's folder and attach it by path/);
    assert.match(error.message, /--allow-endpoint /);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  };
}

describe("attachment URLs on this machine or a private network are not fetched", () => {
  let a: LocalServer;
  let b: LocalServer;
  before(async () => {
    a = await startServer();
    b = await startServer();
  });
  after(() => {
    a.server.close();
    b.server.close();
  });
  beforeEach(() => {
    for (const s of [a, b]) {
      s.requests.length = 0;
      s.handle = (_req, res) => res.writeHead(200, { "content-type": "image/png" }).end(IMAGE);
    }
  });

  test("attack: an image on 127.0.0.1 is refused by default, in one line naming the URL, why and the fix; the server sees nothing", async () => {
    const url = `${a.url}/cheetah.png`;
    await assert.rejects(
      resolveUrl(url),
      refused(url, /: its host 127\.0\.0\.1 is a loopback address \(this machine\), and a file may not/),
    );
    assert.deepEqual(a.requests, []);
  });

  test("the same image is fetched when the user allows 127.0.0.1 (allowHosts: a host, a host:port or a URL)", async () => {
    const url = `${a.url}/cheetah.png`;
    for (const entry of ["127.0.0.1", a.host, a.url, ` ${a.host.toUpperCase()} `]) {
      assert.deepEqual(Buffer.from(await resolveUrl(url, { allowHosts: [entry] })), IMAGE, entry);
    }
    assert.equal(a.requests.length, 4);
    // another port of the same host is not the host:port allowed
    await assert.rejects(resolveUrl(url, { allowHosts: [b.host] }), refused(url, /loopback/));
  });

  test("AICONFIG_ALLOW_ENDPOINTS of the user's environment allows a host; the same line in a .env beside the file does not", async () => {
    const url = `${a.url}/cheetah.png`;
    const fromUser = await resolveUrl(url, { env: { AICONFIG_ALLOW_ENDPOINTS: `example.org,${a.host}` } });
    assert.deepEqual(Buffer.from(fromUser), IMAGE);
    assert.equal(a.requests.length, 1);
    // no env option: process.env over the .env the file ships
    await assert.rejects(resolveUrl(url, { env: undefined }, `AICONFIG_ALLOW_ENDPOINTS=${a.host}\n`), refused(url, /loopback/));
    assert.equal(a.requests.length, 1);
  });

  test("attack: a host name that resolves to 127.0.0.1 (localhost) is refused, even when 127.0.0.1 is allowed", async () => {
    const url = `http://localhost:${a.server.address() && (a.server.address() as AddressInfo).port}/cheetah.png`;
    await assert.rejects(
      resolveUrl(url, { allowHosts: ["127.0.0.1"] }),
      refused(url, /: its host localhost resolves to (127\.0\.0\.1|::1), a loopback address/),
    );
    assert.deepEqual(a.requests, []);
  });

  test("attack: this machine written as IPv4-mapped IPv6, IPv6 loopback, 0.0.0.0 or an integer is refused before any connection", async () => {
    const port = (a.server.address() as AddressInfo).port;
    for (const [url, why] of [
      [`http://[::ffff:127.0.0.1]:${port}/x`, /its host ::ffff:7f00:1 is a loopback address \(this machine\), mapped into IPv6/],
      [`http://[::1]:${port}/x`, /its host ::1 is a loopback address/],
      [`http://0.0.0.0:${port}/x`, /its host 0\.0\.0\.0 is the unspecified address/],
      [`http://2130706433:${port}/x`, /its host 127\.0\.0\.1 is a loopback address/],
      // (only addresses of this machine here: were the check broken, this test must not send anything elsewhere;
      // 169.254.169.254 and 10.0.0.5 are in the unit tests of nonPublicRange below)
    ] as const) {
      await assert.rejects(resolveUrl(url), (error: Error) => {
        assert.match(error.message, why);
        assert.match(error.message, /attach it by path/);
        return true;
      });
    }
    assert.deepEqual(a.requests, []);
  });

  test("attack: a redirect from an allowed host to a private one is refused, naming where it redirected; the second server sees nothing", async () => {
    a.handle = (_req, res) => res.writeHead(302, { location: `${b.url}/secret` }).end();
    const url = `${a.url}/cheetah.png`;
    await assert.rejects(
      resolveUrl(url, { allowHosts: [a.host] }),
      refused(
        url,
        new RegExp(
          `its host 127\\.0\\.0\\.1 is a loopback address \\(this machine\\) \\(redirected to ${b.url}/secret\\), .*allow it with --allow-endpoint ${b.host}`,
        ),
      ),
    );
    assert.equal(a.requests.length, 1);
    assert.deepEqual(b.requests, []);
  });

  test("redirects between allowed hosts are followed (a relative Location too), at most 5", async () => {
    a.handle = (req, res) => {
      if (req.url === "/start") res.writeHead(301, { location: `${b.url}/next` }).end();
      else res.writeHead(200).end(IMAGE);
    };
    b.handle = (req, res) => {
      if (req.url === "/next") res.writeHead(307, { location: "/final" }).end();
      else res.writeHead(302, { location: `${a.url}/image` }).end();
    };
    const bytes = await resolveUrl(`${a.url}/start`, { allowHosts: [a.host, b.host] });
    assert.deepEqual(Buffer.from(bytes), IMAGE);
    assert.deepEqual(
      [a.requests, b.requests],
      [
        ["/start", "/image"],
        ["/next", "/final"],
      ],
    );

    a.requests.length = 0;
    a.handle = (req, res) => res.writeHead(302, { location: `/loop${req.url}` }).end();
    const url = `${a.url}/x`;
    await assert.rejects(resolveUrl(url, { allowHosts: [a.host] }), (error: Error) => {
      assert.match(
        error.message,
        /: it redirects more than 5 times \(redirected to http:\/\/127\.0\.0\.1:\d+\/loop\/loop\/loop\/loop\/loop\/loop\/x\)$/,
      );
      return true;
    });
    assert.equal(a.requests.length, 6);
  });

  test("the body is bounded (maxBytes), by Content-Length or by counting a chunked body; a failure status is one line", async () => {
    const trusted = () => true;
    a.handle = (_req, res) => res.writeHead(200, { "content-length": String(IMAGE.length) }).end(IMAGE);
    await assert.rejects(fetchAttachment(`${a.url}/x`, { trusted, maxBytes: 1000 }), { code: "EFBIG" });
    a.handle = (_req, res) => {
      res.writeHead(200);
      res.write(IMAGE.subarray(0, 800));
      res.end(IMAGE.subarray(800));
    };
    await assert.rejects(fetchAttachment(`${a.url}/x`, { trusted, maxBytes: 1000 }), { code: "EFBIG" });
    assert.deepEqual(Buffer.from(await fetchAttachment(`${a.url}/x`, { trusted, maxBytes: IMAGE.length })), IMAGE);
    a.handle = (_req, res) => res.writeHead(404).end("no");
    await assert.rejects(resolveUrl(`${a.url}/gone.png`, { allowHosts: ["127.0.0.1"] }), (error: Error) => {
      assert.equal(error.message, `cannot fetch attachment ${a.url}/gone.png: HTTP 404`);
      return true;
    });
  });

  test("a server that stalls, before its headers or in the middle of its body, fails the fetch after the idle timeout (ETIMEDOUT) instead of holding the run", async () => {
    const trusted = () => true;
    const held: ServerResponse[] = [];
    a.handle = (_req, res) => {
      held.push(res); // never answered
    };
    await assert.rejects(fetchAttachment(`${a.url}/x`, { trusted, idleTimeoutMs: 200 }), {
      code: "ETIMEDOUT",
      message: "it sent nothing for 0.2 s",
    });
    a.handle = (_req, res) => {
      res.writeHead(200, { "content-length": String(IMAGE.length) });
      res.write(IMAGE.subarray(0, 100)); // then nothing
      held.push(res);
    };
    await assert.rejects(fetchAttachment(`${a.url}/x`, { trusted, idleTimeoutMs: 200 }), { code: "ETIMEDOUT" });
    for (const res of held) res.destroy();
  });

  test("a gzip-encoded reply is decoded (as fetch did)", async () => {
    const { gzipSync } = await import("node:zlib");
    a.handle = (_req, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(gzipSync(IMAGE));
    assert.deepEqual(Buffer.from(await resolveUrl(`${a.url}/x`, { allowHosts: ["127.0.0.1"] })), IMAGE);
  });
});

describe("which addresses are public", () => {
  test("loopback, private, link-local, unspecified, CGNAT, multicast, broadcast, reserved, and their IPv6 and IPv4-mapped forms are not", () => {
    for (const address of [
      "127.0.0.1",
      "127.255.255.254",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "100.127.255.255",
      "0.0.0.0",
      "0.1.2.3",
      "224.0.0.1",
      "239.255.255.250",
      "255.255.255.255",
      "240.0.0.1",
      "192.0.2.1",
      "198.18.0.1",
      "::1",
      "::",
      "fe80::1",
      "fe80::1%eth0",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "::ffff:10.0.0.1",
      "::127.0.0.1",
      "64:ff9b::7f00:1",
      "2001:db8::1",
      "fec0::1",
      "not an address",
    ]) {
      assert.ok(nonPublicRange(address), `${address} counts as public`);
    }
  });

  test("public addresses (next to the private ranges' edges too) are", () => {
    for (const address of [
      "8.8.8.8",
      "1.1.1.1",
      "93.184.216.34",
      "172.15.255.255",
      "172.32.0.1",
      "100.63.255.255",
      "100.128.0.1",
      "11.0.0.1",
      "169.253.255.255",
      "2606:4700:4700::1111",
      "2a00:1450:4001::200e",
      "::ffff:8.8.8.8",
    ]) {
      assert.equal(nonPublicRange(address), undefined, address);
    }
  });

  test("the words of a refusal", () => {
    assert.equal(
      nonPublicRange("169.254.169.254"),
      "a link-local address (169.254.0.0/16, fe80::/10: where clouds serve their metadata and credentials)",
    );
    assert.equal(nonPublicRange("::ffff:10.0.0.1"), "a private network address (RFC 1918), mapped into IPv6");
    assert.equal(nonPublicRange("100.64.0.1"), "a carrier-grade NAT address (100.64.0.0/10)");
  });

  test("the lookup a request connects with refuses a name when any of its addresses is not public, and hands on public ones unresolved again", async () => {
    const url = new URL("http://rebind.example/x");
    const answer = (addresses: { address: string; family: number }[]) =>
      ((_host: string, _options: object, callback: (e: null, a: typeof addresses) => void) => callback(null, addresses)) as never;
    const ask = (addresses: { address: string; family: number }[], all: boolean) =>
      new Promise<{ error: (Error & { code?: string }) | null; result: unknown }>((resolve) =>
        checkedLookup(url, answer(addresses))("rebind.example", { all }, (error, address, family) =>
          resolve({ error, result: all ? address : [address, family] }),
        ),
      );
    const mixed = await ask(
      [
        { address: "93.184.216.34", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ],
      true,
    );
    assert.equal(mixed.error?.code, "ENOTPUBLIC");
    assert.equal(mixed.error?.message, "its host rebind.example resolves to 127.0.0.1, a loopback address (this machine)");
    const publicOnly = [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1::1", family: 6 },
    ];
    assert.deepEqual(await ask(publicOnly, true), { error: null, result: publicOnly });
    assert.deepEqual(await ask(publicOnly, false), { error: null, result: ["93.184.216.34", 4] });
  });
});
