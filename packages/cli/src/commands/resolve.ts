import { readParameters } from "../parameters.js";
import { openRuntime } from "../open-runtime.js";

/** `aiconfig resolve FILE --prompt NAME`: prints the provider request as JSON (a providers module is used only when named with `--providers`). */
export async function resolveCommand(
  file: string,
  opts: { prompt: string; param: string[]; paramsFile?: string; providers?: string; strict?: boolean; allowPath?: string[] },
): Promise<number> {
  const params = readParameters(opts.param, opts.paramsFile);
  // Resolving only reads: it never imports code from the file's folder.
  const runtime = await openRuntime(file, { ...opts, runsCode: false }, [opts.prompt]);
  const request = await runtime.resolve(opts.prompt, params);
  process.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
  return 0;
}
