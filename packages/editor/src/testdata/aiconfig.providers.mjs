// A providers module as a user would write one (see loadProvidersModule):
// providers that need no network, for the editor's tests and benchmarks.
//
// - `echo` (models "echo", "slow-echo"): streams the rendered input back word
//   by word, `delay_ms` apart (slow-echo: 40 ms by default), honouring cancel.
// - `fails` (model "fail-model"): throws an error that quotes TEST_API_KEY,
//   to check that the editor never sends secrets to the page.
// - `burst` (model "burst"): streams `tokens` pieces of text as fast as it can,
//   or at `rate` pieces per second, for the streaming benchmark.
// - `tone` (model "tone"): a WAV of a 440 Hz sine, `seconds` long (16 kHz,
//   16-bit mono: 32 KB a second), as base64: a binary output of a chosen size.
// - `media` (models "tool-caller", "video-maker", "reasoner"): one output of
//   each kind the editor renders: tool calls, a video file, an answer with
//   its reasoning in the output's metadata (as Anthropic and DeepSeek keep it).

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
      chunk_chars: { type: "integer", minimum: 1, description: "Stream pieces of this many characters instead of words." },
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
    const words =
      typeof s.chunk_chars === "number" ? (text.match(new RegExp(`[\\s\\S]{1,${s.chunk_chars}}`, "g")) ?? []) : text.split(/(?<=\s)/);
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

// normalised usage, as a provider package implements Provider.outputUsage
echoProvider.outputUsage = (output) => {
  const u = output.metadata?.usage;
  return u ? { inputTokens: u.prompt_tokens, outputTokens: u.completion_tokens, finishReason: "stop" } : undefined;
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

/** A WAV file (16 kHz, 16-bit mono) of a 440 Hz sine, `seconds` long. */
function sineWav(seconds) {
  const rate = 16000;
  const samples = Math.round(rate * seconds);
  const bytes = Buffer.alloc(44 + samples * 2);
  bytes.write("RIFF", 0);
  bytes.writeUInt32LE(36 + samples * 2, 4);
  bytes.write("WAVEfmt ", 8);
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(rate, 24);
  bytes.writeUInt32LE(rate * 2, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write("data", 36);
  bytes.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) bytes.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return bytes;
}

export const toneProvider = {
  id: "tone",
  description: "A WAV of a sine, `seconds` long (test provider).",
  settingsSchema: { type: "object", properties: { seconds: { type: "number", minimum: 0.01, default: 1 } } },
  capabilities: { tasks: ["text-to-speech"], outputMedia: ["audio/wav"], streams: false, chat: false, offline: true, models: ["tone"] },
  resolve(ctx) {
    return { seconds: typeof ctx.settings.seconds === "number" ? ctx.settings.seconds : 1 };
  },
  async run(request) {
    const value = sineWav(request.seconds).toString("base64");
    return [{ output_type: "execute_result", execution_count: 0, data: { kind: "base64", value }, mime_type: "audio/wav" }];
  },
};

export const mediaProvider = {
  id: "media",
  description: "One output of each kind the editor renders (test provider).",
  resolve(ctx) {
    return { model: ctx.model, text: ctx.input.text };
  },
  async run(request) {
    if (request.model === "tool-caller")
      return [
        {
          output_type: "execute_result",
          execution_count: 0,
          data: {
            kind: "tool_calls",
            value: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
          },
          metadata: { text: "Let me look up the weather in Paris." },
        },
      ];
    if (request.model === "video-maker")
      return [
        {
          output_type: "execute_result",
          execution_count: 0,
          data: { kind: "file_uri", value: "media/clip.webm" },
          mime_type: "video/webm",
        },
      ];
    return [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: `The answer to ${request.text} is 42.`,
        // Gemini keeps its thought summaries as `thoughts`; the others as `reasoning` (OpenAI-compatible) or `thinking` (Anthropic).
        metadata: { thoughts: "First I considered the question; then I counted." },
      },
    ];
  },
};

export function register(registry) {
  registry.register(toneProvider, ["tone"]);
  registry.register(mediaProvider, ["tool-caller", "video-maker", "reasoner"]);
  registry.register(echoProvider, ["echo", "slow-echo"]);
  registry.register(failingProvider, ["fail-model"]);
  registry.register(burstProvider, ["burst"]);
}
