import assert from "node:assert/strict";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import type { AIConfig, Attachment, Output, Prompt, ResolvedAttachment } from "@aiconfig-ts/core";
import { corpusFile, fixture } from "@aiconfig-ts/testing";
import { InputError } from "../errors.js";
import { assistantMessage, attachmentPart, inputMessage, messageInputTemplate, systemMessage } from "./convert-to-openai-messages.js";

const huggingfaceFixtures = join(dirname(fixture("openai", "x")), "..", "huggingface");
const cheetahPNG = join(huggingfaceFixtures, "cheetah.png");
const sampleFLAC = join(huggingfaceFixtures, "sample1.flac");

function corpusPrompts(name: string): Prompt[] {
  return (JSON.parse(readFileSync(corpusFile(name), "utf8")) as AIConfig).prompts;
}

/** A resolved attachment as the runtime gives one (constructed: a local file's bytes, or a URL's that are never fetched). */
function resolved(
  mimeType: string,
  source: { path?: string; uri?: string; data?: string },
  metadata?: Record<string, unknown>,
): ResolvedAttachment {
  const attachment = {
    data: source.data ?? { kind: "file_uri", value: source.uri ?? source.path },
    mime_type: mimeType,
    metadata,
  } as Attachment;
  return {
    attachment,
    mimeType,
    uri: source.uri ?? source.path,
    bytes: async () => {
      if (source.path) return new Uint8Array(readFileSync(source.path));
      if (source.data !== undefined) return new TextEncoder().encode(source.data);
      throw new Error(`test: ${source.uri} must not be fetched`);
    },
  };
}

const echo = (t: string) => `<${t}>`;

describe("systemMessage", () => {
  test("a string is rendered as a system message; an old {role: developer} object keeps its role", () => {
    assert.deepEqual(systemMessage("Be {{tone}}", echo, "p"), { role: "system", content: "<Be {{tone}}>" });
    assert.deepEqual(systemMessage({ role: "developer", content: "rules" }, echo, "p"), { role: "developer", content: "<rules>" });
  });

  test("absent or empty means no system message", () => {
    assert.equal(systemMessage(undefined, echo, "p"), undefined);
    assert.equal(systemMessage("", echo, "p"), undefined);
  });

  test("a system_prompt of another shape is an error naming the prompt and the shape to use", () => {
    assert.throws(
      () => systemMessage(42, echo, "greet"),
      (e: unknown) =>
        e instanceof InputError && /^prompt "greet": setting system_prompt must be a string or \{"role": "system"/.test(e.message),
    );
  });
});

describe("messageInputTemplate", () => {
  test("the corpus's TypeScript demo writes its input as {role, content}: the content is the template", () => {
    const [demo] = corpusPrompts("typescript__demo__demo.aiconfig.json");
    assert.equal(messageInputTemplate(demo?.input), "Say this is a {{name}} test");
  });

  test("a plain string input or an input with data has no message template", () => {
    assert.equal(messageInputTemplate("hello"), undefined);
    assert.equal(messageInputTemplate({ data: "hello" }), undefined);
  });
});

describe("attachmentPart", () => {
  test("a remote image (the Gradio notebook example's) is sent by URL, never fetched; metadata.detail is kept", async () => {
    const prompt = corpusPrompts("gradio-notebook__example.aiconfig.json").find((p) => p.name === "image_caption");
    assert.ok(prompt);
    const first = (prompt.input as { attachments: Attachment[] }).attachments[0] as Attachment;
    const uri = (first.data as { value: string }).value;
    const part = await attachmentPart(resolved(first.mime_type ?? "image/png", { uri }, { detail: "low" }), "image_caption", 0);
    assert.deepEqual(part, { type: "image_url", image_url: { url: uri, detail: "low" } });
  });

  test("a local image is sent as a data: URL of its bytes", async () => {
    const part = await attachmentPart(resolved("image/png", { path: cheetahPNG }), "p", 0);
    assert.equal(part.type, "image_url");
    const url = (part as { image_url: { url: string } }).image_url.url;
    assert.ok(url.startsWith("data:image/png;base64,"));
    assert.deepEqual(Buffer.from(url.slice("data:image/png;base64,".length), "base64"), readFileSync(cheetahPNG));
  });

  test("WAV audio becomes input_audio: its bytes in base64, format wav", async () => {
    // Constructed: a 44-byte RIFF header with no samples (no WAV file is stored in the fixtures).
    const header = Buffer.from("UklGRiQAAABXQVZFZm10IBAAAAABAAEAgD4AAAB9AAACABAAZGF0YQAAAAA=", "base64");
    const part = await attachmentPart(
      { ...resolved("audio/wav", { uri: "data:audio/wav;base64,..." }), bytes: async () => new Uint8Array(header) },
      "p",
      0,
    );
    assert.deepEqual(part, { type: "input_audio", input_audio: { data: header.toString("base64"), format: "wav" } });
  });

  test("inline text/plain data is sent as a text part without reading anything", async () => {
    const part = await attachmentPart(resolved("text/plain", { data: "notes" }), "p", 0);
    assert.deepEqual(part, { type: "text", text: "notes" });
  });

  test("a PDF becomes a file part named after its file", async () => {
    const part = await attachmentPart(resolved("application/pdf", { data: "%PDF-1.4", path: undefined }), "p", 0);
    assert.equal(part.type, "file");
    assert.match((part as { file: { file_data: string } }).file.file_data, /^data:application\/pdf;base64,/);
  });

  test("audio OpenAI chat does not take (FLAC) is an error naming the prompt, the position, the type and the types it takes", async () => {
    await assert.rejects(
      attachmentPart(resolved("audio/flac", { path: sampleFLAC }), "asr", 2),
      (e: unknown) =>
        e instanceof InputError &&
        e.message ===
          'prompt "asr": attachment 2 has MIME type audio/flac, which OpenAI chat models do not take: use image/*, audio/wav, audio/mpeg, application/pdf or text/*',
    );
  });
});

describe("inputMessage", () => {
  const noAttachments = { text: "", attachments: [] };

  test("the text first, then one part per attachment in order", async () => {
    const prompt: Prompt = { name: "look", input: "What is this?" };
    const message = await inputMessage(prompt, "What is this?", {
      text: "What is this?",
      attachments: [resolved("image/png", { path: cheetahPNG }), resolved("text/plain", { data: "ctx" })],
    });
    assert.equal(message.role, "user");
    assert.deepEqual(
      (message.content as { type: string }[]).map((p) => p.type),
      ["text", "image_url", "text"],
    );
  });

  test("the corpus's {role, content} input of the TypeScript demo is a user message with the rendered text", async () => {
    const [demo] = corpusPrompts("typescript__demo__demo.aiconfig.json");
    assert.deepEqual(await inputMessage(demo as Prompt, "Say this is a great test", noAttachments), {
      role: "user",
      content: "Say this is a great test",
    });
  });

  test("a tool result without tool_call_id answers the open call of its name, else the next one; with no call open it is an error saying what it needs", async () => {
    const prompt = { name: "result", input: { role: "tool", content: "18C" } } as unknown as Prompt;
    await assert.rejects(
      inputMessage(prompt, "18C", noAttachments),
      /prompt "result": its input \(role "tool"\) is a tool's result, but it has no tool_call_id/,
    );
    // Constructed: two parallel calls, the first answered already.
    const earlier: ChatCompletionMessageParam[] = [
      { role: "user", content: "Weather and time in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "call_w", type: "function", function: { name: "weather", arguments: "{}" } },
          { id: "call_t", type: "function", function: { name: "time", arguments: "{}" } },
        ],
      },
    ];
    const byName = { name: "result", input: { role: "tool", name: "time", content: "noon" } } as unknown as Prompt;
    assert.deepEqual(await inputMessage(byName, "noon", noAttachments, earlier), { role: "tool", content: "noon", tool_call_id: "call_t" });
    const next = [...earlier, { role: "tool" as const, content: "18C", tool_call_id: "call_w" }];
    assert.deepEqual(await inputMessage(prompt, "noon", noAttachments, next), { role: "tool", content: "noon", tool_call_id: "call_t" });
    const allAnswered = [...next, { role: "tool" as const, content: "noon", tool_call_id: "call_t" }];
    await assert.rejects(
      inputMessage(prompt, "again", noAttachments, allAnswered),
      /no earlier prompt of the chat made a tool call it could answer/,
    );
    const answered = { name: "result", input: { role: "tool", tool_call_id: "call_1", content: "18C" } } as unknown as Prompt;
    assert.deepEqual(await inputMessage(answered, "18C", noAttachments), { role: "tool", content: "18C", tool_call_id: "call_1" });
  });

  test("an unknown role is an error listing the roles", async () => {
    const prompt = { name: "odd", input: { role: "narrator", content: "x" } } as unknown as Prompt;
    await assert.rejects(
      inputMessage(prompt, "x", noAttachments),
      /input role "narrator" is not one of user, system, developer, assistant, tool, function/,
    );
  });
});

describe("assistantMessage", () => {
  test("the corpus's legacy function_call output (the original SDK's whole-message data) is sent back as that message", () => {
    const [recommend] = corpusPrompts("cookbooks__Function-Calling-OpenAI__function-call.aiconfig.json");
    const output = recommend?.outputs?.[0] as Output;
    assert.deepEqual(assistantMessage(output, undefined), {
      role: "assistant",
      content: null,
      function_call: { arguments: '{\n  "name": "Where the Crawdads Sing"\n}', name: "search" },
    });
  });

  test("tool_calls data with ids is sent as tool_calls; without ids as the legacy function_call", () => {
    const withIds: Output = {
      output_type: "execute_result",
      data: { kind: "tool_calls", value: [{ id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } }] },
      metadata: { content: "checking" },
    } as Output;
    assert.deepEqual(assistantMessage(withIds, undefined), {
      role: "assistant",
      content: "checking",
      tool_calls: [{ id: "call_1", type: "function", function: { name: "weather", arguments: "{}" } }],
    });
    const withoutIds = {
      output_type: "execute_result",
      data: { kind: "tool_calls", value: [{ type: "function", function: { name: "search", arguments: "{}" } }] },
    } as Output;
    assert.deepEqual(assistantMessage(withoutIds, undefined), {
      role: "assistant",
      content: null,
      function_call: { name: "search", arguments: "{}" },
    });
  });

  test("no output or an error output sends nothing; other data falls back to its text", () => {
    assert.equal(assistantMessage(undefined, undefined), undefined);
    assert.equal(assistantMessage({ output_type: "error", ename: "E", evalue: "x", traceback: [] }, "x"), undefined);
    const image = { output_type: "execute_result", data: { kind: "base64", value: "AAAA" }, mime_type: "image/png" } as Output;
    assert.deepEqual(assistantMessage(image, "a cheetah"), { role: "assistant", content: "a cheetah" });
  });
});
