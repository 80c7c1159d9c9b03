// The README's SDK example, runnable from the repository's root, offline (the small local model, no key):
//   AICONFIG_MODELS_DIR=../shared/models node examples/sdk.mjs
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AIConfigRuntime } from "@aiconfig-ts/core";
import { register as registerLlama } from "@aiconfig-ts/llama";

// JSON, JSON with comments, or YAML; validated on load
const config = AIConfigRuntime.load(fileURLToPath(new URL("story.aiconfig.json", import.meta.url)));
registerLlama(config.registry); // providers are registered per runtime (or globally with register())

const params = { hero: "Tom" };
// Runs "opening" first (continuation uses {{opening.output}}), then streams the continuation.
await config.runWithDependencies("continuation", params, {
  onStream: ({ prompt, delta }) => {
    if (prompt === "continuation") process.stdout.write(delta);
  },
});
process.stdout.write("\n"); // the streamed text is the output: config.getOutputText("continuation") holds the same

// The request the provider would send for "opening" with the same parameters; nothing is sent.
console.log(JSON.stringify(await config.resolve("opening", params), null, 2));

// Atomic; JSON or YAML by extension; outputs kept unless { includeOutputs: false }
const saved = join(tmpdir(), "story-with-outputs.aiconfig.yaml");
config.save(saved);
console.log(`saved to ${saved}`);
