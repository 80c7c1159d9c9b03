import { startEditor } from "@aiconfig-ts/editor";
import { registerBuiltinProviders } from "../builtin-providers.js";
import { ProviderRegistry, defaultRegistry } from "@aiconfig-ts/core";

/**
 * `aiconfig edit FILE`: serves the AI Workbook for FILE on 127.0.0.1 (by
 * default) behind a random token, opens the browser, and runs until Ctrl+C.
 */
export async function editCommand(
  file: string,
  opts: { port?: number; host: string; open: boolean; readOnly?: boolean; providers?: string },
): Promise<number> {
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
  process.stderr.write(`AI Workbook for ${file}${opts.readOnly ? " (read-only)" : ""}:\n  ${editor.url}\nPress Ctrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await editor.close();
  return 0;
}
