/**
 * Debian's Chromium for browser tests, through playwright-core (Playwright
 * cannot download browsers on these machines): where it is, the flags that
 * keep it headless, quiet and offline, and a launcher.
 *
 * @packageDocumentation
 */
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

/** The Chromium binary: `CHROMIUM_PATH`, else Debian's package (`scripts/install-browser.sh`). */
export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";

/** The flags that keep headless Chromium quiet and offline (no sandbox: tests run as root in CI). */
export const CHROMIUM_ARGS: string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

/**
 * Throws, saying how to install it, when Chromium is missing.
 * @throws {Error} `/usr/bin/chromium is missing: run scripts/install-browser.sh`
 */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/install-browser.sh`);
}

/**
 * Launches headless Chromium with {@link CHROMIUM_ARGS} (each test makes its own contexts).
 * @throws {Error} when Chromium is missing, saying how to install it
 */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
