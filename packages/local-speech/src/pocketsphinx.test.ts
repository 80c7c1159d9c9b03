import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { AIConfigRuntime, ProviderRegistry, RunAbortedError } from "@aiconfig-ts/core";
import { PocketsphinxError, SpeechInputError, SpeechSettingsError } from "./errors.js";
import { synthesize } from "./espeak-engine.js";
import { readEspeakSettings } from "./espeak-settings.js";
import { VOICE_COMMANDS } from "./testdata/voice-commands.js";
import { normalizePhrase, phrasesGrammar } from "./jsgf.js";
import { soxType, transcribe } from "./pocketsphinx-engine.js";
import { readPocketsphinxSettings } from "./pocketsphinx-settings.js";
import { register } from "./register.js";
import { readWavInfo } from "./wav.js";
import { wordErrorRate, wordErrors } from "./word-error-rate.js";

const dir = mkdtempSync(join(tmpdir(), "pocketsphinx-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const never = new AbortController().signal;

const COMMANDS = VOICE_COMMANDS;

function speak(text: string, settings: Record<string, unknown> = {}): Promise<Uint8Array> {
  return synthesize(text, readEspeakSettings(settings, "t"));
}

describe("grammars and word error rate", () => {
  test("phrases become a JSGF grammar of alternatives, normalized and without duplicates", () => {
    assert.equal(normalizePhrase("  Turn ON the lights, please!  "), "turn on the lights please");
    assert.equal(normalizePhrase("Don't stop"), "don't stop");
    assert.equal(
      phrasesGrammar(["Yes!", "no", "yes", "Open the door."], "p"),
      "#JSGF V1.0;\ngrammar phrases;\npublic <phrase> = ( yes ) | ( no ) | ( open the door ) ;\n",
    );
    assert.throws(() => phrasesGrammar(["?!", " "], "p"), SpeechSettingsError);
  });

  test("word errors: substitutions, deletions and insertions over the reference's words", () => {
    assert.deepEqual(wordErrors("the quick brown fox", "The quick brown fox."), { errors: 0, words: 4 });
    assert.deepEqual(wordErrors("the quick brown fox", "a quick fox jumps"), { errors: 3, words: 4 });
    assert.deepEqual(wordErrors("open the door", ""), { errors: 3, words: 3 });
    assert.equal(
      wordErrorRate([
        ["open the door", "open the door"],
        ["stop", "stop it now"],
      ]),
      0.5,
    );
  });

  test("settings: phrases or a grammar (not both), model paths against the aiconfig file's folder", () => {
    assert.deepEqual(readPocketsphinxSettings({}, "p", "/cfg"), { mode: "dictation" });
    assert.deepEqual(readPocketsphinxSettings({ phrases: ["Yes", "no"], hmm: "models/en", dict: "/abs/x.dict" }, "p", "/cfg"), {
      mode: "phrases",
      grammar: phrasesGrammar(["yes", "no"], "p"),
      hmm: "/cfg/models/en",
      dict: "/abs/x.dict",
    });
    assert.equal(readPocketsphinxSettings({ grammar: "#JSGF V1.0; grammar g; public <a> = yes;" }, "p", undefined).mode, "grammar");
    assert.throws(() => readPocketsphinxSettings({ phrases: ["yes"], grammar: "#JSGF V1.0;" }, "listen", "/"), {
      name: "SpeechSettingsError",
      message: 'prompt "listen": settings "phrases" and "grammar" both say what may be heard: keep one of them',
    });
    assert.throws(
      () => readPocketsphinxSettings({ phrases: "yes" }, "p", "/"),
      /setting "phrases" must be a list of strings, e\.g\. \["yes", "no"\], got "yes"/,
    );
    assert.equal(soxType("audio/x-wav"), "wav");
    assert.equal(soxType("audio/flac; rate=16000"), "flac");
  });
});

describe("pocketsphinx on speech made by espeak-ng", () => {
  test("with the commands as phrases, each command said is the one recognized (one-word differences included)", async () => {
    const phrases = readPocketsphinxSettings({ phrases: COMMANDS }, "t", undefined);
    for (const command of ["turn off the lights in the kitchen", "set a timer for nine minutes", "call my brother", "close the window"]) {
      const heard = await transcribe(await speak(command), "audio/wav", phrases, never);
      assert.equal(heard.text, command);
      assert.deepEqual(heard.utterances, [command]);
      assert.ok(heard.durationSeconds > 0.5);
    }
  });

  test("open dictation (the default language model) hears part of a sentence; the same audio with phrases is exact", async () => {
    const sentence = "what is the weather like today";
    const wav = await speak(sentence);
    const dictated = await transcribe(wav, "audio/wav", readPocketsphinxSettings({}, "t", undefined), never);
    assert.match(dictated.text, /^what is the weather/);
    const phrased = await transcribe(wav, "audio/wav", readPocketsphinxSettings({ phrases: COMMANDS }, "t", undefined), never);
    assert.equal(phrased.text, sentence);
    assert.ok(wordErrors(sentence, phrased.text).errors < wordErrors(sentence, dictated.text).errors);
  });

  test("audio already at 16 kHz mono, and FLAC audio, are read too", async () => {
    const source = join(dir, "stop.wav");
    writeFileSync(source, await speak("stop the music"));
    const wav16 = join(dir, "stop16.wav");
    const flac = join(dir, "stop.flac");
    execFileSync("sox", [source, "-r", "16000", "-c", "1", "-b", "16", wav16]);
    execFileSync("sox", [source, "-r", "16000", flac]);
    const settings = readPocketsphinxSettings({ phrases: COMMANDS }, "t", undefined);
    const bytes16 = readFileSync(wav16);
    assert.equal(readWavInfo(bytes16)?.sampleRate, 16000);
    assert.equal((await transcribe(bytes16, "audio/wav", settings, never)).text, "stop the music");
    assert.equal((await transcribe(readFileSync(flac), "audio/flac", settings, never)).text, "stop the music");
  });

  test("failures name the cause: a phrase word not in the dictionary, audio sox cannot read, a missing program", async () => {
    const wav = await speak("open the door");
    await assert.rejects(
      transcribe(wav, "audio/wav", readPocketsphinxSettings({ phrases: ["open the blorptastic"] }, "t", undefined), never),
      {
        name: "PocketsphinxError",
        message: "pocketsphinx failed: The word 'blorptastic' is missing in the dictionary",
      },
    );
    await assert.rejects(transcribe(new TextEncoder().encode("not audio"), "audio/wav", { mode: "dictation" }, never), (e: unknown) => {
      assert.ok(e instanceof PocketsphinxError);
      assert.match(e.message, /^sox cannot read the audio\/wav audio: /);
      return true;
    });
    const path = process.env.PATH;
    process.env.PATH = dir;
    try {
      await assert.rejects(transcribe(wav, "audio/wav", { mode: "dictation" }, never), {
        name: "PocketsphinxError",
        message:
          "sox is not installed: install it with `bash scripts/install-system-deps.sh` (Debian: apt-get install pocketsphinx pocketsphinx-en-us sox)",
      });
    } finally {
      process.env.PATH = path;
    }
  });
});

function listenFile(name: string, prompts: unknown[]): string {
  const path = join(dir, `${name}.aiconfig.json`);
  writeFileSync(
    path,
    JSON.stringify({
      name,
      schema_version: "latest",
      metadata: { models: { pocketsphinx: { phrases: COMMANDS } }, parameters: { command: "turn on the lights in the bedroom" } },
      prompts,
    }),
  );
  return path;
}

describe("text -> speech -> text through the runtime", () => {
  test("{{speak.output}} hands the WAV to the recognizer, which gives back the command", async () => {
    const path = listenFile("round-trip", [
      { name: "speak", input: "{{command}}", metadata: { model: "espeak-ng" } },
      { name: "listen", input: "{{speak.output}}", metadata: { model: "pocketsphinx" } },
    ]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    const outputs = await rt.runWithDependencies("listen");
    assert.equal(rt.getOutputText("listen"), "turn on the lights in the bedroom");
    const metadata = outputs[0]?.metadata as { utterances: string[]; duration_seconds: number; mode: string };
    assert.deepEqual(metadata.utterances, ["turn on the lights in the bedroom"]);
    assert.equal(metadata.mode, "phrases");
    assert.ok(metadata.duration_seconds > 1, `${metadata.duration_seconds} s`);
    const request = (await rt.resolve("listen")) as Record<string, unknown>;
    assert.deepEqual(request.audio, { mime_type: "audio/wav" });
    assert.equal(request.mode, "phrases");
    // Another command, passed as a run parameter.
    await rt.runWithDependencies("listen", { command: "set a timer for ten minutes" });
    assert.equal(rt.getOutputText("listen"), "set a timer for ten minutes");
  });

  test("an audio file attachment (relative to the aiconfig file) is transcribed; a prompt without audio fails before running", async () => {
    writeFileSync(join(dir, "door.wav"), await speak("close the door"));
    const path = listenFile("attachment", [
      {
        name: "listen",
        input: { data: "", attachments: [{ data: { kind: "file_uri", value: "door.wav" }, mime_type: "audio/wav" }] },
        metadata: { model: "local-asr-model" },
      },
      { name: "no audio", input: "close the door", metadata: { model: "pocketsphinx" } },
    ]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    rt.config.metadata.model_parsers = { "local-asr-model": "local-asr" };
    rt.config.metadata.models = { "local-asr-model": { phrases: COMMANDS } };
    assert.deepEqual(((await rt.resolve("listen")) as { audio: unknown }).audio, { mime_type: "audio/wav", uri: join(dir, "door.wav") });
    await rt.run("listen");
    assert.equal(rt.getOutputText("listen"), "close the door");
    await assert.rejects(rt.run("no audio"), (e: unknown) => {
      assert.ok(e instanceof SpeechInputError);
      assert.match(e.message, /^prompt "no audio": speech recognition needs an audio attachment/);
      return true;
    });
  });

  test("cancelling a recognition stops it and keeps the earlier outputs", async () => {
    writeFileSync(join(dir, "long.wav"), await speak(COMMANDS.join(". ")));
    const path = listenFile("abort", [
      {
        name: "listen",
        input: { attachments: [{ data: { kind: "file_uri", value: "long.wav" }, mime_type: "audio/wav" }] },
        metadata: { model: { name: "pocketsphinx", settings: { phrases: null } } },
      },
    ]);
    const rt = AIConfigRuntime.load(path, { registry: register(new ProviderRegistry()) });
    const controller = new AbortController();
    const running = rt.run("listen", {}, { signal: controller.signal });
    setImmediate(() => controller.abort());
    await assert.rejects(running, RunAbortedError);
    assert.equal(rt.config.prompts[0]?.outputs, undefined);
  });
});
