/**
 * Loads `@aiconfig-ts/queue` (BullMQ on Redis), an optional peer of the CLI
 * needed only for `batch --queue` and `worker`.
 *
 * @packageDocumentation
 */
import { UsageError } from "../usage-error.js";

/**
 * The queue package.
 * @throws {UsageError} naming the package to install when it is not installed
 */
export async function loadQueuePackage(flag: string): Promise<typeof import("@aiconfig-ts/queue")> {
  try {
    return await import("@aiconfig-ts/queue");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
      throw new UsageError(`${flag} needs the queue package: npm i @aiconfig-ts/queue`);
    throw error;
  }
}
