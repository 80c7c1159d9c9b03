/**
 * Which platform core was bundled for (see `platform/platform.ts`), for a
 * provider whose SDK needs to be told it runs in a page (OpenAI's and
 * Anthropic's `dangerouslyAllowBrowser`).
 *
 * @packageDocumentation
 */
import { platformName } from "#platform";

/** Whether this copy of core runs on its browser platform (the `browser` export condition), i.e. in a page. */
export function runsInBrowser(): boolean {
  return platformName === "browser";
}
