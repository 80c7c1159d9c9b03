import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  AIConfigRuntime,
  type ExecuteResult,
  ProviderRegistry,
  RunAbortedError,
  type StoredData,
  validateSettings,
} from "@aiconfig-ts/core";
import { EspeakError, SpeechInputError, SpeechSettingsError } from "./errors.js";
import { synthesize } from "./espeak-engine.js";
import { espeakProvider } from "./espeak-node-provider.js";
import { serializeEspeakRequest } from "./espeak-provider.js";
import { espeakArguments, espeakSettingsSchema, readEspeakSettings } from "./espeak-settings.js";
import { register } from "./register.js";
import { readWavInfo } from "./wav.js";

const dir = mkdtempSync(join(tmpdir(), "espeak-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SENTENCE = "The quick brown fox jumps over the lazy dog.";

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return Buffer.from(bytes.subarray(from, to)).toString("latin1");
}

describe("espeak-ng (WebAssembly) speaks into a WAV", () => {
  test("a sentence: RIFF/WAVE with a fmt chunk of 22,050 Hz mono 16-bit PCM, over half a second long", async () => {
    const wav = await synthesize(SENTENCE, readEspeakSettings({}, "t"));
    assert.equal(ascii(wav, 0, 4), "RIFF");
    assert.equal(ascii(wav, 8, 12), "WAVE");
    assert.equal(ascii(wav, 12, 16), "fmt ");
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    assert.equal(view.getUint32(4, true), wav.length - 8, "RIFF size");
    assert.equal(view.getUint16(20, true), 1, "PCM");
    assert.equal(view.getUint16(22, true), 1, "mono");
    assert.equal(view.getUint32(24, true), 22050, "sample rate");
    assert.equal(view.getUint16(34, true), 16, "bits per sample");
    assert.equal(ascii(wav, 36, 40), "data");
    const dataBytes = view.getUint32(40, true);
    assert.equal(dataBytes, wav.length - 44);
    const seconds = dataBytes / (22050 * 2);
    assert.ok(seconds > 0.5, `${seconds} s`);
    assert.equal(readWavInfo(wav)?.durationSeconds, seconds);
    const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
    const peak = samples.reduce((m, s) => Math.max(m, Math.abs(s)), 0);
    assert.ok(peak > 1000, `the audio is not silence (peak ${peak})`);
  });

  test("settings change the sound: slower speech is longer, amplitude 0 is silence", async () => {
    const slow = readWavInfo(await synthesize(SENTENCE, readEspeakSettings({ speed: 80 }, "t")))!;
    const fast = readWavInfo(await synthesize(SENTENCE, readEspeakSettings({ speed: 300 }, "t")))!;
    assert.ok(slow.durationSeconds > 2 * fast.durationSeconds, `${slow.durationSeconds} s at 80 wpm, ${fast.durationSeconds} s at 300 wpm`);
    const gapped = readWavInfo(await synthesize(SENTENCE, readEspeakSettings({ gap: 20 }, "t")))!;
    const plain = readWavInfo(await synthesize(SENTENCE, readEspeakSettings({}, "t")))!;
    assert.ok(gapped.durationSeconds > plain.durationSeconds + 8 * 0.15, "8 gaps between 9 words of 200 ms each");
    const mute = await synthesize("Hello there", readEspeakSettings({ amplitude: 0 }, "t"));
    const samples = new Int16Array(mute.buffer.slice(mute.byteOffset + 44, mute.byteOffset + mute.length));
    assert.ok(samples.length > 0 && samples.every((s) => s === 0));
  });

  test("a text starting with '-' is spoken, not read as an option", async () => {
    const seconds = async (text: string, settings = {}) =>
      readWavInfo(await synthesize(text, readEspeakSettings(settings, "t")))!.durationSeconds;
    const dashed = await seconds("-v fr hello");
    // Read as options, "-v fr" would switch to the French voice and only "hello" would be spoken
    // (about 0.56 s in French, 0.74 s in English); spoken as text, "v" and "fr" add their words.
    const hello = await seconds("hello");
    const helloInFrench = await seconds("hello", { voice: "fr" });
    assert.ok(dashed > hello + 0.3, `"-v fr hello" lasts ${dashed} s, "hello" ${hello} s`);
    assert.notEqual(dashed, helloInFrench);
  });

  test("SSML: a break of two seconds makes the audio two seconds longer", async () => {
    const plain = readWavInfo(await synthesize("<speak>Hello. World.</speak>", readEspeakSettings({ ssml: true }, "t")))!;
    const paused = readWavInfo(
      await synthesize('<speak>Hello. <break time="2s"/> World.</speak>', readEspeakSettings({ ssml: true }, "t")),
    )!;
    assert.ok(paused.durationSeconds > plain.durationSeconds + 1.5, `${plain.durationSeconds} s, then ${paused.durationSeconds} s`);
  });

  test("an unknown voice fails with espeak-ng's message and leaves the process exit code alone", async () => {
    await assert.rejects(synthesize("Hello", readEspeakSettings({ voice: "xx-nowhere" }, "t")), (error: unknown) => {
      assert.ok(error instanceof EspeakError);
      assert.match(error.message, /voice "xx-nowhere".*does not exist/);
      assert.doesNotMatch(error.message, /keepRuntimeAlive/);
      return true;
    });
    assert.equal(process.exitCode, undefined);
    // The engine still works afterwards.
    assert.ok((await synthesize("Hello", readEspeakSettings({}, "t"))).length > 1000);
  });
});

describe("espeak settings", () => {
  test("defaults, and the options they become", () => {
    const settings = readEspeakSettings({}, "p");
    assert.deepEqual(settings, { voice: "en-us", speed: 175, pitch: 50, amplitude: 100, gap: 0, ssml: false });
    assert.deepEqual(espeakArguments({ ...settings, voice: "en-gb", speed: 120, ssml: true }), [
      "-v",
      "en-gb",
      "-s",
      "120",
      "-p",
      "50",
      "-a",
      "100",
      "-g",
      "0",
      "-m",
    ]);
  });

  test("out of range or of the wrong type: one line naming the prompt, the setting and the range", () => {
    assert.throws(() => readEspeakSettings({ speed: 20 }, "hello"), {
      name: "SpeechSettingsError",
      message: 'prompt "hello": setting "speed" must be an integer from 80 to 450, got 20',
    });
    assert.throws(() => readEspeakSettings({ pitch: 10.5 }, "p"), SpeechSettingsError);
    assert.throws(() => readEspeakSettings({ amplitude: "loud" }, "p"), /setting "amplitude" must be an integer from 0 to 200, got "loud"/);
    assert.throws(() => readEspeakSettings({ voice: "" }, "p"), /setting "voice" must be a non-empty string, got ""/);
    assert.throws(() => readEspeakSettings({ ssml: "yes" }, "p"), /setting "ssml" must be true or false, got "yes"/);
  });

  test("the settings schema is draft-07 with a type, range, default and description for each setting; core's validateSettings uses it", () => {
    assert.equal(espeakSettingsSchema.$schema, "http://json-schema.org/draft-07/schema#");
    const properties = espeakSettingsSchema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(properties).sort(), ["amplitude", "gap", "pitch", "speed", "ssml", "voice"]);
    for (const [name, p] of Object.entries(properties)) {
      assert.ok(typeof p.type === "string" && typeof p.description === "string" && p.default !== undefined, name);
      if (p.type === "integer") assert.ok(typeof p.minimum === "number" && typeof p.maximum === "number", name);
      if (p.default !== undefined && name !== "voice") {
        assert.equal(readEspeakSettings({}, "p")[name as "speed"], p.default, `${name}: schema default = applied default`);
      }
    }
    assert.equal(readEspeakSettings({}, "p").voice, properties.voice!.default);
    const registry = register(new ProviderRegistry());
    const doc = (settings: Record<string, unknown>) => ({
      data: {
        name: "v",
        schema_version: "latest",
        metadata: { models: { "espeak-ng": settings } },
        prompts: [{ name: "p", input: "Hi", metadata: { model: "espeak-ng" } }],
      },
    });
    assert.deepEqual(validateSettings(doc({ speed: 150, voice: "en" }), "v.json", registry), []);
    const problems = validateSettings(doc({ speed: 9000, ssml: "no" }), "v.json", registry);
    assert.deepEqual(
      problems.map((p) => p.pointer),
      ["/metadata/models/espeak-ng/speed", "/metadata/models/espeak-ng/ssml"],
    );
    assert.match(problems[0]!.message, /^setting "speed" must be <= 450/);
    assert.match(problems[1]!.message, /^setting "ssml" must be of type boolean/);
  });

  test("serialize gives back a prompt with the settings that differ from the defaults", () => {
    const request = { text: "Hi {{name}}", ...readEspeakSettings({ speed: 140, voice: "en-us" }, "p") };
    assert.deepEqual(serializeEspeakRequest(request, { promptName: "say", model: "espeak-ng", parameters: { name: "Ann" } }), [
      {
        name: "say",
        input: "Hi {{name}}",
        metadata: { model: { name: "espeak-ng", settings: { speed: 140 } }, parameters: { name: "Ann" } },
      },
    ]);
    assert.deepEqual(
      serializeEspeakRequest({ text: "Hi", ...readEspeakSettings({}, "p") }, { promptName: "s", model: "espeak", parameters: {} }),
      [{ name: "s", input: "Hi", metadata: { model: "espeak" } }],
    );
  });
});

function speechFile(name: string, prompts: unknown[], models: Record<string, unknown> = {}): string {
  const path = join(dir, `${name}.aiconfig.json`);
  writeFileSync(path, JSON.stringify({ name, schema_version: "latest", metadata: { models, parameters: { who: "world" } }, prompts }));
  return path;
}

describe("espeak provider through the runtime", () => {
  test("model espeak-ng: the rendered text becomes an audio/wav output stored as base64", async () => {
    const path = speechFile("hello", [{ name: "speak", input: "Hello {{who}}, how are you today?", metadata: { model: "espeak-ng" } }], {
      "espeak-ng": { speed: 150 },
    });
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    assert.deepEqual(await rt.resolve("speak"), {
      text: "Hello world, how are you today?",
      voice: "en-us",
      speed: 150,
      pitch: 50,
      amplitude: 100,
      gap: 0,
      ssml: false,
    });
    const [output] = (await rt.run("speak")) as ExecuteResult[];
    assert.equal(output?.mime_type, "audio/wav");
    const data = output!.data as StoredData;
    assert.equal(data.kind, "base64");
    const wav = Buffer.from(data.value, "base64");
    const info = readWavInfo(wav)!;
    assert.equal(info.sampleRate, 22050);
    assert.ok(info.durationSeconds > 1);
    assert.deepEqual(output!.metadata, {
      voice: "en-us",
      speed: 150,
      sample_rate: 22050,
      channels: 1,
      duration_seconds: Math.round(info.durationSeconds * 1000) / 1000,
    });
    assert.equal(rt.getOutputText("speak"), "");
  });

  test("with outputFiles, the WAV is written beside the aiconfig file and referred to by a relative file_uri", async () => {
    const path = speechFile("files", [{ name: "say it", input: "Saved to a file.", metadata: { model: "espeak" } }]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()), outputFiles: true });
    const [output] = (await rt.run("say it")) as ExecuteResult[];
    const data = output!.data as StoredData;
    assert.equal(data.kind, "file_uri");
    assert.match(data.value, /^files\.aiconfig\.outputs\/say_it-.+\.wav$/);
    const file = join(dir, data.value);
    assert.ok(existsSync(file));
    assert.equal(readWavInfo(readFileSync(file))?.sampleRate, 22050);
  });

  test("provider id and aliases in model_parsers; an empty text or a bad setting fails before running; espeak-ng's failure is an error output", async () => {
    const path = speechFile("errors", [
      { name: "empty", input: "  ", metadata: { model: "voice-a" } },
      { name: "bad", input: "Hi", metadata: { model: { name: "voice-b", settings: { pitch: 120 } } } },
      { name: "unknown voice", input: "Hi", metadata: { model: { name: "voice-b", settings: { voice: "xx-nowhere" } } } },
    ]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    rt.config.metadata.model_parsers = { "voice-a": "local-tts", "voice-b": "espeak" };
    assert.equal(rt.registry.find("voice-a", rt.config.metadata.model_parsers), espeakProvider);
    assert.equal(rt.registry.find("espeak-ng"), espeakProvider);
    await assert.rejects(rt.resolve("empty"), SpeechInputError);
    await assert.rejects(rt.run("bad"), /prompt "bad": setting "pitch" must be an integer from 0 to 99, got 120/);
    assert.equal(rt.config.prompts[1]?.outputs, undefined);
    await assert.rejects(rt.run("unknown voice"), {
      name: "ProviderError",
      message: /failed on provider "espeak": espeak-ng \(voice "xx-nowhere"\)/,
    });
    const [error] = rt.config.prompts[2]?.outputs ?? [];
    assert.equal(error?.output_type, "error");
    assert.equal(error?.ename, "EspeakError");
  });

  test("a cancelled run keeps the earlier outputs", async () => {
    const path = speechFile("abort", [{ name: "speak", input: "Never spoken.", metadata: { model: "espeak" } }]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(rt.run("speak", {}, { signal: controller.signal }), RunAbortedError);
    assert.equal(rt.config.prompts[0]?.outputs, undefined);
  });
});
