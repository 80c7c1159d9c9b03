/**
 * Browser support for the hosted notebook's end-to-end tests: Debian's
 * Chromium through playwright-core, one browser with as many contexts (two
 * visitors = two contexts, each with its own cookies), and a tiny HTTP server
 * for pages of "another site".
 */
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export { CHROMIUM, launchChromium } from "@aiconfig-ts/testing";

/** Serves one HTML page at `/` on 127.0.0.1 (another site's page); resolves with its origin. */
export async function servePage(html: string): Promise<{ origin: string; close(): Promise<void>; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
