import assert from "node:assert/strict";
import { test } from "node:test";
import { AttachmentPathError, MissingOutputError, MissingParameterError } from "@aiconfig-ts/core";
import { editorMessage } from "./editor-messages.js";

test("core's errors are said in the editor's words: panels and buttons, not CLI flags", () => {
  assert.equal(
    editorMessage(new MissingParameterError("hero", "story")),
    'prompt "story" uses parameter "hero" but nothing defines it: add a value in Parameters (hero) of this prompt, or in the global parameters',
  );
  assert.equal(
    editorMessage(new MissingOutputError("story", "summary")),
    'prompt "summary" uses the output of prompt "story", which has no output yet: run "story" first, or use ▶▶ With dependencies',
  );
  const refused = editorMessage(new AttachmentPathError("/etc/hostname", "it is an absolute path", { prompt: "look" }));
  assert.equal(
    refused,
    'prompt "look": attachment "/etc/hostname" is refused: it is an absolute path: attachments are read only inside the config\'s folder; pick the file again in Attachments (it is then stored there)',
  );
  for (const m of [refused, editorMessage(new MissingParameterError("x", "p"))]) assert.doesNotMatch(m, /--|-p |VALUE/);
});
