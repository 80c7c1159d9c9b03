/**
 * Opens a URL in the user's browser: `$BROWSER` when set, else `open` (macOS),
 * `cmd /c start` (Windows) or `xdg-open` (elsewhere). Failures are reported to
 * the caller, never thrown: the URL is printed anyway.
 *
 * @packageDocumentation
 */
import { spawn } from "node:child_process";

/**
 * Starts the browser on `url`, detached.
 * @returns a promise of `undefined` when the command started, or the reason it did not
 */
export function openBrowser(url: string): Promise<string | undefined> {
  const [cmd, args] =
    process.env.BROWSER !== undefined && process.env.BROWSER !== ""
      ? [process.env.BROWSER, [url]]
      : process.platform === "darwin"
        ? ["open", [url]]
        : process.platform === "win32"
          ? ["cmd", ["/c", "start", '""', url.replace(/&/g, "^&")]]
          : ["xdg-open", [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { detached: true, stdio: "ignore" });
      child.once("error", (e) => resolve(`cannot open a browser (${cmd}: ${e.message}); open the URL yourself`));
      child.once("spawn", () => {
        child.unref();
        resolve(undefined);
      });
    } catch (e) {
      resolve(`cannot open a browser (${e instanceof Error ? e.message : String(e)}); open the URL yourself`);
    }
  });
}
