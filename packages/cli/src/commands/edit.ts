import { ProviderRegistry, defaultRegistry } from "@aiconfig-ts/core";
import { registerBuiltinProviders } from "../builtin-providers.js";

/** The editor package, an optional peer of the CLI: only `edit` needs it. */
async function importEditor(): Promise<typeof import("@aiconfig-ts/editor")> {
  try {
    return await import("@aiconfig-ts/editor");
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if ((e?.code === "ERR_MODULE_NOT_FOUND" || e?.code === "MODULE_NOT_FOUND") && String(e.message).includes("@aiconfig-ts/editor")) {
      throw new Error("edit needs the AI Workbook (@aiconfig-ts/editor), which is not installed: run `npm install @aiconfig-ts/editor`");
    }
    throw error;
  }
}

/**
 * `aiconfig edit FILE`: serves the AI Workbook for FILE on 127.0.0.1 (by
 * default) behind a random token, opens the browser, and runs until Ctrl+C.
 */
export async function editCommand(
  file: string,
  opts: { port?: number; host: string; open: boolean; readOnly?: boolean; providers?: string },
): Promise<number> {
  const { startEditor } = await importEditor();
  const registry = new ProviderRegistry(defaultRegistry);
  await registerBuiltinProviders(registry);
  const editor = await startEditor({
    file,
    port: opts.port,
    host: opts.host,
    open: opts.open,
    readOnly: opts.readOnly === true,
    providersModule: opts.providers,
    registry,
  });
  if (editor.warning) process.stderr.write(`warning: ${editor.warning}\n`);
  process.stderr.write(
    `AI Workbook for ${file}${opts.readOnly ? " (read-only)" : ""}:\n  ${editor.urls.join("\n  ")}\nPress Ctrl+C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await editor.close();
  return 0;
}
