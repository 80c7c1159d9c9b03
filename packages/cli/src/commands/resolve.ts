import { MissingOutputError } from "@aiconfig-ts/core";
import { readParameters } from "../parameters.js";
import { openRuntime } from "../open-runtime.js";

/**
 * `aiconfig resolve FILE --prompt NAME`: prints the provider request as JSON (a providers module is used only when named with `--providers`).
 * @throws {MissingOutputError} when the prompt uses `{{NAME.output}}` of a prompt with no stored output (strict mode); its
 * message names the `aiconfig run` command that stores it, since `resolve` runs nothing and has no `--with-dependencies`.
 */
export async function resolveCommand(
  file: string,
  opts: { prompt: string; param: string[]; paramsFile?: string; providers?: string; strict?: boolean; allowPath?: string[] },
): Promise<number> {
  const params = readParameters(opts.param, opts.paramsFile);
  // Resolving only reads: it never imports code from the file's folder.
  const runtime = await openRuntime(file, { ...opts, runsCode: false }, [opts.prompt]);
  let request: unknown;
  try {
    request = await runtime.resolve(opts.prompt, params);
  } catch (error) {
    if (MissingOutputError.isInstance(error)) error.message = missingOutputMessage(error, file, opts.prompt);
    throw error;
  }
  process.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
  return 0;
}

/** Core's message advises `--with-dependencies`, an option of `run`, not of `resolve`: say what to run instead. */
function missingOutputMessage(error: MissingOutputError, file: string, prompt: string): string {
  return `${file}: prompt "${error.prompt}" uses the output of prompt "${error.reference}", which has no output in the file yet: store it with \`aiconfig run ${file} --prompt ${prompt} --with-dependencies --save\`, or resolve with --no-strict to render it empty`;
}
