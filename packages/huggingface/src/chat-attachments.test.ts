/**
 * Image attachments on Text Generation's chat route: sent as OpenAI-style
 * content parts (`{type: "text"}`, `{type: "image_url", image_url: {url}}`),
 * as Hugging Face's chat completion API takes them for vision language models
 * (https://huggingface.co/docs/inference-providers/tasks/chat-completion), for
 * the prompt and for earlier turns of its chat context.
 *
 * The image is the recorded input `cheetah.png` (../shared/fixtures/providers/huggingface),
 * copied beside an aiconfig file written to a temporary folder and loaded from
 * there, so the attachment is read by core's rules for files. The reply is the
 * recorded chat-completion-mistral.json (no recording of a vision model's
 * answer exists; these tests are about the request the server received).
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { AIConfigRuntime, AttachmentError, type ExecuteResult, InvalidInputError, type Prompt } from "@aiconfig-ts/core";
import { fixture, setUpReplayRuntimes } from "@aiconfig-ts/testing";
import { register } from "./register.js";
import { readRecorded, recordedInput, recordedReply } from "./test-support.js";
import type { ChatRequest } from "./text-generation.js";

const replay = setUpReplayRuntimes({
  tempPrefix: "huggingface-chat-images-",
  env: (url) => ({ HF_TOKEN: "hf_test_token", HF_INFERENCE_ENDPOINT: url }),
  runtimeClass: AIConfigRuntime,
  register: (rt) => register(rt.registry),
});

const MODEL = "Qwen/Qwen2.5-VL-7B-Instruct";
const QUESTION = "What animal is in this picture?";
const CHEETAH_URL = "https://huggingface.co/datasets/huggingface/documentation-images/resolve/main/cheetah.png";
const cheetahDataUrl = () => `data:image/png;base64,${Buffer.from(recordedInput("cheetah.png")).toString("base64")}`;

const cheetahFile = { data: { kind: "file_uri", value: "cheetah.png" }, mime_type: "image/png" };

/** The prompts written as an aiconfig file in a new folder of the temporary folder, with cheetah.png beside it, loaded. */
let folders = 0;
function load(prompts: Prompt[]) {
  const dir = join(replay.dir, `case-${++folders}`);
  mkdirSync(dir);
  copyFileSync(fixture("huggingface", "cheetah.png"), join(dir, "cheetah.png"));
  const path = join(dir, "chat.aiconfig.json");
  writeFileSync(path, JSON.stringify({ name: "images", schema_version: "latest", metadata: {}, prompts }));
  return replay.load(path);
}

const prompt = (name: string, input: Prompt["input"]): Prompt => ({ name, input, metadata: { model: MODEL } });

describe("image attachments on Text Generation's chat route", () => {
  test("a prompt's image file is sent as a data: URL part after the text part; the recorded reply is stored", async () => {
    const rt = load([prompt("look", { data: QUESTION, attachments: [cheetahFile] })]);
    const recorded = readRecorded("chat-completion-mistral.json");
    replay.server.reply(recordedReply(recorded));
    const at = replay.server.requests.length;
    const [answer] = (await rt.run("look")) as ExecuteResult[];
    const sent = replay.server.requests[at]!;
    assert.equal(sent.path, `/models/${MODEL}/v1/chat/completions`);
    assert.deepEqual(sent.body, {
      model: MODEL,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: QUESTION },
            { type: "image_url", image_url: { url: cheetahDataUrl() } },
          ],
        },
      ],
    });
    assert.equal(answer!.data, JSON.parse(recorded.body).choices[0].message.content);
  });

  test("an earlier turn's image goes with that turn's user message; an https URL is sent as is; base64 data and an image with no text are parts too", async () => {
    const png = Buffer.from(recordedInput("cheetah.png")).toString("base64");
    const rt = load([
      prompt("look", { data: QUESTION, attachments: [cheetahFile] }),
      prompt("compare", {
        data: "And these two?",
        attachments: [
          { data: { kind: "file_uri", value: CHEETAH_URL }, mime_type: "image/png" },
          { data: { kind: "base64", value: png }, mime_type: "image/png; charset=binary" },
        ],
      }),
      prompt("only", { data: "", attachments: [cheetahFile] }),
    ]);
    const recorded = readRecorded("chat-completion-mistral.json");
    const said = JSON.parse(recorded.body).choices[0].message.content;
    replay.server.reply(recordedReply(recorded), recordedReply(recorded), recordedReply(recorded));
    const at = replay.server.requests.length;
    await rt.run("look");
    await rt.run("compare");
    await rt.run("only");
    const lookTurn = [
      {
        role: "user",
        content: [
          { type: "text", text: QUESTION },
          { type: "image_url", image_url: { url: cheetahDataUrl() } },
        ],
      },
      { role: "assistant", content: said },
    ];
    const compareTurn = [
      {
        role: "user",
        content: [
          { type: "text", text: "And these two?" },
          { type: "image_url", image_url: { url: CHEETAH_URL } },
          { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
        ],
      },
    ];
    assert.deepEqual(replay.server.requests[at + 1]!.body.messages, [...lookTurn, ...compareTurn]);
    assert.deepEqual(replay.server.requests[at + 2]!.body.messages, [
      ...lookTurn,
      ...compareTurn,
      { role: "assistant", content: said },
      { role: "user", content: [{ type: "image_url", image_url: { url: cheetahDataUrl() } }] },
    ]);
  });

  /** Runs `name` expecting a one-line refusal matching `message`; asserts that nothing was sent. */
  async function refused(rt: AIConfigRuntime, name: string, kind: (e: unknown) => boolean, message: RegExp) {
    const count = replay.server.requests.length;
    await assert.rejects(rt.run(name), (error: Error) => {
      assert.ok(kind(error), `${error.name}: ${error.message}`);
      assert.match(error.message, message);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
    assert.equal(replay.server.requests.length, count, "nothing sent");
  }

  test("fault: an attachment that is no image fails in one line naming the prompt, the attachment and what the chat route takes; nothing is sent", async () => {
    const pdf = { data: { kind: "file_uri", value: "cheetah.png" }, mime_type: "application/pdf" };
    const rt = load([prompt("read", { data: "Summarize", attachments: [cheetahFile, pdf] }), prompt("follow", "And then?")]);
    const isInput = (e: unknown) => InvalidInputError.isInstance(e);
    await refused(
      rt,
      "read",
      isInput,
      /^prompt "read": input\.attachments\[1\] has MIME type application\/pdf, which the Hugging Face chat route does not take: it sends images only \(image\/\*\): remove the attachment/,
    );
    await refused(
      rt,
      "follow",
      isInput,
      /^prompt "follow": input\.attachments\[1\] of prompt "read" \(an earlier turn of its chat\) has MIME type application\/pdf, which the Hugging Face chat route does not take/,
    );
  });

  test("fault: an attachment on a tool's result fails in one line (a tool message is text only); nothing is sent", async () => {
    const rt = load([prompt("answer", { role: "tool", tool_call_id: "call_1", data: "18 degrees", attachments: [cheetahFile] })]);
    await refused(
      rt,
      "answer",
      (e) => InvalidInputError.isInstance(e),
      /^prompt "answer": input\.attachments\[0\] is on a tool's result, which the chat route sends as text only: remove it/,
    );
  });

  test("serialize: a user message of text and image_url parts gives a prompt with image attachments (data: URL as base64, an https URL as file_uri); resolving gives the same messages", async () => {
    const rt = replay.runtime({ name: "s", schema_version: "latest", metadata: {}, prompts: [] });
    const messages = [
      {
        role: "user",
        content: [
          { type: "text", text: QUESTION },
          { type: "image_url", image_url: { url: cheetahDataUrl() } },
          { type: "image_url", image_url: { url: CHEETAH_URL } },
        ],
      },
      { role: "assistant", content: "A cheetah." },
      { role: "user", content: "How fast does it run?" },
    ];
    const prompts = (await rt.serialize(MODEL, { model: MODEL, messages }, "ask")) as Prompt[];
    assert.deepEqual(prompts[0]!.input, {
      data: QUESTION,
      attachments: [
        { data: { kind: "base64", value: Buffer.from(recordedInput("cheetah.png")).toString("base64") }, mime_type: "image/png" },
        { data: { kind: "file_uri", value: CHEETAH_URL }, mime_type: "image/png" },
      ],
    });
    const again = replay.runtime({ name: "s", schema_version: "latest", metadata: {}, prompts });
    const request = (await again.resolve("ask")) as ChatRequest;
    assert.deepEqual(request.args.messages, messages);
  });

  test("files are untrusted: an image path out of the file's folder, of the prompt or of an earlier turn, is refused by core's rules (which refused it before this route sent images too); nothing is read or sent", async () => {
    writeFileSync(join(replay.dir, "outside.png"), recordedInput("cheetah.png"));
    const outside = { data: { kind: "file_uri", value: "../outside.png" }, mime_type: "image/png" };
    const rt = load([prompt("peek", { data: QUESTION, attachments: [outside] }), prompt("next", "And now?")]);
    const isAttachment = (e: unknown) => e instanceof AttachmentError;
    await refused(rt, "peek", isAttachment, /attachment "\.\.\/outside\.png" is refused: it goes up out of the folder/);
    await refused(rt, "next", isAttachment, /attachment "\.\.\/outside\.png" is refused: it goes up out of the folder/);
  });
});
