import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidInputError } from "../errors.js";
import type { ResolvedAttachment } from "../provider.js";
import { firstAttachment, mimeTypeMatches, requireAttachment } from "./first-attachment.js";

/** Attachments as the runtime resolves them (constructed: only the MIME type matters here). */
function attachment(mimeType: string, uri: string): ResolvedAttachment {
  return { attachment: { data: uri, mime_type: mimeType }, mimeType, uri, bytes: async () => new Uint8Array() };
}
const TEXT = attachment("text/plain", "/notes.txt");
const IMAGE = attachment("image/png", "/cat.png");
const AUDIO = attachment("Audio/WAV; rate=16000", "/speech.wav");
const EXAMPLE = '{"data": "speech.wav", "mime_type": "audio/wav"}';

describe("requireAttachment", () => {
  test("picks the first attachment whose MIME type matches, skipping others before it", () => {
    assert.equal(requireAttachment([TEXT, IMAGE, AUDIO], ["audio/*"], "p", "speech recognition", EXAMPLE), AUDIO);
    assert.equal(firstAttachment([IMAGE, AUDIO], ["audio/*", "image/*"]), IMAGE);
  });

  test("MIME types match by pattern, ignoring case and parameters", () => {
    assert.ok(mimeTypeMatches("Audio/WAV; rate=16000", "audio/wav"));
    assert.ok(mimeTypeMatches("audio/wav", "audio/*"));
    assert.ok(!mimeTypeMatches("audiobook/wav", "audio/*"));
    assert.ok(!mimeTypeMatches("image/png", "image/jpeg"));
  });

  test("no matching attachment is one line naming the prompt, the task, the media and the attachment to add", () => {
    assert.throws(
      () => requireAttachment([TEXT], ["audio/*"], "transcribe", "speech recognition", EXAMPLE),
      (e: Error) =>
        InvalidInputError.isInstance(e) &&
        e.message === `prompt "transcribe": speech recognition needs an audio attachment: add input.attachments [${EXAMPLE}]`,
    );
  });

  test("a package's own error kind and wording are used when given", () => {
    class MissingAttachment extends Error {}
    assert.throws(
      () =>
        requireAttachment([], ["image/*"], "caption", "image-to-text", "{}", {
          kind: "picture",
          hint: "or an image URL",
          invalid: (m) => new MissingAttachment(m),
        }),
      (e: Error) =>
        e instanceof MissingAttachment && e.message.includes("needs a picture attachment") && e.message.endsWith(", or an image URL"),
    );
  });
});
