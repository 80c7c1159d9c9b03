import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { readWavInfo } from "./wav.js";

const dir = mkdtempSync(join(tmpdir(), "wav-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("readWavInfo on files sox writes", () => {
  test("a quarter second of stereo 8 kHz 16-bit sine", () => {
    const path = join(dir, "sine.wav");
    execFileSync("sox", ["-n", "-r", "8000", "-c", "2", "-b", "16", path, "synth", "0.25", "sine", "440"]);
    const info = readWavInfo(readFileSync(path));
    assert.deepEqual(info, {
      format: 1,
      channels: 2,
      sampleRate: 8000,
      bitsPerSample: 16,
      dataBytes: 8000,
      dataOffset: 44,
      durationSeconds: 0.25,
    });
  });

  test("a WAV written to a pipe (data size unknown in the header) is read to the end of the bytes", () => {
    const bytes = execFileSync("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", "-t", "wav", "-", "synth", "0.5", "sine", "300"]);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const info = readWavInfo(bytes)!;
    assert.ok(view.getUint32(info.dataOffset - 4, true) > bytes.length, "sox leaves a placeholder size when it cannot seek back");
    assert.equal(info.dataBytes, bytes.length - info.dataOffset);
    assert.equal(info.sampleRate, 16000);
    assert.equal(info.durationSeconds, 0.5);
  });

  test("not a WAV: a FLAC file, and a RIFF header cut short", () => {
    const flac = join(dir, "sine.flac");
    execFileSync("sox", ["-n", "-r", "8000", flac, "synth", "0.1", "sine", "440"]);
    assert.equal(readWavInfo(readFileSync(flac)), undefined);
    const wav = join(dir, "short.wav");
    execFileSync("sox", ["-n", "-r", "8000", wav, "synth", "0.1", "sine", "440"]);
    assert.equal(readWavInfo(readFileSync(wav).subarray(0, 30)), undefined);
  });
});
