import assert from "node:assert/strict";
import { test } from "node:test";
import { corpusFile } from "@aiconfig-ts/testing";
import { mediaTypeOf, sniffMediaType } from "./media-type.js";
import { outputBytes, readConfig } from "./test-support.js";

const config = readConfig(corpusFile("gradio-notebook__example.aiconfig.json"));
const wav = outputBytes(config, "text_to_speech");
const png = outputBytes(config, "gen_image");

test("recognizes the corpus WAV and PNG by their bytes", () => {
  assert.equal(sniffMediaType(wav), "audio/wav");
  assert.equal(sniffMediaType(png), "image/png");
});

test("recognizes the other formats models return by their signatures", () => {
  const bytes = (s: string) => Buffer.from(s, "latin1");
  assert.equal(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])), "image/jpeg");
  assert.equal(sniffMediaType(bytes("fLaC\0\0\0\x22")), "audio/flac");
  assert.equal(sniffMediaType(bytes("OggS\0\x02")), "audio/ogg");
  assert.equal(sniffMediaType(bytes("ID3\x04\0\0")), "audio/mpeg");
  assert.equal(sniffMediaType(Buffer.from([0xff, 0xfb, 0x90, 0x64])), "audio/mpeg");
  assert.equal(sniffMediaType(bytes("RIFF\0\0\0\0WEBPVP8 ")), "image/webp");
  assert.equal(sniffMediaType(bytes("GIF89a")), "image/gif");
  assert.equal(sniffMediaType(bytes("\0\0\0\x20ftypM4A ")), "audio/mp4");
  assert.equal(sniffMediaType(bytes("hello")), undefined);
  assert.equal(sniffMediaType(new Uint8Array()), undefined);
});

test("the bytes win over the declared type; the declared type, without parameters, over the fallback", () => {
  assert.equal(mediaTypeOf(png, "image/jpeg"), "image/png");
  assert.equal(mediaTypeOf(Buffer.from("????"), "Audio/X-Custom; rate=16000"), "audio/x-custom");
  assert.equal(mediaTypeOf(Buffer.from("????"), "application/octet-stream", "audio/flac"), "audio/flac");
  assert.equal(mediaTypeOf(Buffer.from("????"), "", "image/jpeg"), "image/jpeg");
  assert.equal(mediaTypeOf(Buffer.from("????"), undefined), "application/octet-stream");
});
