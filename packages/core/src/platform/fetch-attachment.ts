/**
 * Fetching an attachment's `http(s):` URL in Node without letting a file
 * reach this machine or its local network (server-side request forgery).
 *
 * A file is untrusted input: an attachment URL such as
 * `http://169.254.169.254/latest/meta-data/` (a cloud's credentials),
 * `http://localhost:6379` or `http://10.0.0.5/admin` would otherwise make this
 * process fetch from where only it can reach, and send the reply to a
 * provider. So a URL is fetched only when every address its host resolves to
 * is public ({@link nonPublicRange}, after the IANA special-purpose address
 * registries, through `ipaddr.js`), unless the user trusts the host. The check
 * holds against DNS rebinding: the addresses checked are the ones connected
 * to (the `lookup` of `node:http`/`node:https` `request`), the name is never
 * resolved twice. A redirect is followed at most 5 times, each hop checked
 * the same way. The body is bounded (`maxBytes`).
 *
 * @packageDocumentation
 */
import type { LookupAddress, LookupOptions } from "node:dns";
import type { IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import { isIP, type LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import { type FetchAttachmentOptions, MAX_ATTACHMENT_BYTES } from "./platform.js";

// A literal `require("ipaddr.js")`: the package's bundle (scripts/build-bundle.mjs) answers it from dist/vendor.
const require = createRequire(import.meta.url);
let ipaddrModule: typeof import("ipaddr.js") | undefined;
function ipaddr(): typeof import("ipaddr.js") {
  ipaddrModule ??= require("ipaddr.js") as typeof import("ipaddr.js");
  return ipaddrModule;
}

/** Words for `ipaddr.js`'s range names, as a refusal says them. */
const RANGE_WORDS: Readonly<Record<string, string>> = {
  loopback: "a loopback address (this machine)",
  private: "a private network address (RFC 1918)",
  uniqueLocal: "a private network address (fc00::/7)",
  linkLocal: "a link-local address (169.254.0.0/16, fe80::/10: where clouds serve their metadata and credentials)",
  unspecified: "the unspecified address (this machine)",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
  ipv4Compatible: "an IPv4-compatible IPv6 address (::a.b.c.d)",
  deprecatedSiteLocal: "a site-local address (fec0::/10)",
};

/**
 * Why an IP address is not public, in words for a refusal (e.g. `a loopback
 * address (this machine)`), or `undefined` when it is a public (global
 * unicast) one. Not public: every special-purpose range `ipaddr.js` knows
 * (loopback, RFC 1918 private, fc00::/7, link-local 169.254/16 and fe80::/10,
 * unspecified, CGNAT 100.64/10, multicast, broadcast, reserved and
 * documentation ranges, benchmarking, NAT64, 6to4, Teredo, …), IPv4-mapped
 * (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) forms of IPv4
 * addresses judged as the address they carry, and anything that is no IP address.
 * @param address - an IPv4 or IPv6 address as text (an IPv6 zone `%eth0` allowed).
 */
export function nonPublicRange(address: string): string | undefined {
  const lib = ipaddr();
  if (!lib.isValid(address)) return "no IP address";
  const ip = lib.parse(address);
  if (ip.kind() === "ipv6") {
    const v6 = ip as import("ipaddr.js").IPv6;
    if (v6.isIPv4MappedAddress()) {
      const inner = nonPublicRange(v6.toIPv4Address().toString());
      return inner && `${inner}, mapped into IPv6`;
    }
    // ::a.b.c.d (deprecated): some stacks still route it to the IPv4 address (:: and ::1 have ranges of their own)
    if (v6.parts.slice(0, 6).every((part) => part === 0) && v6.range() === "unicast") return RANGE_WORDS.ipv4Compatible;
  }
  const range = ip.range();
  if (range === "unicast") return undefined;
  return RANGE_WORDS[range] ?? `a special-purpose address (${range})`;
}

/**
 * A failed fetch: `message` says why in words for a person (no URL of the
 * attachment, the caller names it), `code` is one of `ENOTPUBLIC` (a host is
 * this machine or a private network; `address` and `url` say which), `EFBIG`,
 * `EREDIRECT` (too many, or not to http(s)), `EHTTP` (a status that is no
 * success; `status` says which) or the network's own (`ENOTFOUND`, `ECONNREFUSED`, …).
 */
export interface FetchAttachmentError extends Error {
  code: string;
  /** The URL of the hop that failed (a redirect's target, or the URL itself). */
  url?: string;
  status?: number;
}

function failure(code: string, message: string, extra: Partial<FetchAttachmentError> = {}): FetchAttachmentError {
  return Object.assign(new Error(message), { code }, extra) as FetchAttachmentError;
}

/** The refusal of a host whose address is not public. */
function notPublic(url: URL, host: string, address: string, range: string): FetchAttachmentError {
  const what = host === address ? `its host ${address} is ${range}` : `its host ${host} resolves to ${address}, ${range}`;
  return failure("ENOTPUBLIC", what, { url: url.href });
}

/**
 * A `lookup` for `request` that resolves as `dns.lookup` does and refuses
 * when any address is not public: the socket connects to the addresses
 * checked here, so a name that answers a public address to a first lookup
 * and 127.0.0.1 to a second (DNS rebinding) gains nothing. Exported for tests.
 * @internal
 */
export function checkedLookup(url: URL, dnsLookup: typeof import("node:dns").lookup): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      if (addresses.length === 0) return callback(failure("ENOTFOUND", `its host ${hostname} has no address`), "", 0);
      for (const { address } of addresses) {
        const range = nonPublicRange(address);
        if (range) return callback(notPublic(url, hostname, address, range), "", 0);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** The idle timeout's error of a reply's request, once it fired (see `requestOnce`). */
const stalls = new WeakMap<IncomingMessage, () => FetchAttachmentError | undefined>();

/** One request, its addresses checked (unless trusted); resolves with the response's head. */
async function requestOnce(url: URL, options: FetchAttachmentOptions): Promise<IncomingMessage> {
  const trusted = options.trusted(url);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (!trusted && isIP(host)) {
    // Node connects to an address literal without a lookup: check it here.
    const range = nonPublicRange(host);
    if (range) throw notPublic(url, host, host, range);
  }
  const [{ lookup }, http] = await Promise.all([
    import("node:dns"),
    url.protocol === "https:" ? import("node:https") : import("node:http"),
  ]);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        // A socket of its own: none connected earlier to an address nobody checked is reused.
        agent: false,
        lookup: trusted ? undefined : checkedLookup(url, lookup),
        headers: { accept: "*/*", "accept-encoding": "gzip, deflate, br" },
      },
      resolve,
    );
    // A stall before the headers or between chunks of the body (the socket's idle time) ends the fetch.
    const idle = options.idleTimeoutMs ?? 60_000;
    let stalled: FetchAttachmentError | undefined;
    request.setTimeout(idle, () => {
      stalled = failure("ETIMEDOUT", `it sent nothing for ${idle / 1000} s`, { url: url.href });
      request.destroy(stalled);
    });
    request.once("response", (response: IncomingMessage) => stalls.set(response, () => stalled));
    request.on("error", reject);
    request.end();
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The body of an `http(s):` URL, fetched from Node only when every address of
 * its host (and of each redirect's) is public or the user trusts the host
 * (see this module's docs). A `Content-Encoding` of gzip, deflate or br is decoded.
 * The browser platform fetches with the page's `fetch` instead (the browser's sandbox).
 * @param url - an `http:` or `https:` URL.
 * @returns the body's bytes
 * @throws {FetchAttachmentError} (see its `code`s)
 */
export async function fetchAttachment(url: string, options: FetchAttachmentOptions): Promise<Uint8Array> {
  const maxRedirects = options.maxRedirects ?? 5;
  const maxBytes = options.maxBytes ?? MAX_ATTACHMENT_BYTES;
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const response = await requestOnce(current, options);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECTS.has(status) && location) {
      response.resume();
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw failure("EREDIRECT", `it redirects to ${JSON.stringify(location.slice(0, 200))}, which is no URL`, { url: current.href });
      }
      if (hop >= maxRedirects) throw failure("EREDIRECT", `it redirects more than ${maxRedirects} times`, { url: next.href });
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        throw failure("EREDIRECT", `it redirects to a ${next.protocol} URL, which is not fetched`, { url: next.href });
      }
      current = next;
      continue;
    }
    if (status < 200 || status > 299) {
      response.resume();
      throw failure("EHTTP", `HTTP ${status}`, { url: current.href, status });
    }
    return readBody(response, maxBytes, current);
  }
}

async function readBody(response: IncomingMessage, maxBytes: number, url: URL): Promise<Uint8Array> {
  const tooLarge = () =>
    failure("EFBIG", `it is larger than ${maxBytes / 1024 / 1024} MiB, more than an attachment may be`, { url: url.href });
  const length = Number(response.headers["content-length"]);
  if (length > maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  let body: Readable = response;
  const encoding = String(response.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  if (encoding !== "identity" && encoding !== "") {
    const zlib = await import("node:zlib");
    const decoder =
      encoding === "gzip" || encoding === "x-gzip"
        ? zlib.createGunzip()
        : encoding === "deflate"
          ? zlib.createInflate()
          : encoding === "br"
            ? zlib.createBrotliDecompress()
            : undefined;
    if (!decoder) {
      response.destroy();
      throw failure("EHTTP", `its reply is encoded as ${JSON.stringify(encoding)}, which is not decoded`, { url: url.href });
    }
    response.on("error", (error) => decoder.destroy(error));
    body = response.pipe(decoder);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    // A stall in the middle of the body: the request's idle timeout destroyed the reply; say that, not "aborted".
    throw stalls.get(response)?.() ?? error;
  } finally {
    if (total > maxBytes || !response.complete) response.destroy();
  }
  return Buffer.concat(chunks, total);
}
