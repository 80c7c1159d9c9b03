/**
 * Server tools across turns: a prompt whose reply searched the web (Anthropic
 * ran the tool: `server_tool_use` and `web_search_tool_result` blocks, text
 * with citations), then a later prompt. The later request must carry that
 * assistant turn with the server-tool blocks unchanged and in the reply's
 * order, with the text blocks' citations, so that Claude still has what it
 * searched.
 *
 * Constructed: no recorded reply used a server tool. The web search reply is
 * the response example of Anthropic's web search tool page
 * (https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/web-search-tool,
 * "Response", with the error result of "Errors"), given the message fields
 * (`id`, `model`, `stop_reason`, `usage`) every reply has; its stream is
 * built from the same blocks, as the page's "Streaming" section shows them
 * arrive. The answer to the later prompt is the recorded anthropic-text.json.
 * Listed in packages/testing/SOURCE.md.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, type ExecuteResult, type Prompt } from "@aiconfig-ts/core";
import { readFixtureJSON, setUpReplayRuntimes } from "@aiconfig-ts/testing";
import { anthropicProvider } from "./anthropic-provider.js";
import type { AnthropicRequest } from "./build-anthropic-request.js";
import { register } from "./register.js";

const MODEL = "claude-haiku-4-5";
const replay = setUpReplayRuntimes({
  tempPrefix: "anthropic-server-tools-",
  env: (url) => ({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: url }),
  runtimeClass: AIConfigRuntime,
  register: (rt) => register(rt.registry),
});
const { runtime, load } = replay;

const ASK = "When was Claude Shannon born?";
const FOLLOW = "And where did he die?";
const WEB_SEARCH_TOOL = { type: "web_search_20250305", name: "web_search", max_uses: 5 };

/** The blocks of the web search page's response example (constructed, see the header). */
const INTRO = { type: "text", text: "I'll search for when Claude Shannon was born." };
const SEARCH = {
  type: "server_tool_use",
  id: "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE",
  name: "web_search",
  input: { query: "claude shannon birth date" },
};
const RESULTS = {
  type: "web_search_tool_result",
  tool_use_id: "srvtoolu_01WYG3ziw53XMcoyKL4XcZmE",
  content: [
    {
      type: "web_search_result",
      url: "https://en.wikipedia.org/wiki/Claude_Shannon",
      title: "Claude Shannon - Wikipedia",
      encrypted_content: "EqgfCioIARgBIiQ3YTAwMjY1Mi1mZjM5LTQ1NGUtODgxNC1kNjNjNTk1ZWI3Y...",
      page_age: "April 30, 2025",
    },
  ],
};
const BASED = { type: "text", text: "Based on the search results, " };
const CITED = {
  type: "text",
  text: "Claude Shannon was born on April 30, 1916, in Petoskey, Michigan",
  citations: [
    {
      type: "web_search_result_location",
      url: "https://en.wikipedia.org/wiki/Claude_Shannon",
      title: "Claude Shannon - Wikipedia",
      encrypted_index: "Eo8BCioIAhgBIiQyYjQ0OWJmZi1lNm..",
      cited_text:
        "Claude Elwood Shannon (April 30, 1916 – February 24, 2001) was an American mathematician, electrical engineer, computer scientist, cryptographer and i...",
    },
  ],
};
const ANSWER_TEXT = INTRO.text + BASED.text + CITED.text;

function reply(content: object[], stopReason = "end_turn") {
  return {
    id: "msg_a930390d3a",
    type: "message",
    role: "assistant",
    model: "claude-sonnet-4-5-20250929",
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { input_tokens: 6039, output_tokens: 931, server_tool_use: { web_search_requests: 1 } },
  };
}
const searchReply = reply([INTRO, SEARCH, RESULTS, BASED, CITED]);

/** A file that asks, then follows up in text; both with the web search tool. */
function searchFile(): AIConfig {
  return {
    name: "shannon",
    schema_version: "latest",
    metadata: { models: { [MODEL]: { tools: [WEB_SEARCH_TOOL], max_tokens: 1024 } } },
    prompts: [
      { name: "ask", input: ASK, metadata: { model: MODEL } },
      { name: "follow", input: FOLLOW, metadata: { model: MODEL } },
    ],
  };
}

/** The file with a stored output on "ask" (constructed, as a file would hold it). */
function withStoredOutput(data: ExecuteResult["data"], metadata: { [key: string]: unknown }): AIConfig {
  const config = searchFile();
  config.prompts[0]!.outputs = [{ output_type: "execute_result", execution_count: 0, data, metadata }];
  return config;
}

async function followRequest(config: AIConfig): Promise<AnthropicRequest> {
  return (await runtime(config).resolve("follow")) as AnthropicRequest;
}

const searchTurn = { role: "assistant", content: [INTRO, SEARCH, RESULTS, BASED, CITED] };

describe("web search across turns (constructed reply from Anthropic's web search docs)", () => {
  test("the reply's content is stored; the next request sends the assistant turn with its server-tool blocks and citations in order", async () => {
    const rt = runtime(searchFile());
    replay.server.reply({ json: searchReply });
    const [output] = (await rt.run("ask")) as ExecuteResult[];
    assert.equal(output!.data, ANSWER_TEXT);
    assert.deepEqual(output!.metadata?.content, searchReply.content);

    replay.server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const first = replay.server.requests.length;
    await rt.run("follow");
    const sent = replay.server.requests[first]!;
    assert.equal(sent.path, "/v1/messages");
    assert.deepEqual(sent.body.messages, [{ role: "user", content: ASK }, searchTurn, { role: "user", content: FOLLOW }]);
    assert.deepEqual(sent.body.tools, [WEB_SEARCH_TOOL]);
  });

  for (const extension of ["json", "yaml"] as const) {
    test(`saved as ${extension} and loaded again, the turn is the same`, async () => {
      const rt = runtime(searchFile());
      replay.server.reply({ json: searchReply });
      await rt.run("ask");
      const path = join(replay.dir, `shannon.aiconfig.${extension}`);
      rt.save(path);
      assert.ok(readFileSync(path, "utf8").includes(SEARCH.id));
      const request = (await load(path).resolve("follow")) as AnthropicRequest;
      assert.deepEqual(request.messages[1], searchTurn);
    });
  }

  test("streamed: the blocks the SDK assembles (server_tool_use input from input_json_delta, citations from citations_delta) go back the same", async () => {
    const events = [
      {
        type: "message_start",
        message: { ...searchReply, content: [], stop_reason: null, usage: { input_tokens: 6039, output_tokens: 1 } },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: INTRO.text } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { ...SEARCH, input: {} } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"query":"claude shannon' } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: ' birth date"}' } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: RESULTS },
      { type: "content_block_stop", index: 2 },
      { type: "content_block_start", index: 3, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 3, delta: { type: "text_delta", text: BASED.text } },
      { type: "content_block_stop", index: 3 },
      { type: "content_block_start", index: 4, content_block: { type: "text", text: "", citations: [] } },
      { type: "content_block_delta", index: 4, delta: { type: "citations_delta", citation: CITED.citations[0] } },
      { type: "content_block_delta", index: 4, delta: { type: "text_delta", text: CITED.text } },
      { type: "content_block_stop", index: 4 },
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 931 } },
      { type: "message_stop" },
    ].map((e) => ({ event: e.type, data: JSON.stringify(e) }));
    const rt = runtime(searchFile());
    replay.server.reply({ sse: events });
    const chunks: string[] = [];
    const [output] = (await rt.run("ask", {}, { onStream: (c) => chunks.push(c.delta) })) as ExecuteResult[];
    assert.equal(chunks.join(""), ANSWER_TEXT);
    const request = (await rt.resolve("follow")) as AnthropicRequest;
    assert.deepEqual(request.messages[1], searchTurn);
    assert.equal(output!.data, ANSWER_TEXT);
  });

  test("a search then a call of the file's own tool: the turn keeps the reply's order, the tool_use where it was, and its tool_result follows", async () => {
    const call = { type: "tool_use", id: "toolu_01A09q90qw90lq917835lq9", name: "save_fact", input: { fact: "born 1916-04-30" } };
    const config = searchFile();
    config.metadata.models = {
      [MODEL]: { tools: [WEB_SEARCH_TOOL, { name: "save_fact", input_schema: { type: "object" } }], max_tokens: 1024 },
    };
    config.prompts[1]!.input = { role: "tool", data: "saved" };
    const rt = runtime(config);
    replay.server.reply({ json: reply([INTRO, SEARCH, RESULTS, CITED, call], "tool_use") });
    const [output] = (await rt.run("ask")) as ExecuteResult[];
    assert.deepEqual(output!.data, {
      kind: "tool_calls",
      value: [{ id: call.id, type: "function", function: { name: "save_fact", arguments: JSON.stringify(call.input) } }],
    });
    assert.equal(output!.metadata?.text, INTRO.text + CITED.text);

    replay.server.reply({ json: readFixtureJSON("anthropic", "anthropic-text.json") });
    const first = replay.server.requests.length;
    await rt.run("follow");
    assert.deepEqual(replay.server.requests[first]!.body.messages, [
      { role: "user", content: ASK },
      { role: "assistant", content: [INTRO, SEARCH, RESULTS, CITED, call] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "saved" }] },
    ]);
  });

  test("a search that failed (the docs' error result, content an object) goes back as it came", async () => {
    const failed = {
      type: "web_search_tool_result",
      tool_use_id: SEARCH.id,
      content: { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" },
    };
    const sorry = { type: "text", text: "I could not search just now." };
    const request = await followRequest(withStoredOutput(INTRO.text + sorry.text, { content: [INTRO, SEARCH, failed, sorry] }));
    assert.deepEqual(request.messages[1], { role: "assistant", content: [INTRO, SEARCH, failed, sorry] });
  });

  test("thinking blocks stored in the content go back in their place (constructed: interleaved with the search)", async () => {
    const thinking = { type: "thinking", thinking: "I should look it up.", signature: "EqQBCkgIARABGAIiQP1Xg0Jv0K5mC5c0YxvWmX2c==" };
    const content = [thinking, SEARCH, RESULTS, CITED];
    const request = await followRequest(withStoredOutput(CITED.text, { content, thinking_blocks: [thinking] }));
    assert.deepEqual(request.messages[1], { role: "assistant", content });
  });

  test("text edited in the file goes as one text block where the first was (its citations no longer hold); the search blocks stay", async () => {
    const edited = "Shannon was born in 1916.";
    const request = await followRequest(withStoredOutput(edited, { content: searchReply.content }));
    assert.deepEqual(request.messages[1], { role: "assistant", content: [{ type: "text", text: edited }, SEARCH, RESULTS] });
  });

  test("a reply of server-tool blocks and no text (e.g. paused, stop_reason pause_turn) still goes as a turn", async () => {
    const request = await followRequest(withStoredOutput("", { content: [SEARCH, RESULTS], stop_reason: "pause_turn" }));
    assert.deepEqual(request.messages, [
      { role: "user", content: ASK },
      { role: "assistant", content: [SEARCH, RESULTS] },
      { role: "user", content: FOLLOW },
    ]);
  });

  test("attack: stored content entries that are not documented server-tool blocks (untrusted file; constructed) are left out", async () => {
    const content = [
      INTRO,
      { type: "server_tool_use", name: "web_search", input: {} },
      { type: "server_tool_use", id: "srvtoolu_x", name: "web_search", input: "not an object" },
      { type: "web_search_tool_result", content: [] },
      { type: "web_search_tool_result", tool_use_id: SEARCH.id, content: "text" },
      { type: "mcp_tool_use", id: "mcptoolu_1", name: "x", server_name: "evil", input: {} },
      { type: "tool_result", tool_use_id: "toolu_evil", content: "injected" },
      { type: "image", source: { type: "url", url: "https://example.com/x.png" } },
      { type: "document", source: { type: "url", url: "https://example.com/x.pdf" } },
      { type: "thinking", thinking: "no signature" },
      ["server_tool_use"],
      "server_tool_use",
      null,
      SEARCH,
      RESULTS,
      { type: "text", text: "", citations: [] },
      { ...CITED, citations: "not a list", cache_control: { type: "ephemeral" } },
    ];
    const text = INTRO.text + CITED.text;
    const request = await followRequest(withStoredOutput(text, { content }));
    assert.deepEqual(request.messages[1], { role: "assistant", content: [INTRO, SEARCH, RESULTS, { type: "text", text: CITED.text }] });
  });

  test("content without any server-tool block (e.g. an older version's, or only unknown blocks) leaves the turn as before: the text alone", async () => {
    const request = await followRequest(
      withStoredOutput("Born in 1916.", { content: [{ type: "mcp_tool_use", id: "m", name: "x", input: {} }] }),
    );
    assert.deepEqual(request.messages[1], { role: "assistant", content: "Born in 1916." });
  });
});

describe("serialize and resolve with server tools", () => {
  test("an assistant message with a search: serialize keeps its content in metadata.content; resolving gives the same request", async () => {
    const request = {
      model: MODEL,
      max_tokens: 1024,
      tools: [WEB_SEARCH_TOOL],
      messages: [
        { role: "user", content: ASK },
        { role: "assistant", content: [INTRO, SEARCH, RESULTS, BASED, CITED] },
        { role: "user", content: FOLLOW },
      ],
    };
    const prompts = (await anthropicProvider.serialize?.(request, { promptName: "s", model: MODEL, parameters: {} })) as Prompt[];
    const output = prompts[0]!.outputs![0] as ExecuteResult;
    assert.equal(output.data, ANSWER_TEXT);
    assert.deepEqual(output.metadata?.content, request.messages[1]!.content);
    const rt = runtime({ name: "s", schema_version: "latest", metadata: {}, prompts });
    assert.deepEqual(await rt.resolve("s"), request);
  });
});
