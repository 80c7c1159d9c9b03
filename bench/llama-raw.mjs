// What `aiconfig run examples/story.aiconfig.json` does, written directly on
// node-llama-cpp (the baseline of the "aiconfig run vs raw node-llama-cpp"
// row): the same model file, engine options, thread count, context size,
// prompts and sampling settings as the llama provider uses, the two
// generations streamed to stdout one after the other, the second continuing the first.
//
//   AICONFIG_MODELS_DIR=../shared/models node bench/llama-raw.mjs
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";

process.env.NODE_LLAMA_CPP_SKIP_DOWNLOAD ??= "true";
const { getLlama, LlamaCompletion, LlamaLogLevel } = await import("node-llama-cpp");

const modelPath = resolve(process.env.AICONFIG_MODELS_DIR ?? "models", "stories260K.gguf");
const hero = "Lily";
const place = "the park";

const llama = await getLlama({
  gpu: false,
  build: "never",
  usePrebuiltBinaries: true,
  skipDownload: true,
  progressLogs: false,
  maxThreads: Math.max(1, availableParallelism()),
  logLevel: LlamaLogLevel.error,
});
const model = await llama.loadModel({ modelPath });
// The provider's defaults: one thread for a model under 100 MB, the context the model was trained with (at most 4096).
const threads = statSync(modelPath).size < 100_000_000 ? 1 : Math.max(1, availableParallelism());
const context = await model.createContext({ threads, contextSize: Math.min(model.trainContextSize ?? 4096, 4096), sequences: 1 });
const sequence = context.getSequence();

// As the provider does (run-request.ts): the prompt tokenised and the reply read as llama.cpp does them
// (node-llama-cpp, given text, trims SentencePiece's space prefix and the reply's first space).
async function generate(prompt, options) {
  await sequence.clearHistory();
  const completion = new LlamaCompletion({ contextSequence: sequence });
  const promptTokens = model.tokenize(prompt);
  const generated = [];
  let chunk = [];
  await completion.generateCompletionWithMeta(promptTokens, {
    ...options,
    onToken: (tokens) => {
      chunk = tokens;
      generated.push(...tokens);
    },
    onTextChunk: (delta) => process.stdout.write(generated.length === chunk.length ? model.detokenize(chunk, false, promptTokens) : delta),
  });
  completion.dispose({ disposeSequence: false });
  process.stdout.write("\n");
  return model.detokenize(generated, false, promptTokens);
}

const opening = `Once upon a time, there was a little girl named ${hero}. She loved to play in ${place}.`;
const openingOutput = await generate(opening, { maxTokens: 80, temperature: 0 });
await generate(`${opening}${openingOutput}\nThe next day, ${hero}`, { maxTokens: 120, temperature: 0.8, seed: 42 });
await context.dispose();
await model.dispose();
await llama.dispose();
