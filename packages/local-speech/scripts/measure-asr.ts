/**
 * Measures how well pocketsphinx recognizes speech made by espeak-ng: the word
 * error rate of open dictation (default language model) on 10 sentences, and
 * the share of 17 voice commands recognized exactly with the commands as
 * `phrases`, for several voices and speeds. Prints Markdown tables.
 *
 * Usage (from the repository root):
 *   node --conditions=source --import tsx packages/local-speech/scripts/measure-asr.ts
 */
import { readEspeakSettings, readPocketsphinxSettings, synthesize, transcribe, wordErrorRate } from "../src/index.js";
import { VOICE_COMMANDS } from "../src/testdata/voice-commands.js";

const SENTENCES = [
  "the quick brown fox jumps over the lazy dog",
  "please turn on the lights in the kitchen",
  "what is the weather like today",
  "open the door and close the window",
  "i would like a cup of coffee",
  "the meeting starts at ten in the morning",
  "call my mother on the phone",
  "set a timer for five minutes",
  "the children are playing in the garden",
  "stop the music and go to sleep",
];

const COMMANDS = VOICE_COMMANDS;

const VOICES: Record<string, unknown>[] = [
  { voice: "en-us", speed: 175 },
  { voice: "en-us", speed: 150 },
  { voice: "en-us", speed: 120 },
  { voice: "en", speed: 175 },
  { voice: "en-us+f3", speed: 160 },
  { voice: "en-gb-scotland", speed: 175 },
];

const signal = new AbortController().signal;
const dictation = readPocketsphinxSettings({}, "measure", undefined);
const phrases = readPocketsphinxSettings({ phrases: COMMANDS }, "measure", undefined);

console.log("| voice | speed (wpm) | dictation WER, 10 sentences | phrases: commands recognized exactly |");
console.log("| --- | --- | --- | --- |");
for (const voice of VOICES) {
  const settings = readEspeakSettings(voice, "measure");
  const pairs: [string, string][] = [];
  for (const sentence of SENTENCES) {
    pairs.push([sentence, (await transcribe(await synthesize(sentence, settings), "audio/wav", dictation, signal)).text]);
  }
  let exact = 0;
  const misses: string[] = [];
  for (const command of COMMANDS) {
    const heard = (await transcribe(await synthesize(command, settings), "audio/wav", phrases, signal)).text;
    if (heard === command) exact++;
    else misses.push(`"${command}" → "${heard}"`);
  }
  const wer = (wordErrorRate(pairs) * 100).toFixed(1);
  console.log(
    `| ${settings.voice} | ${settings.speed} | ${wer}% | ${exact}/${COMMANDS.length}${misses.length ? ` (${misses.join("; ")})` : ""} |`,
  );
  console.error(
    `  dictation samples (${settings.voice} ${settings.speed}): ${pairs
      .slice(0, 3)
      .map(([, h]) => JSON.stringify(h))
      .join(", ")}`,
  );
}
