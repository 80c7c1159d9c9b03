/**
 * The one-line message of a server that could not start listening, with the
 * fix for the usual causes (the port in use, a port below 1024 without the
 * right to it, an address not of this machine). Shared by `aiconfig edit`
 * and `aiconfig serve`, whose option is `--port`.
 *
 * @packageDocumentation
 */

/**
 * @param host the address asked for
 * @param port the port asked for
 * @param error what `listen` failed with (its `code`: `EADDRINUSE`, `EACCES`, `EADDRNOTAVAIL`)
 * @param free how to get a free port instead, in the words of the command (e.g. `or leave --port out for a free one`)
 */
export function listenFailure(host: string, port: number, error: NodeJS.ErrnoException, free: string): string {
  const at = `cannot listen on ${host}:${port}`;
  if (error.code === "EADDRINUSE") return `${at}: another program uses that port: choose another with --port, ${free}`;
  if (error.code === "EACCES") return `${at}: ports below 1024 need special rights: choose one from 1024 up with --port, ${free}`;
  if (error.code === "EADDRNOTAVAIL") return `${at}: ${host} is not an address of this machine: check --host`;
  return `${at}: ${error.message}`;
}
