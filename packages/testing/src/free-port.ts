/**
 * Free TCP ports of 127.0.0.1, for servers a test starts as separate
 * processes and for "connection refused" faults.
 *
 * @packageDocumentation
 */
import { createServer } from "node:net";

/** A free TCP port on 127.0.0.1 (for a server a test starts as a separate process, e.g. `redis-server` or `aiconfig serve`). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP port of 127.0.0.1 that nothing listens on (a request there is refused): a {@link freePort} left unused. */
export function closedPort(): Promise<number> {
  return freePort();
}
