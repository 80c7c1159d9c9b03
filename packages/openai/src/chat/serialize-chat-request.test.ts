import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { AIConfig, Output } from "@aiconfig-ts/core";
import { corpusFile } from "@aiconfig-ts/testing";
import { chatOutputText } from "./chat-output-text.js";
import { runtimeFor } from "../test-support.test.helper.js";

const calls = [{ id: "call_9", type: "function", function: { name: "lookup", arguments: '{"q":"otters"}' } }];
const request = {
  model: "gpt-4o",
  temperature: 0.2,
  stream: true,
  messages: [
    { role: "system", content: "You are a zoologist." },
    { role: "user", content: "Name a sea mammal." },
    { role: "assistant", content: "The sea otter." },
    {
      role: "user",
      content: [
        { type: "text", text: "Is this one?" },
        { type: "image_url", image_url: { url: "https://example.com/otter.png" } },
      ],
    },
    { role: "assistant", content: null, tool_calls: calls },
    { role: "tool", content: '{"answer": "yes"}', tool_call_id: "call_9" },
    { role: "assistant", content: "Yes, it is an otter." },
    { role: "user", content: "What do they eat?" },
  ],
};

describe("serialize", () => {
  test("one prompt per user/tool message, replies as outputs, system message as system_prompt", async () => {
    const rt = runtimeFor({ name: "t", schema_version: "latest", metadata: {}, prompts: [] }, {});
    const prompts = await rt.serialize("gpt-4o", request, "chat", { who: "me" });
    assert.deepEqual(
      prompts.map((p) => p.name),
      ["chat_1", "chat_2", "chat_3", "chat"],
    );
    const settings = { model: "gpt-4o", temperature: 0.2, system_prompt: "You are a zoologist." };
    for (const p of prompts) {
      assert.deepEqual(p.metadata, { model: { name: "gpt-4o", settings }, parameters: { who: "me" }, remember_chat_context: true });
    }
    assert.equal(prompts[0]!.input, "Name a sea mammal.");
    assert.deepEqual(prompts[0]!.outputs, [
      { output_type: "execute_result", execution_count: 0, data: "The sea otter.", metadata: { role: "assistant" } },
    ]);
    assert.deepEqual(prompts[1]!.input, {
      data: "Is this one?",
      attachments: [{ data: { kind: "file_uri", value: "https://example.com/otter.png" }, mime_type: "image/png" }],
    });
    assert.deepEqual(prompts[1]!.outputs![0]!.output_type === "execute_result" && prompts[1]!.outputs![0]!.data, {
      kind: "tool_calls",
      value: calls,
    });
    assert.deepEqual(prompts[2]!.input, { role: "tool", content: '{"answer": "yes"}', tool_call_id: "call_9" });
    assert.equal(prompts[3]!.outputs, undefined);
  });

  test("round trip: resolving the last serialized prompt sends the same conversation", async () => {
    const rt = runtimeFor({ name: "t", schema_version: "latest", metadata: {}, prompts: [] }, {});
    rt.config.prompts.push(...(await rt.serialize("gpt-4o", request, "chat")));
    const { stream: _stream, ...expected } = request;
    assert.deepEqual(await rt.resolve("chat"), expected);
  });

  test("a request without messages is refused with one line", async () => {
    const rt = runtimeFor({ name: "t", schema_version: "latest", metadata: {}, prompts: [] }, {});
    await assert.rejects(rt.serialize("gpt-4o", { prompt: "x" }, "chat"), /serialize "chat": an OpenAI chat request needs a messages list/);
  });
});

describe("output text", () => {
  test("every OpenAI output in the corpus has the text the original SDK read", () => {
    const seen = new Map<string, number>();
    for (const name of [
      "cookbooks__Function-Calling-OpenAI__function-call.aiconfig.json",
      "cookbooks__Claude-And-Azure__azure.aiconfig.json",
      "cookbooks__Groq__groq.aiconfig.json",
      "cookbooks__RAG-with-ChromaDB__rag_aiconfig.json",
      "python__src__aiconfig__editor__travel.aiconfig.json",
      "vscode-extension__static__example.aiconfig.json",
      "typescript__demo__demo.aiconfig.json",
      "cookbooks__Anyscale__updated.aiconfig.json",
    ]) {
      const doc = JSON.parse(readFileSync(corpusFile(name), "utf8")) as AIConfig;
      for (const prompt of doc.prompts) {
        for (const output of prompt.outputs ?? []) {
          if (output.output_type !== "execute_result") continue;
          const data = output.data as unknown;
          const text = chatOutputText(output);
          let expected: string;
          if (typeof data === "string") expected = data;
          else {
            const m = data as { content?: string | null; function_call?: unknown };
            expected = typeof m.content === "string" ? m.content : JSON.stringify(m.function_call);
          }
          assert.equal(text, expected, `${name} ${prompt.name}`);
          assert.ok(text !== undefined && text.length > 0);
          const kind =
            typeof data === "string" ? "string" : (data as { content?: unknown }).content === undefined ? "function_call" : "message";
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
        }
      }
    }
    assert.ok(
      (seen.get("string") ?? 0) > 3 && (seen.get("message") ?? 0) > 3 && seen.get("function_call") === 1,
      JSON.stringify([...seen]),
    );
  });

  test("tool calls read as their JSON; binary data and errors are left to the runtime", () => {
    const tool: Output = { output_type: "execute_result", data: { kind: "tool_calls", value: calls as never } };
    assert.equal(chatOutputText(tool), JSON.stringify(calls));
    assert.equal(
      chatOutputText({ output_type: "execute_result", data: { kind: "base64", value: "AAAA" }, mime_type: "image/png" }),
      undefined,
    );
    assert.equal(chatOutputText({ output_type: "error", ename: "E", evalue: "v", traceback: [] }), undefined);
  });
});
