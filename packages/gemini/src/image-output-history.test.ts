/**
 * Multi-turn image editing: a prompt whose reply is an image model's text and
 * image, then a prompt asking for a change. The second request must carry
 * the model turn as the reply gave it: its text and the image as an
 * `inlineData` part (read from where the runtime stored it: inline base64,
 * or a file beside the aiconfig file), each with its thought signature, in
 * the reply's order.
 *
 * Constructed: no recorded Gemini image reply exists in ../shared. The
 * replies here are written in the shape of the generateContent reference and
 * the image-generation docs (a Gemini 3 Pro Image reply: a thought summary, a
 * thought image, then the signed text and signed image; a Gemini 2.5 Flash
 * Image reply: text and images interleaved, unsigned), with the real image
 * bytes of ../shared/fixtures/providers/huggingface/cheetah.png as the
 * generated image. They are listed in packages/testing/SOURCE.md.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, AttachmentError, type ExecuteResult, type Prompt } from "@aiconfig-ts/core";
import { fixture, setUpReplayRuntimes } from "@aiconfig-ts/testing";
import type { GeminiRequest } from "./build-gemini-request.js";
import { geminiProvider } from "./gemini-provider.js";
import { register } from "./register.js";

const MODEL = "gemini-3-pro-image-preview";
const replay = setUpReplayRuntimes({
  tempPrefix: "gemini-images-",
  env: (url) => ({ GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: url }),
  runtimeClass: AIConfigRuntime,
  register: (rt) => register(rt.registry),
});
const { runtime } = replay;

/** The generated image: real PNG bytes. */
const CHEETAH = readFileSync(fixture("huggingface", "cheetah.png")).toString("base64");
/** A 1x1 PNG: the interim thought image of the Gemini 3 Pro Image reply (not kept), and a second image elsewhere. */
const SMALL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const TEXT = "Here is a cheetah resting in tall grass.";
const TEXT_SIGNATURE = "EpUBCpIBAXLI2nw7dGV4dC1zaWduYXR1cmU=";
const IMAGE_SIGNATURE = "EqoDCqcDAXLI2nwaW1hZ2Utc2lnbmF0dXJl";

/** Constructed: a Gemini 3 Pro Image reply (thought summary, thought image, signed text, signed image). */
const proImageReply = {
  candidates: [
    {
      content: {
        role: "model",
        parts: [
          { text: "**Composing the scene**\n\nA cheetah, low sun, tall grass.", thought: true },
          { inlineData: { mimeType: "image/png", data: SMALL_PNG }, thought: true },
          { text: TEXT, thoughtSignature: TEXT_SIGNATURE },
          { inlineData: { mimeType: "image/png", data: CHEETAH }, thoughtSignature: IMAGE_SIGNATURE },
        ],
      },
      finishReason: "STOP",
      index: 0,
    },
  ],
  usageMetadata: { promptTokenCount: 12, candidatesTokenCount: 1310, totalTokenCount: 1322 },
  modelVersion: MODEL,
  responseId: "img-1",
};

/** Constructed: the answer to the edit (any reply: the test reads the request that asked for it). */
const editReply = {
  candidates: [{ content: { role: "model", parts: [{ text: "Done: the grass is now golden." }] }, finishReason: "STOP", index: 0 }],
  modelVersion: MODEL,
};

/** A chat of an image model: "draw", then "edit" (the prompt asking for a change). */
function imageChat(model = MODEL): AIConfig {
  return {
    name: "images",
    schema_version: "latest",
    metadata: { models: { [model]: { response_modalities: ["TEXT", "IMAGE"] } } },
    prompts: [
      { name: "draw", input: "Draw a cheetah resting in tall grass.", metadata: { model } },
      { name: "edit", input: "Make the grass golden.", metadata: { model } },
    ],
  };
}

const drawTurn = { role: "user", parts: [{ text: "Draw a cheetah resting in tall grass." }] };
const editTurn = { role: "user", parts: [{ text: "Make the grass golden." }] };
const signedModelTurn = {
  role: "model",
  parts: [
    { text: TEXT, thoughtSignature: TEXT_SIGNATURE },
    { inlineData: { mimeType: "image/png", data: CHEETAH }, thoughtSignature: IMAGE_SIGNATURE },
  ],
};

/** Runs "edit" on the replay server and returns the contents of the request it sent. */
async function editRequestContents(rt: AIConfigRuntime): Promise<unknown> {
  replay.server.reply({ json: editReply });
  const first = replay.server.requests.length;
  await rt.run("edit");
  assert.equal(replay.server.requests.length, first + 1);
  return replay.server.requests[first]!.body.contents;
}

describe("an image model's reply goes back in the chat context with its signatures (constructed replies)", () => {
  test("stored inline: the text output keeps the text's signature, the image output its own and its place; the edit request sends text then image, each signed", async () => {
    const rt = runtime(imageChat());
    replay.server.reply({ json: proImageReply });
    const outputs = (await rt.run("draw")) as ExecuteResult[];
    // the thought image is not kept; the image is an output of its own after the text
    assert.equal(outputs.length, 2);
    assert.equal(outputs[0]!.data, TEXT);
    assert.deepEqual(outputs[0]!.metadata?.thoughtSignatures, { text: TEXT_SIGNATURE });
    assert.deepEqual(outputs[1]!.data, { kind: "base64", value: CHEETAH });
    assert.equal(outputs[1]!.mime_type, "image/png");
    assert.deepEqual(outputs[1]!.metadata?.thoughtSignatures, { inlineData: IMAGE_SIGNATURE });
    assert.equal(outputs[1]!.metadata?.textBefore, TEXT.length);
    assert.equal(outputs[1]!.metadata?.finishReason, "STOP");

    assert.deepEqual(await editRequestContents(rt), [drawTurn, signedModelTurn, editTurn]);
  });

  test("stored as a file beside the aiconfig file (outputFiles), saved and loaded again: the edit request reads the image from that file and sends it with its signature", async () => {
    const path = join(replay.dir, "files.aiconfig.json");
    writeFileSync(path, JSON.stringify(imageChat()));
    const open = () => {
      const rt = AIConfigRuntime.load(path, { env: replay.env(), outputFiles: true });
      register(rt.registry);
      return rt;
    };
    const rt = open();
    replay.server.reply({ json: proImageReply });
    const outputs = (await rt.run("draw")) as ExecuteResult[];
    const stored = outputs[1]!.data as { kind: string; value: string };
    assert.equal(stored.kind, "file_uri");
    assert.match(stored.value, /^files\.aiconfig\.outputs\/draw-[a-z0-9]+\.png$/);
    assert.equal(readFileSync(join(replay.dir, stored.value)).toString("base64"), CHEETAH);
    rt.save(path);
    assert.ok(!readFileSync(path, "utf8").includes(CHEETAH.slice(0, 200)), "the file holds the path, not the bytes");

    assert.deepEqual(await editRequestContents(open()), [drawTurn, signedModelTurn, editTurn]);
  });

  test("streamed: the image and its signature arrive in the last chunk; the edit request is the same", async () => {
    const rt = runtime(imageChat());
    const [candidate] = proImageReply.candidates;
    const parts = candidate!.content.parts;
    const chunk = (p: unknown[], extra: object = {}) =>
      JSON.stringify({ candidates: [{ content: { role: "model", parts: p }, index: 0, ...extra }], modelVersion: MODEL });
    replay.server.reply({
      sse: [chunk([parts[0], parts[1]]), chunk([parts[2]]), chunk([parts[3]], { finishReason: "STOP" })],
    });
    const deltas: string[] = [];
    await rt.run("draw", {}, { onStream: (c) => deltas.push(c.delta) });
    assert.deepEqual(deltas, [TEXT]);
    assert.deepEqual(await editRequestContents(rt), [drawTurn, signedModelTurn, editTurn]);
  });

  test("Gemini 2.5 Flash Image (unsigned, text and images interleaved; constructed): the model turn keeps the reply's order, no signature is made up for the images", async () => {
    const model = "gemini-2.5-flash-image";
    const rt = runtime(imageChat(model));
    const parts = [
      { text: "Step 1: the grass." },
      { inlineData: { mimeType: "image/png", data: SMALL_PNG } },
      { text: "Step 2: the cheetah." },
      { inlineData: { mimeType: "image/png", data: CHEETAH } },
    ];
    replay.server.reply({
      json: { candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }], modelVersion: model },
    });
    const outputs = (await rt.run("draw")) as ExecuteResult[];
    assert.deepEqual(
      outputs.map((o) => [o.metadata?.textBefore, o.metadata?.thoughtSignatures]),
      [
        [undefined, undefined],
        [18, undefined],
        [38, undefined],
      ],
    );
    // the reply's parts as they came, none given a signature
    assert.deepEqual(await editRequestContents(rt), [drawTurn, { role: "model", parts }, editTurn]);
  });
});

describe("image outputs written by hand or by older versions (constructed files)", () => {
  /** The chat with "draw"'s outputs as a file holds them. */
  function withOutputs(outputs: ExecuteResult[]): AIConfig {
    const config = imageChat();
    config.prompts[0]!.outputs = outputs;
    return config;
  }

  test("a TTS model's audio output (not an image) does not go back as a model turn, and its file is not read: only images do", async () => {
    const tts = "gemini-2.5-flash-preview-tts";
    const config = imageChat(tts);
    config.prompts[0]!.outputs = [
      {
        output_type: "execute_result",
        execution_count: 0,
        // a path that does not exist: reading it would fail the resolve
        data: { kind: "file_uri", value: "speech.aiconfig.outputs/draw-gone.wav" },
        mime_type: "audio/L16;codec=pcm;rate=24000",
      },
    ];
    const request = (await runtime(config).resolve("edit")) as GeminiRequest;
    assert.deepEqual(request.contents, [{ role: "user", parts: [...drawTurn.parts, ...editTurn.parts] }]);
  });

  test("an older version's outputs (no textBefore, no signatures): the text, then the image, unsigned", async () => {
    const rt = runtime(
      withOutputs([
        { output_type: "execute_result", execution_count: 0, data: TEXT, metadata: { finishReason: "STOP" } },
        {
          output_type: "execute_result",
          execution_count: 0,
          data: { kind: "base64", value: CHEETAH },
          mime_type: "image/png",
          metadata: { finishReason: "STOP" },
        },
      ]),
    );
    assert.deepEqual(await editRequestContents(rt), [
      drawTurn,
      { role: "model", parts: [{ text: TEXT }, { inlineData: { mimeType: "image/png", data: CHEETAH } }] },
      editTurn,
    ]);
  });

  test("only the latest candidate goes back, and outputs of another candidate before it are not mixed in", async () => {
    const image = (count: number, value: string): ExecuteResult => ({
      output_type: "execute_result",
      execution_count: count,
      data: { kind: "base64", value },
      mime_type: "image/png",
    });
    const rt = runtime(
      withOutputs([
        { output_type: "execute_result", execution_count: 0, data: "First candidate." },
        image(0, SMALL_PNG),
        image(1, CHEETAH),
      ]),
    );
    assert.deepEqual(await editRequestContents(rt), [
      drawTurn,
      { role: "model", parts: [{ inlineData: { mimeType: "image/png", data: CHEETAH } }] },
      editTurn,
    ]);
  });

  for (const [what, value, reason] of [
    ["a path that goes up out of the folder", "../cheetah.png", /goes up out of the folder/],
    ["an absolute path", "/etc/hostname", /is an absolute path/],
    ["a dot-file", ".env", /dot-file/],
  ] as const) {
    test(`attack: an image output naming ${what} is refused in one line naming the prompt and the output; nothing is sent`, async () => {
      const path = join(replay.dir, "attack.aiconfig.json");
      writeFileSync(join(replay.dir, "cheetah.png"), Buffer.from(CHEETAH, "base64"));
      assert.ok(existsSync(join(replay.dir, "cheetah.png")));
      const config = withOutputs([
        { output_type: "execute_result", execution_count: 0, data: { kind: "file_uri", value }, mime_type: "image/png" },
      ]);
      writeFileSync(path, JSON.stringify(config));
      const rt = AIConfigRuntime.load(path, { env: replay.env() });
      register(rt.registry);
      const before = replay.server.requests.length;
      await assert.rejects(rt.run("edit"), (error: Error) => {
        assert.ok(AttachmentError.isInstance(error));
        assert.match(error.message, reason);
        assert.ok(
          error.message.startsWith(
            `prompt "draw": output 1 (at /prompts/0/outputs/0) is an image at ${JSON.stringify(value)}, which is refused: `,
          ),
          error.message,
        );
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
      assert.equal(replay.server.requests.length, before);
    });
  }

  test("fault: an image file stored beside the aiconfig file and since deleted fails in one line naming the prompt, the output and the file, saying to run the prompt again", async () => {
    const path = join(replay.dir, "gone.aiconfig.json");
    const config = withOutputs([
      { output_type: "execute_result", execution_count: 0, data: TEXT },
      {
        output_type: "execute_result",
        execution_count: 0,
        data: { kind: "file_uri", value: "gone.aiconfig.outputs/draw-gone.png" },
        mime_type: "image/png",
      },
    ]);
    writeFileSync(path, JSON.stringify(config));
    const rt = AIConfigRuntime.load(path, { env: replay.env() });
    register(rt.registry);
    await assert.rejects(rt.run("edit"), (error: Error) => {
      assert.ok(AttachmentError.isInstance(error));
      assert.match(
        error.message,
        /^prompt "draw": output 2 \(at \/prompts\/0\/outputs\/1\) is an image at "gone\.aiconfig\.outputs\/draw-gone\.png", which cannot be read \(.*ENOENT\); run the prompt again$/,
      );
      return true;
    });
  });

  for (const [what, value, reason] of [
    ["a file: URL of another host", "file://evil.example/share/cheetah.png", /File URL host must be/],
    ["a file: URL with an encoded /", "file:///cheetah%2fpng", /must not include encoded/],
    ["a data: URL of broken escapes", "data:image/png,%E0%A4%A", /URI malformed|broken %-escape/],
  ] as const) {
    test(`attack: an image output that is ${what} fails in one line naming the prompt and the output (an AttachmentError, not Node's bare error); nothing is sent`, async () => {
      const rt = runtime(
        withOutputs([{ output_type: "execute_result", execution_count: 0, data: { kind: "file_uri", value }, mime_type: "image/png" }]),
      );
      const before = replay.server.requests.length;
      await assert.rejects(rt.run("edit"), (error: Error) => {
        assert.ok(AttachmentError.isInstance(error), `${error.name}: ${error.message}`);
        assert.ok(
          error.message.startsWith(`prompt "draw": output 1 (at /prompts/0/outputs/0) is an image at ${JSON.stringify(value)}, which `),
          error.message,
        );
        // "cannot be read (...)" today; "is refused: ..." once core refuses such file: URLs itself
        assert.match(error.message, /, which (cannot be read \(|is refused: )/);
        assert.match(error.message, reason);
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
      assert.equal(replay.server.requests.length, before);
    });
  }

  test("attack: an image output that is an http(s) URL is not fetched: one line saying to run the prompt again; nothing is sent", async () => {
    const rt = runtime(
      withOutputs([
        {
          output_type: "execute_result",
          execution_count: 0,
          data: { kind: "file_uri", value: `${replay.server.url}/secret.png` },
          mime_type: "image/png",
        },
      ]),
    );
    const before = replay.server.requests.length;
    await assert.rejects(rt.run("edit"), (error: Error) => {
      assert.ok(AttachmentError.isInstance(error));
      assert.match(
        error.message,
        /^prompt "draw": output 1 \(at \/prompts\/0\/outputs\/0\) is an image at "http:\/\/127\.0\.0\.1:\d+\/secret\.png", which is not fetched/,
      );
      assert.match(error.message, /run the prompt again$/);
      return true;
    });
    assert.equal(replay.server.requests.length, before, "neither the image URL nor Gemini was asked");
  });
});

describe("serialize and resolve", () => {
  test("a request whose model turn has text and images (signed and not, interleaved): serialize writes the text output then one image output each; resolving gives the same request, and the SDK sends it as it is", async () => {
    const modelTurn = {
      role: "model",
      parts: [
        { text: "Step 1: the grass.", thoughtSignature: TEXT_SIGNATURE },
        { inlineData: { mimeType: "image/png", data: SMALL_PNG }, thoughtSignature: IMAGE_SIGNATURE },
        { text: "Step 2: the cheetah." },
        { inlineData: { mimeType: "image/png", data: CHEETAH } },
      ],
    };
    const request: GeminiRequest = { model: MODEL, contents: [drawTurn, modelTurn, editTurn] };
    const prompts = (await geminiProvider.serialize?.(request, { promptName: "edit", model: MODEL, parameters: {} })) as Prompt[];
    assert.deepEqual(prompts[0]!.outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: "Step 1: the grass.Step 2: the cheetah.",
        metadata: { role: "model", thoughtSignatures: { text: TEXT_SIGNATURE } },
      },
      {
        output_type: "execute_result",
        execution_count: 0,
        data: { kind: "base64", value: SMALL_PNG },
        mime_type: "image/png",
        metadata: { role: "model", thoughtSignatures: { inlineData: IMAGE_SIGNATURE }, textBefore: 18 },
      },
      {
        output_type: "execute_result",
        execution_count: 0,
        data: { kind: "base64", value: CHEETAH },
        mime_type: "image/png",
        metadata: { role: "model", textBefore: 38 },
      },
    ]);
    const rt = runtime({ name: "s", schema_version: "latest", metadata: {}, prompts });
    assert.deepEqual(await rt.resolve("edit"), request);
    replay.server.reply({ json: editReply });
    const first = replay.server.requests.length;
    await rt.run("edit");
    assert.deepEqual(replay.server.requests[first]!.body.contents, request.contents);
  });

  test("a model turn of one image only: serialize writes the image output alone", async () => {
    const modelTurn = {
      role: "model",
      parts: [{ inlineData: { mimeType: "image/png", data: CHEETAH }, thoughtSignature: IMAGE_SIGNATURE }],
    };
    const request: GeminiRequest = { model: MODEL, contents: [drawTurn, modelTurn, editTurn] };
    const prompts = (await geminiProvider.serialize?.(request, { promptName: "edit", model: MODEL, parameters: {} })) as Prompt[];
    assert.deepEqual(
      prompts[0]!.outputs?.map((o) => (o.output_type === "execute_result" ? o.mime_type : o.output_type)),
      ["image/png"],
    );
    const rt = runtime({ name: "s", schema_version: "latest", metadata: {}, prompts });
    assert.deepEqual(await rt.resolve("edit"), request);
  });
});
