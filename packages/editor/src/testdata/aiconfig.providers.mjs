// A providers module as a user would write one (see loadProvidersModule):
// providers that need no network, for the editor's tests and benchmarks.
//
// - `echo` (models "echo", "slow-echo"): streams the rendered input back word
//   by word, `delay_ms` apart (slow-echo: 40 ms by default), honouring cancel.
// - `fails` (model "fail-model"): throws an error that quotes TEST_API_KEY,
//   to check that the editor never sends secrets to the page.
// - `burst` (model "burst"): streams `tokens` pieces of text as fast as it can,
//   or at `rate` pieces per second, for the streaming benchmark.

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error("aborted"));
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason ?? new Error("aborted"));
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export const echoProvider = {
  id: "echo",
  description: "Echoes the rendered input, word by word (test provider).",
  settingsSchema: {
    type: "object",
    properties: {
      delay_ms: { type: "integer", minimum: 0, maximum: 10000, description: "Pause between words, in ms." },
      shout: { type: "boolean", description: "Upper-case the text." },
      style: { type: "string", enum: ["plain", "quoted"], description: "How to wrap the text." },
      prefix: { type: "string", description: "Text put before the echo." },
    },
    additionalProperties: true,
  },
  resolve(ctx) {
    return {
      text: ctx.input.text,
      settings: { ...ctx.settings },
      model: ctx.model,
      attachments: ctx.input.attachments.map((a) => a.mimeType),
    };
  },
  async run(request, ctx) {
    const s = request.settings;
    const delay = typeof s.delay_ms === "number" ? s.delay_ms : request.model === "slow-echo" ? 40 : 0;
    let text = `${s.prefix ?? ""}${request.text}`;
    if (s.shout) text = text.toUpperCase();
    if (s.style === "quoted") text = `"${text}"`;
    const words = text.split(/(?<=\s)/);
    let out = "";
    for (const w of words) {
      if (delay > 0) await sleep(delay, ctx.signal);
      if (ctx.signal.aborted) throw new Error("aborted");
      out += w;
      if (ctx.streaming) ctx.stream({ delta: w, index: 0 });
    }
    return [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: out,
        mime_type: "text/plain",
        metadata: { usage: { prompt_tokens: words.length, completion_tokens: words.length }, attachments: request.attachments },
      },
    ];
  },
};

export const failingProvider = {
  id: "fails",
  description: "Always fails, quoting TEST_API_KEY (test provider).",
  resolve(ctx) {
    return { key: ctx.env.TEST_API_KEY ?? "" };
  },
  async run(request) {
    throw new Error(`upstream refused the key ${request.key}`);
  },
};

export const burstProvider = {
  id: "burst",
  description: "Streams `tokens` pieces as fast as it can, or at `rate` per second (benchmark provider).",
  settingsSchema: {
    type: "object",
    properties: { tokens: { type: "integer", minimum: 1 }, rate: { type: "number", minimum: 1 } },
  },
  resolve(ctx) {
    return { tokens: ctx.settings.tokens ?? 1000, rate: ctx.settings.rate };
  },
  async run(request, ctx) {
    const start = Date.now();
    let out = "";
    for (let i = 0; i < request.tokens; i++) {
      if (ctx.signal.aborted) throw new Error("aborted");
      if (request.rate) {
        const due = start + (i * 1000) / request.rate;
        if (due > Date.now()) await sleep(due - Date.now(), ctx.signal);
      } else if (i % 50 === 0) await new Promise((r) => setImmediate(r));
      const piece = `tok${i} `;
      out += piece;
      ctx.stream({ delta: piece, index: 0 });
    }
    return [{ output_type: "execute_result", execution_count: 0, data: out, metadata: { usage: { completion_tokens: request.tokens } } }];
  },
};

export function register(registry) {
  registry.register(echoProvider, ["echo", "slow-echo"]);
  registry.register(failingProvider, ["fail-model"]);
  registry.register(burstProvider, ["burst"]);
}
