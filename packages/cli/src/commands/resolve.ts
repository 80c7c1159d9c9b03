import { readParameters } from "../parameters.js";
import { openRuntime } from "../open-runtime.js";

/** `aiconfig resolve FILE --prompt NAME`: prints the provider request as JSON. */
export async function resolveCommand(
  file: string,
  opts: { prompt: string; param: string[]; paramsFile?: string; providers?: string; strict?: boolean; allowPath?: string[] },
): Promise<number> {
  const params = readParameters(opts.param, opts.paramsFile);
  const runtime = await openRuntime(file, opts, [opts.prompt]);
  const request = await runtime.resolve(opts.prompt, params);
  process.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
  return 0;
}
