/**
 * Function calling across turns: a prompt whose output is Gemini's function
 * call, then a prompt holding the function's result. The second request must
 * carry the model turn as `functionCall` parts with the exact thought
 * signatures the reply gave (Gemini 3 answers 400 without them), then the
 * result as a `functionResponse` named after the call.
 *
 * The tool-call replies are the recorded google-tool-call.json and
 * google-tool-call.chunks.txt (Gemini 3); files written as older versions
 * wrote them, parallel calls and broken arguments are constructed, and
 * labelled so where they are used.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { type AIConfig, AIConfigRuntime, type ExecuteResult, InvalidInputError, type Prompt, type ToolCall } from "@aiconfig-ts/core";
import {
  readFixtureChunks,
  readFixtureJSON,
  setUpReplayRuntimes,
  WEATHER_QUESTION,
  WEATHER_TOOL as weatherTool,
  weatherToolChat,
} from "@aiconfig-ts/testing";
import type { GeminiRequest } from "./build-gemini-request.js";
import { geminiProvider } from "./gemini-provider.js";
import { register } from "./register.js";
import { sendsPlaceholderSignature } from "./thought-signatures.js";

const MODEL = "gemini-3-pro-preview";
/** The replay server, a temporary folder and runtimes with the gemini provider pointed at the replay.server. */
const replay = setUpReplayRuntimes({
  tempPrefix: "gemini-history-",
  env: (url) => ({ GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: url }),
  runtimeClass: AIConfigRuntime,
  register: (rt) => register(rt.registry),
});
const { runtime, load } = replay;

/** The recorded reply's call and its signature. */
const recorded = readFixtureJSON("google", "google-tool-call.json") as {
  candidates: Array<{ content: { parts: Array<{ thoughtSignature: string }> } }>;
};
const RECORDED_SIGNATURE = recorded.candidates[0]!.content.parts[0]!.thoughtSignature;
const STREAMED_SIGNATURE = (JSON.parse(readFixtureChunks("google", "google-tool-call.chunks.txt")[0]!) as typeof recorded).candidates[0]!
  .content.parts[0]!.thoughtSignature;

/** The usual two-step function calling: ask, then send the function's result (OpenAI's `role: "tool"` input); the weather tool (OpenAI's shape, which the provider turns into functionDeclarations) for every prompt of the model. */
function twoStepFile(): AIConfig {
  return weatherToolChat(MODEL);
}

/** The two-step file with a stored weather call on "ask" (constructed, as a file would hold it). */
function withStoredCall(args: string, metadata?: { [key: string]: unknown }): AIConfig {
  const config = twoStepFile();
  const value: ToolCall[] = [{ type: "function", function: { name: "weather", arguments: args } }];
  config.prompts[0]!.outputs = [{ output_type: "execute_result", data: { kind: "tool_calls", value }, ...(metadata ? { metadata } : {}) }];
  return config;
}

/**
 * A chat (constructed, as a file would hold it) whose prompt "ask" has the stored calls as its output,
 * then one prompt per `[name, input]` result, all of the model.
 */
function afterStoredCalls(
  ask: string,
  calls: ToolCall[],
  metadata: ExecuteResult["metadata"],
  results: Array<[string, Prompt["input"]]>,
): AIConfig {
  const output: ExecuteResult = { output_type: "execute_result", execution_count: 0, data: { kind: "tool_calls", value: calls } };
  if (metadata) output.metadata = metadata;
  return {
    name: "calls",
    schema_version: "latest",
    metadata: {},
    prompts: [
      { name: "ask", input: ask, metadata: { model: MODEL }, outputs: [output] },
      ...results.map(([name, input]) => ({ name, input, metadata: { model: MODEL } })),
    ],
  };
}

const userTurn = { role: "user", parts: [{ text: WEATHER_QUESTION }] };
const resultTurn = {
  role: "user",
  parts: [{ functionResponse: { name: "weather", response: { temperature: 18, unit: "celsius" } } }],
};
const callTurn = (thoughtSignature: string) => ({
  role: "model",
  parts: [{ functionCall: { name: "weather", args: { location: "San Francisco" } }, thoughtSignature }],
});

describe("two-step function calling on Gemini (recorded replies)", () => {
  test("the second request sends the model's functionCall with its exact thoughtSignature, then the functionResponse named after the call", async () => {
    const rt = runtime(twoStepFile());
    replay.server.reply({ json: recorded });
    const first = replay.server.requests.length;
    const [call] = (await rt.run("ask")) as ExecuteResult[];
    // the stored output keeps the shape every provider shares, and the signature beside it
    assert.deepEqual(call!.data, {
      kind: "tool_calls",
      value: [{ type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } }],
    });
    assert.deepEqual(call!.metadata?.thoughtSignatures, { toolCalls: [RECORDED_SIGNATURE] });

    replay.server.reply({ json: readFixtureJSON("google", "google-text.json") });
    await rt.run("answer");
    const sent = replay.server.requests[first + 1]!;
    assert.equal(sent.path, `/v1beta/models/${MODEL}:generateContent`);
    assert.deepEqual(sent.body.contents, [userTurn, callTurn(RECORDED_SIGNATURE), resultTurn]);
    assert.deepEqual(sent.body.tools, [
      {
        functionDeclarations: [
          { name: "weather", description: weatherTool.function.description, parametersJsonSchema: weatherTool.function.parameters },
        ],
      },
    ]);
  });

  test("streamed (google-tool-call.chunks.txt): the streamed call keeps its signature into the next request", async () => {
    const rt = runtime(twoStepFile());
    replay.server.reply({ sse: readFixtureChunks("google", "google-tool-call.chunks.txt") });
    const [call] = (await rt.run("ask", {}, { onStream: () => {} })) as ExecuteResult[];
    assert.deepEqual(call!.metadata?.thoughtSignatures, { toolCalls: [STREAMED_SIGNATURE] });
    assert.notEqual(STREAMED_SIGNATURE, RECORDED_SIGNATURE);
    const request = (await rt.resolve("answer")) as GeminiRequest;
    assert.deepEqual(request.contents, [userTurn, callTurn(STREAMED_SIGNATURE), resultTurn]);
  });

  for (const extension of ["json", "yaml"] as const) {
    test(`the signature survives the file: saved with its outputs as ${extension}, loaded again, the second request is the same`, async () => {
      const rt = runtime(twoStepFile());
      replay.server.reply({ json: recorded });
      await rt.run("ask");
      const before = (await rt.resolve("answer")) as GeminiRequest;
      const path = join(replay.dir, `weather.aiconfig.${extension}`);
      rt.save(path);
      assert.ok(readFileSync(path, "utf8").includes(RECORDED_SIGNATURE));
      const again = (await load(path).resolve("answer")) as GeminiRequest;
      assert.deepEqual(again, before);
      assert.deepEqual(again.contents[1], callTurn(RECORDED_SIGNATURE));
    });
  }
});

describe("files of older versions and results written in other ways", () => {
  test("a tool_calls output saved without thoughtSignatures (older version; constructed) goes to Gemini with Google's placeholder signature on its call, the text beside them first and unsigned", async () => {
    const config = withStoredCall('{"location":"San Francisco"}', { finishReason: "STOP", text: "Let me look that up." });
    const path = join(replay.dir, "older.aiconfig.json");
    runtime(config).save(path);
    const rt = load(path);
    replay.server.reply({ json: readFixtureJSON("google", "google-text.json") });
    const first = replay.server.requests.length;
    await rt.run("answer");
    assert.deepEqual(replay.server.requests[first]!.body.contents, [
      userTurn,
      {
        role: "model",
        parts: [
          { text: "Let me look that up." },
          {
            functionCall: { name: "weather", args: { location: "San Francisco" } },
            thoughtSignature: "context_engineering_is_the_way_to_go",
          },
        ],
      },
      resultTurn,
    ]);
  });

  test("the placeholder goes only where a signature may be required: not to Gemini 1.x or 2.x models, which need none (their requests stay as they were)", async () => {
    for (const [model, placeholder] of [
      ["gemini-2.5-flash", false],
      ["models/gemini-2.0-flash", false],
      ["gemini-1.5-pro", false],
      ["gemini-pro", false],
      ["gemini-3-pro-preview", true],
      ["gemini-3.1-flash-image-preview", true],
      ["gemini-flash-latest", true],
    ] as const) {
      assert.equal(sendsPlaceholderSignature(model), placeholder, model);
    }
    const config = withStoredCall('{"location":"San Francisco"}');
    for (const prompt of config.prompts) prompt.metadata = { ...prompt.metadata, model: "gemini-2.5-flash" };
    const request = (await runtime(config).resolve("answer")) as GeminiRequest;
    assert.deepEqual(request.contents[1], {
      role: "model",
      parts: [{ functionCall: { name: "weather", args: { location: "San Francisco" } } }],
    });
  });

  test("fault: Gemini 3's 400 for a call sent without its signature (constructed body, worded as Gemini's) says to run the earlier prompt again, in one line", async () => {
    const rt = runtime(withStoredCall('{"location":"San Francisco"}'));
    const message =
      "Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:weather` , position 2. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.";
    replay.server.reply({ status: 400, json: { error: { code: 400, message, status: "INVALID_ARGUMENT" } } });
    await assert.rejects(rt.run("answer"));
    const [stored] = rt.config.prompts[1]!.outputs ?? [];
    assert.equal(stored?.output_type, "error");
    assert.equal(
      stored?.output_type === "error" ? stored.evalue : undefined,
      `Gemini API error 400 INVALID_ARGUMENT: ${message} (an earlier prompt's function call was saved without Gemini's thought signature, e.g. by an older version: run that prompt again)`,
    );
  });

  test("parallel calls (constructed): only the first carries a signature; results by tool_call_id and by name are one user turn, each matched to its call", async () => {
    const calls: ToolCall[] = [
      { id: "call-sf", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } },
      { id: "call-oak", type: "function", function: { name: "weather", arguments: '{"location":"Oakland"}' } },
      { type: "function", function: { name: "time", arguments: "" } },
    ];
    const config = afterStoredCalls(
      "Weather in San Francisco and Oakland, and the time?",
      calls,
      { thoughtSignatures: { toolCalls: ["c2ln", null, null] } },
      [
        // answered out of order, by id
        ["oakland", { role: "tool", tool_call_id: "call-oak", data: "14" }],
        ["sf", { role: "tool", tool_call_id: "call-sf", data: '{"temperature": 18}' }],
        // the legacy role "function", by name
        ["time", { role: "function", name: "time", data: "09:30" }],
      ],
    );
    const rt = runtime(config);
    const request = (await rt.resolve("time")) as GeminiRequest;
    // the SDK sends these contents as they are (ids on calls and results included)
    replay.server.reply({ json: readFixtureJSON("google", "google-text.json") });
    const first = replay.server.requests.length;
    await rt.run("time");
    assert.deepEqual(replay.server.requests[first]!.body.contents, request.contents);
    assert.deepEqual(request.contents, [
      { role: "user", parts: [{ text: "Weather in San Francisco and Oakland, and the time?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "weather", args: { location: "San Francisco" }, id: "call-sf" }, thoughtSignature: "c2ln" },
          { functionCall: { name: "weather", args: { location: "Oakland" }, id: "call-oak" } },
          { functionCall: { name: "time", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "weather", id: "call-oak", response: { output: 14 } } },
          { functionResponse: { name: "weather", id: "call-sf", response: { temperature: 18 } } },
          { functionResponse: { name: "time", response: { output: "09:30" } } },
        ],
      },
    ]);
  });

  test("a stale tool_call_id (constructed: it names no open call) answers the next unanswered call and sends that call's id, or no id when that call had none", async () => {
    const calls: ToolCall[] = [
      { id: "call-sf", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } },
      { type: "function", function: { name: "weather", arguments: '{"location":"Oakland"}' } },
    ];
    const config = afterStoredCalls("Weather in San Francisco and Oakland?", calls, undefined, [
      // ids of an earlier run of "ask": neither names a call of the stored output
      ["sf", { role: "tool", tool_call_id: "call-from-an-older-run", data: "18" }],
      ["oakland", { role: "tool", tool_call_id: "call-also-gone", data: "14" }],
    ]);
    const request = (await runtime(config).resolve("oakland")) as GeminiRequest;
    // stored without signatures: the first call gets Google's placeholder, the parallel one none
    assert.deepEqual(
      request.contents[1]?.parts?.map((p) => p.thoughtSignature),
      ["context_engineering_is_the_way_to_go", undefined],
    );
    assert.deepEqual(request.contents[2], {
      role: "user",
      parts: [
        { functionResponse: { name: "weather", id: "call-sf", response: { output: 18 } } },
        { functionResponse: { name: "weather", response: { output: 14 } } },
      ],
    });
  });

  test("a text output's thought signature goes back on its text part (recorded google-text.json)", async () => {
    const rt = runtime({
      name: "t",
      schema_version: "latest",
      metadata: {},
      prompts: [
        { name: "count", input: "How many r's are in strawberry?", metadata: { model: MODEL } },
        { name: "again", input: "And in raspberry?", metadata: { model: MODEL } },
      ],
    });
    const reply = readFixtureJSON("google", "google-text.json") as typeof recorded & {
      candidates: Array<{ content: { parts: Array<{ text: string }> } }>;
    };
    replay.server.reply({ json: reply });
    await rt.run("count");
    const part = reply.candidates[0]!.content.parts[0]!;
    const request = (await rt.resolve("again")) as GeminiRequest;
    assert.deepEqual(request.contents[1], { role: "model", parts: [{ text: part.text, thoughtSignature: part.thoughtSignature }] });
  });

  test("a result with is_error: true goes as the function's error (response.error, Google's key for it); a JSON object result with an error key goes as it is", async () => {
    const config = withStoredCall('{"location":"San Francisco"}');
    const answer = config.prompts[1]!;
    answer.input = { role: "tool", data: "the weather service timed out", is_error: true };
    const failed = (await runtime(config).resolve("answer")) as GeminiRequest;
    assert.deepEqual(failed.contents.at(-1), {
      role: "user",
      parts: [{ functionResponse: { name: "weather", response: { error: "the weather service timed out" } } }],
    });
    answer.input = { role: "tool", data: '{"error": "no such city", "code": 404}', is_error: true };
    const object = (await runtime(config).resolve("answer")) as GeminiRequest;
    assert.deepEqual(object.contents.at(-1)?.parts, [
      { functionResponse: { name: "weather", response: { error: "no such city", code: 404 } } },
    ]);
    answer.input = { role: "tool", data: '{"code": 504, "message": "gateway timeout"}', is_error: true };
    const noErrorKey = (await runtime(config).resolve("answer")) as GeminiRequest;
    assert.deepEqual(
      noErrorKey.contents.at(-1)?.parts,
      [{ functionResponse: { name: "weather", response: { error: { code: 504, message: "gateway timeout" } } } }],
      "an object without an error key goes under error: as it is, Google would read it as the output",
    );
    answer.input = { role: "tool", data: "the weather service timed out", is_error: "yes" } as unknown as Prompt["input"];
    const notSaid = (await runtime(config).resolve("answer")) as GeminiRequest;
    assert.deepEqual(notSaid.contents.at(-1)?.parts, [
      { functionResponse: { name: "weather", response: { output: "the weather service timed out" } } },
    ]);
  });

  test("fault: a function result that names no function and follows no call fails with one line naming the prompt and input.name", async () => {
    const config = twoStepFile();
    config.prompts.shift();
    await assert.rejects(runtime(config).resolve("answer"), (error: Error) => {
      assert.ok(InvalidInputError.isInstance(error));
      assert.match(error.message, /^prompt "answer": .*set input\.name to the function's name/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  test("fault: stored call arguments that are not a JSON object (hand-edited; constructed) fail with one line naming the prompt and the field to correct", async () => {
    const config = withStoredCall("{location: SF");
    await assert.rejects(runtime(config).resolve("answer"), (error: Error) => {
      assert.ok(InvalidInputError.isInstance(error));
      assert.equal(
        error.message,
        'prompt "ask": tool call 1 of its output has arguments that are not a JSON object: correct outputs[].data.value[0].function.arguments, or run the prompt again',
      );
      return true;
    });
  });

  test("attack: a thoughtSignatures entry that is not a string (untrusted file; constructed) is not sent: the call gets the placeholder, as one without a signature", async () => {
    const config = withStoredCall('{"location":"San Francisco"}', { thoughtSignatures: { toolCalls: [{ $ref: "x" }], text: 42 } });
    const request = (await runtime(config).resolve("answer")) as GeminiRequest;
    assert.deepEqual(request.contents[1], {
      role: "model",
      parts: [
        {
          functionCall: { name: "weather", args: { location: "San Francisco" } },
          thoughtSignature: "context_engineering_is_the_way_to_go",
        },
      ],
    });
  });
});

describe("serialize and resolve", () => {
  test("a request with a signed functionCall and its functionResponse: serialize writes the calls as tool_calls with thoughtSignatures and the result as raw parts; resolving gives the same request", async () => {
    const request: GeminiRequest = {
      model: MODEL,
      contents: [
        userTurn,
        {
          role: "model",
          parts: [
            { text: "Checking.", thoughtSignature: "dGV4dA==" },
            { functionCall: { name: "weather", args: { location: "San Francisco" } }, thoughtSignature: RECORDED_SIGNATURE },
          ],
        },
        resultTurn,
      ],
    };
    const prompts = (await geminiProvider.serialize?.(request, { promptName: "w", model: MODEL, parameters: {} })) as Prompt[];
    assert.deepEqual(prompts[0]!.outputs, [
      {
        output_type: "execute_result",
        execution_count: 0,
        data: {
          kind: "tool_calls",
          value: [{ type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } }],
        },
        metadata: { role: "model", text: "Checking.", thoughtSignatures: { toolCalls: [RECORDED_SIGNATURE], text: "dGV4dA==" } },
      },
    ]);
    assert.deepEqual(prompts[1]!.input, { data: resultTurn.parts });
    const rt = runtime({ name: "s", schema_version: "latest", metadata: {}, prompts });
    assert.deepEqual(await rt.resolve("w"), request);
  });
});
