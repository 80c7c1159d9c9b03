/**
 * Loads `@aiconfig-ts/queue` (BullMQ on Redis), an optional peer of the CLI
 * needed only for `batch --queue` and `worker`.
 *
 * @packageDocumentation
 */
/**
 * The queue package.
 * @throws {Error} naming the package to install when it is not installed (one line, exit 1, as `edit`, `serve`
 * and `export --site` say of theirs)
 */
export async function loadQueuePackage(flag: string): Promise<typeof import("@aiconfig-ts/queue")> {
  try {
    return await import("@aiconfig-ts/queue");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if ((e.code === "ERR_MODULE_NOT_FOUND" || e.code === "MODULE_NOT_FOUND") && String(e.message).includes("@aiconfig-ts/queue"))
      throw new Error(`${flag} needs the job queue (@aiconfig-ts/queue), which is not installed: run \`npm install @aiconfig-ts/queue\``);
    throw error;
  }
}
