#!/usr/bin/env node
// Measures generation speed of a GGUF model with 1, 2, ... threads (up to the
// number of cores), alternating, so that the package's default thread count
// can be chosen on data. Usage:
//   node packages/llama/scripts/measure-threads.mjs [MODEL.gguf] [ROUNDS]
// Prints one line per run and the median tokens/s per thread count.
import { availableParallelism } from "node:os";
import { getLlama, LlamaCompletion, LlamaLogLevel } from "node-llama-cpp";

const modelPath = process.argv[2] ?? "../shared/models/stories260K.gguf";
const rounds = Number(process.argv[3] ?? 5);
const cores = availableParallelism();
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: cores });
const model = await llama.loadModel({ modelPath });
const prompt = "Once upon a time";
const results = new Map();
for (let round = 0; round < rounds; round++) {
  for (let threads = 1; threads <= cores; threads++) {
    const context = await model.createContext({ threads, contextSize: 512 });
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    let tokens = 0;
    const start = performance.now();
    await completion.generateCompletion(prompt, { maxTokens: 256, temperature: 0, onToken: (t) => (tokens += t.length) });
    const perSecond = (tokens / (performance.now() - start)) * 1000;
    console.log(`round ${round + 1} threads ${threads}: ${tokens} tokens, ${perSecond.toFixed(1)} tokens/s`);
    results.set(threads, [...(results.get(threads) ?? []), perSecond]);
    await context.dispose();
  }
}
for (const [threads, speeds] of results) {
  const sorted = [...speeds].sort((a, b) => a - b);
  console.log(
    `threads ${threads}: median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} tokens/s (min ${sorted[0].toFixed(1)}, max ${sorted.at(-1).toFixed(1)})`,
  );
}
await model.dispose();
await llama.dispose();
