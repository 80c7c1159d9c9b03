import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import { AIConfigRuntime, type Provider } from "@aiconfig-ts/core";
import { corpusFile, type ReplayServer, startReplayServer } from "@aiconfig-ts/testing";
import { envFor, sseReply, streamedText, TEST_KEY, testRegistry, textChunks, textCompletion } from "./test-support.test.helper.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const reply = textCompletion.choices[0]!.message.content;

describe("corpus chains through the runtime", () => {
  test("Chained-Config: a PaLM prompt's output is sent inside the next OpenAI prompt", async () => {
    // PaLM is retired and not this package's: a test-only provider stands in for it.
    const palmText = "Transformers are neural networks built on self-attention.";
    const palm: Provider = {
      id: "test-palm",
      resolve: (ctx) => ({ prompt: ctx.input.text }),
      run: async () => [{ output_type: "execute_result", execution_count: 0, data: palmText }],
    };
    const registry = testRegistry().register(palm, ["PaLM Chat"]);
    // Both prompts of the file are named "prompt1" (invalid: names must be unique): load it unvalidated and
    // rename the second, which refers to the first's output.
    const rt = AIConfigRuntime.load(corpusFile("python__demo__Chained-Config.json"), { registry, env: envFor(server), validate: false });
    rt.config.prompts[1]!.name = "analysis";
    server.reply({ json: textCompletion });
    const outputs = await rt.runWithDependencies("analysis");
    assert.equal(server.requests.length, 1);
    assert.deepEqual(server.requests[0]!.body, {
      model: "gpt-3.5-turbo",
      messages: [{ role: "user", content: `My friend PaLM, told me about Transformers. Analyze my friend's response: ${palmText}` }],
      top_p: 1,
      max_tokens: 3000,
      temperature: 1,
    });
    assert.equal(outputs[0]!.output_type === "execute_result" && outputs[0]!.data, reply);
    assert.equal(rt.getOutputText("analysis"), reply);
  });

  test("Getting-Started travel: gen_itinerary runs after get_activities and carries its output", async () => {
    server.reply({ json: textCompletion }, { json: { ...textCompletion, id: "chatcmpl-second" } });
    const rt = AIConfigRuntime.load(corpusFile("cookbooks__Getting-Started__travel.aiconfig.json"), {
      registry: testRegistry(),
      env: envFor(server),
    });
    await rt.runWithDependencies("gen_itinerary");
    assert.equal(server.requests.length, 2);
    assert.deepEqual(server.requests[0]!.body, {
      model: "gpt-3.5-turbo",
      messages: [{ role: "user", content: "Tell me 10 fun attractions to do in NYC." }],
      top_p: 1,
      temperature: 1,
    });
    assert.deepEqual(server.requests[1]!.body, {
      model: "gpt-4",
      messages: [
        { role: "system", content: "You are an expert travel coordinator with exquisite taste." },
        { role: "user", content: `Generate an itinerary ordered by geographic location for these activities: ${reply}.` },
      ],
      max_tokens: 3000,
    });
    const itinerary = rt.config.prompts[1]!.outputs![0]!;
    assert.equal(itinerary.output_type === "execute_result" && itinerary.metadata?.id, "chatcmpl-second");
  });

  test("travel, streamed: the accumulated stream of the first prompt is what the second one receives", async () => {
    server.reply(sseReply(textChunks), sseReply(textChunks));
    const rt = AIConfigRuntime.load(corpusFile("cookbooks__Getting-Started__travel.aiconfig.json"), {
      registry: testRegistry(),
      env: envFor(server),
    });
    const streamed: Record<string, string> = {};
    await rt.runWithDependencies("gen_itinerary", {}, { onStream: (c) => (streamed[c.prompt] = (streamed[c.prompt] ?? "") + c.delta) });
    const text = streamedText(textChunks);
    assert.deepEqual(streamed, { get_activities: text, gen_itinerary: text });
    assert.equal(server.requests[1]!.body.stream, true);
    assert.equal(
      server.requests[1]!.body.messages[1].content,
      `Generate an itinerary ordered by geographic location for these activities: ${text}.`,
    );
  });

  test("Function-Calling: the function call is stored, chat history replays it, and the saved file reads back", async () => {
    // Constructed: a function_call reply to the corpus prompt (see packages/testing/SOURCE.md).
    const call = { name: "search", arguments: '{"name":"Where the Crawdads Sing"}' };
    server.reply(
      {
        json: {
          ...textCompletion,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: null, function_call: call },
              finish_reason: "function_call",
              logprobs: null,
            },
          ],
        },
      },
      { json: textCompletion },
    );
    const rt = AIConfigRuntime.load(corpusFile("cookbooks__Function-Calling-OpenAI__function-call.aiconfig.json"), {
      registry: testRegistry(),
      env: envFor(server),
    });
    const first = await rt.run("recommend_book", { book: "Jane Eyre" });
    assert.deepEqual(first[0]!.output_type === "execute_result" && first[0]!.data, {
      kind: "tool_calls",
      value: [{ type: "function", function: call }],
    });
    assert.equal(
      server.requests[0]!.body.messages[1].content,
      "I really enjoyed reading Jane Eyre, could you recommend me a book that is similar and tell me why?",
    );
    assert.equal(server.requests[0]!.body.functions.length, 3);
    await rt.run("gen_summary", { book_info: "id 42" });
    const messages = server.requests[1]!.body.messages;
    assert.deepEqual(messages.slice(1), [
      { role: "assistant", content: null, function_call: call },
      {
        role: "user",
        content:
          "Here is some data about a book from a books DB - please write a short description about the book as if you're a librarian. Data: id 42",
      },
    ]);
    // The history renders recommend_book with its own parameter (the file's book), as the original did.
    assert.equal(
      messages[0].content,
      "I really enjoyed reading To Kill a Mockingbird, could you recommend me a book that is similar and tell me why?",
    );
    const file = join(mkdtempSync(join(tmpdir(), "openai-save-")), "saved.aiconfig.json");
    rt.save(file);
    const text = readFileSync(file, "utf8");
    assert.ok(!text.includes(TEST_KEY), "keys are never saved");
    const again = AIConfigRuntime.load(file, { registry: testRegistry(), env: {} });
    assert.equal(again.getOutputText("recommend_book"), JSON.stringify([{ type: "function", function: call }]));
    assert.equal(again.getOutputText("gen_summary"), reply);
  });
});
