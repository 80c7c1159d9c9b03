// A providers module for bench/batch.mjs's memory run (constructed): model "echo" answers at once
// with its input, so the run measures the batch's own input, scheduling and results files.
export function register(registry) {
  registry.register(
    {
      id: "bench-echo",
      specificationVersion: "v1",
      capabilities: { tasks: ["text-generation"], streams: false, chat: false },
      resolve: (ctx) => ctx.input.text,
      run: async (request) => [{ output_type: "execute_result", data: `echo: ${request}`, execution_count: 0, metadata: {} }],
    },
    ["echo"],
  );
}
