import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { AIConfigRuntime, type Provider } from "@aiconfig-ts/core";
import { corpusFile } from "@aiconfig-ts/testing";
import { openaiChat } from "../index.js";
import { onePrompt, runtimeFor, testRegistry } from "../test-support.test.helper.js";
import type { ChatRequest } from "./build-chat-request.js";

const noEnv = {};

describe("resolve: corpus files", () => {
  test("Getting-Started travel: root model settings merged, system_prompt sent first, our keys not sent", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Getting-Started__travel.aiconfig.json"), noEnv);
    assert.deepEqual(await rt.resolve("get_activities"), {
      model: "gpt-3.5-turbo",
      messages: [{ role: "user", content: "Tell me 10 fun attractions to do in NYC." }],
      top_p: 1,
      temperature: 1,
    });
    rt.config.prompts[0]!.outputs = [{ output_type: "execute_result", execution_count: 0, data: "1. Central Park" }];
    assert.deepEqual(await rt.resolve("gen_itinerary"), {
      model: "gpt-4",
      messages: [
        { role: "system", content: "You are an expert travel coordinator with exquisite taste." },
        { role: "user", content: "Generate an itinerary ordered by geographic location for these activities: 1. Central Park." },
      ],
      max_tokens: 3000,
    });
  });

  test("Function-Calling: a system_prompt message, legacy functions, and a function_call output in the chat history", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Function-Calling-OpenAI__function-call.aiconfig.json"), noEnv);
    const first = (await rt.resolve("recommend_book")) as Record<string, unknown>;
    const fileSettings = (rt.config.prompts[0]!.metadata!.model as unknown as { settings: { functions: unknown } }).settings;
    assert.deepEqual(first, {
      model: "gpt-3.5-turbo",
      messages: [
        {
          role: "system",
          content: "Please use our book database, which you can access using functions to answer the following questions.",
        },
        {
          role: "user",
          content: "I really enjoyed reading To Kill a Mockingbird, could you recommend me a book that is similar and tell me why?",
        },
      ],
      functions: fileSettings.functions,
    });
    const second = (await rt.resolve("gen_summary", { book_info: '{"title": "Where the Crawdads Sing"}' })) as { messages: unknown[] };
    assert.deepEqual(second, {
      model: "gpt-3.5-turbo",
      messages: [
        {
          role: "user",
          content: "I really enjoyed reading To Kill a Mockingbird, could you recommend me a book that is similar and tell me why?",
        },
        {
          role: "assistant",
          content: null,
          function_call: { arguments: '{\n  "name": "Where the Crawdads Sing"\n}', name: "search" },
        },
        {
          role: "user",
          content:
            'Here is some data about a book from a books DB - please write a short description about the book as if you\'re a librarian. Data: {"title": "Where the Crawdads Sing"}',
        },
      ],
    });
  });

  test("an input written as a {role, content} message (typescript/demo) is rendered as the user message", async () => {
    const rt = runtimeFor(corpusFile("typescript__demo__demo.aiconfig.json"), noEnv);
    assert.deepEqual(await rt.resolve("demoPrompt", { name: "quick" }), {
      model: "gpt-4-0613",
      messages: [{ role: "user", content: "Say this is a quick test" }],
    });
  });

  test("Claude-And-Azure: earlier prompts and their text outputs become the chat history", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Claude-And-Azure__azure.aiconfig.json"), noEnv);
    const req = (await rt.resolve("pronounciation")) as { model: string; messages: Array<{ role: string; content: string }> };
    const firstOutput = rt.config.prompts[0]!.outputs![0]!;
    assert.equal(req.model, "gpt-35-turbo");
    assert.deepEqual(req.messages, [
      { role: "user", content: "Can you teach me how to say horse in different languages? Give me a few options" },
      { role: "assistant", content: firstOutput.output_type === "execute_result" ? firstOutput.data : "" },
      { role: "user", content: 'Can you explain how to pronounce "turtle" in Chinese?' },
    ]);
  });

  test("editor travel: an old {content, role} output is read back as the assistant turn", async () => {
    const rt = runtimeFor(corpusFile("python__src__aiconfig__editor__travel.aiconfig.json"), noEnv);
    const req = (await rt.resolve("gen_packing_list")) as { messages: Array<{ role: string; content: unknown }> };
    assert.deepEqual(
      req.messages.map((m) => m.role),
      ["system", "user", "assistant", "user"],
    );
    assert.equal(req.messages[0]!.content, "You provide a bulleted list of items to pack for a week long trip.");
    assert.match(String(req.messages[2]!.content), /^1\. Visit Central Park/);
    assert.equal(req.messages[3]!.content, "What should I bring to nyc?");
    // gen_itinerary's output is stored as {content, role}: its text is the content.
    assert.match(rt.getOutputText("gen_itinerary"), /^Here is your itinerary/);
  });

  test("remember_chat_context: false sends the prompt alone", async () => {
    const rt = runtimeFor(corpusFile("cookbooks__Groq__groq.aiconfig.json"), noEnv);
    const withHistory = (await rt.resolve("set_params_in_code")) as { messages: unknown[] };
    assert.equal(withHistory.messages.length, 5);
    rt.config.prompts[2]!.metadata!.remember_chat_context = false;
    assert.deepEqual(await rt.resolve("set_params_in_code"), { model: "mixtral-8x7b-32768", messages: [{ role: "user", content: "" }] });
  });
});

describe("resolve: settings", () => {
  test("messages given in the settings are rendered and come before the prompt, instead of the history", async () => {
    const doc = {
      name: "t",
      schema_version: "latest",
      metadata: { parameters: { tone: "brief" } },
      prompts: [
        { name: "a", input: "first", metadata: { model: "gpt-4o" }, outputs: [{ output_type: "execute_result", data: "one" }] },
        {
          name: "b",
          input: "Now {{what}}",
          metadata: {
            model: {
              name: "gpt-4o",
              settings: {
                system_prompt: "Be {{tone}}.",
                messages: [
                  { role: "user", content: "Hello {{tone}}" },
                  { role: "assistant", content: "Hi" },
                  { role: "user", content: [{ type: "text", text: "Part {{tone}}" }] },
                ],
              },
            },
            parameters: { what: "go" },
          },
        },
      ],
    };
    assert.deepEqual(await runtimeFor(doc, noEnv).resolve("b"), {
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello brief" },
        { role: "assistant", content: "Hi" },
        { role: "user", content: [{ type: "text", text: "Part brief" }] },
        { role: "user", content: "Now go" },
      ],
    });
  });

  test("a tool call output in the history is sent as the assistant's tool_calls, and a tool input answers it", async () => {
    const calls = [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }];
    const doc = {
      name: "t",
      schema_version: "latest",
      metadata: {},
      prompts: [
        {
          name: "ask",
          input: "Weather in Oslo?",
          metadata: { model: "gpt-4o" },
          outputs: [{ output_type: "execute_result", data: { kind: "tool_calls", value: calls } }],
        },
        { name: "answer", input: { role: "tool", tool_call_id: "call_1", data: '{"temp": 3}' }, metadata: { model: "gpt-4o" } },
      ],
    };
    assert.deepEqual(await runtimeFor(doc, noEnv).resolve("answer"), {
      model: "gpt-4o",
      messages: [
        { role: "user", content: "Weather in Oslo?" },
        { role: "assistant", content: null, tool_calls: calls },
        { role: "tool", content: '{"temp": 3}', tool_call_id: "call_1" },
      ],
    });
  });

  test("a malformed system_prompt is one clear error", async () => {
    const rt = runtimeFor(onePrompt("hi", { name: "gpt-4", settings: { system_prompt: 42 } }), noEnv);
    await assert.rejects(
      rt.resolve("p"),
      /prompt "p": setting system_prompt must be a string or \{"role": "system", "content": "..."\}, got 42/,
    );
  });
});

describe("resolve: attachments (vision)", () => {
  const dir = mkdtempSync(join(tmpdir(), "openai-att-"));
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  writeFileSync(join(dir, "dot.png"), png);

  test("a local image becomes a data: URL, a remote one is sent as is, with the text first", async () => {
    const file = join(dir, "vision.aiconfig.json");
    const doc = onePrompt(
      {
        data: "What is in these images?",
        attachments: [
          { data: { kind: "file_uri", value: "dot.png" }, mime_type: "image/png" },
          { data: { kind: "file_uri", value: "https://example.com/cat.jpg" }, mime_type: "image/jpeg", metadata: { detail: "low" } },
        ],
      },
      "gpt-4o",
    );
    writeFileSync(file, JSON.stringify(doc));
    const rt = AIConfigRuntime.load(file, { registry: testRegistry(), env: {} });
    assert.deepEqual(await rt.resolve("p"), {
      model: "gpt-4o",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in these images?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${png.toString("base64")}` } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg", detail: "low" } },
          ],
        },
      ],
    });
  });

  test("WAV audio goes as input_audio; an unsupported type is one clear error", async () => {
    const wav = readFileSync(join(dir, "dot.png")); // any bytes: only their base64 is checked
    const ok = onePrompt(
      { data: "Transcribe", attachments: [{ data: { kind: "base64", value: wav.toString("base64") }, mime_type: "audio/wav" }] },
      "gpt-4o-audio-preview",
    );
    const req = (await runtimeFor(ok, noEnv).resolve("p")) as { messages: Array<{ content: unknown[] }> };
    assert.deepEqual(req.messages[0]!.content[1], { type: "input_audio", input_audio: { data: wav.toString("base64"), format: "wav" } });
    const bad = onePrompt(
      { data: "x", attachments: [{ data: { kind: "base64", value: "AAAA" }, mime_type: "video/x-msvideo" }] },
      "gpt-4o",
    );
    await assert.rejects(
      runtimeFor(bad, noEnv).resolve("p"),
      /prompt "p": attachment 0 has MIME type video\/x-msvideo, which OpenAI chat models do not take/,
    );
  });
});

describe("resolve: no promise unless an attachment needs reading", () => {
  /** A registry whose `spy-chat` provider is the OpenAI chat provider, keeping what its `resolve` returned. */
  function spyRegistry(returned: unknown[]) {
    const spy: Provider<ChatRequest> = {
      ...openaiChat,
      id: "spy-chat",
      aliases: [],
      resolve(ctx) {
        const request = openaiChat.resolve(ctx);
        returned.push(request);
        return request;
      },
    };
    return testRegistry().register(spy, ["spy-model"]);
  }
  const dir = mkdtempSync(join(tmpdir(), "openai-sync-"));
  writeFileSync(
    join(dir, "dot.png"),
    Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"),
  );
  // Constructed: a three-turn chat whose middle turn has an image file.
  const text = (data: string) => [{ output_type: "execute_result", execution_count: 0, data }];
  const doc = {
    name: "chat",
    schema_version: "latest",
    metadata: { models: { "spy-model": { model: "spy-model" } } },
    prompts: [
      { name: "a", input: "Hi", metadata: { model: "spy-model" }, outputs: text("Hello") },
      {
        name: "b",
        input: { data: "What is this?", attachments: [{ data: { kind: "file_uri", value: "dot.png" }, mime_type: "image/png" }] },
        metadata: { model: "spy-model" },
        outputs: text("A dot"),
      },
      { name: "c", input: "Thanks", metadata: { model: "spy-model" } },
    ],
  };

  test("a prompt whose turns have no attachment files gets its request itself, as a runtime resolves it", async () => {
    writeFileSync(join(dir, "chat.aiconfig.json"), JSON.stringify(doc));
    const returned: unknown[] = [];
    const rt = AIConfigRuntime.load(join(dir, "chat.aiconfig.json"), { registry: spyRegistry(returned), env: {} });
    const request = await rt.resolve("a");
    assert.equal(returned.length, 1);
    assert.equal(returned[0] instanceof Promise, false);
    assert.deepEqual(request, { model: "spy-model", messages: [{ role: "user", content: "Hi" }] });
  });

  test("a turn with an image file makes it a promise, and the messages keep the turns' order around it", async () => {
    writeFileSync(join(dir, "chat.aiconfig.json"), JSON.stringify(doc));
    const returned: unknown[] = [];
    const rt = AIConfigRuntime.load(join(dir, "chat.aiconfig.json"), { registry: spyRegistry(returned), env: {} });
    const request = (await rt.resolve("c")) as ChatRequest;
    assert.equal(returned[0] instanceof Promise, true);
    assert.deepEqual(
      request.messages.map((m) => [
        m.role,
        typeof m.content === "string" ? m.content : (m.content as { type: string }[]).map((p) => p.type).join("+"),
      ]),
      [
        ["user", "Hi"],
        ["assistant", "Hello"],
        ["user", "text+image_url"],
        ["assistant", "A dot"],
        ["user", "Thanks"],
      ],
    );
  });

  test("a template error before any attachment is thrown by resolve itself, and the runtime still reports it", async () => {
    const returned: unknown[] = [];
    const bad = { ...doc, prompts: [{ name: "a", input: "Hi {{who}}", metadata: { model: "spy-model" } }] };
    writeFileSync(join(dir, "bad.aiconfig.json"), JSON.stringify(bad));
    const rt = AIConfigRuntime.load(join(dir, "bad.aiconfig.json"), { registry: spyRegistry(returned), env: {} });
    await assert.rejects(rt.resolve("a"), /who/);
    await assert.rejects(rt.run("a"), /who/);
    assert.equal(returned.length, 0);
  });
});
