/**
 * Gemini 3's function calls streamed in pieces, and Gemini's finishMessage.
 *
 * No recording of a function call streamed in pieces exists in
 * ../shared/fixtures/providers/google, so the replies with `willContinue` /
 * `partialArgs` here are constructed, in the shapes `@google/genai`'s types
 * give (`FunctionCall.partialArgs`, `PartialArg`). The finishMessage test
 * replays the recorded google-tool-call.json.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AIConfigRuntime, type ExecuteResult } from "@aiconfig-ts/core";
import { type ReplayServer, readFixtureJSON, startReplayServer } from "@aiconfig-ts/testing";
import type { Part } from "@google/genai";
import { jsonPathSteps, mergeFunctionCallParts } from "./merge-function-call-parts.js";
import { register } from "./register.js";

let server: ReplayServer;
before(async () => {
  server = await startReplayServer();
});
after(() => server.close());

function runtime() {
  const rt = AIConfigRuntime.loadJSON(
    {
      name: "t",
      schema_version: "latest",
      metadata: {},
      prompts: [{ name: "w", input: "Weather in San Francisco for 3 days, and the time there?", metadata: { model: "gemini-2.5-flash" } }],
    },
    { env: { GEMINI_API_KEY: "test-key", GOOGLE_GEMINI_BASE_URL: server.url } },
  );
  register(rt.registry);
  return rt;
}

const chunk = (parts: Part[], extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { role: "model", parts }, index: 0, ...extra }],
  modelVersion: "gemini-3-pro-preview",
});

/** Constructed: two calls streamed in pieces, the first with a string in two pieces and arguments of every kind. */
const pieces: Part[][] = [
  [{ functionCall: { name: "get_weather", id: "call-w", willContinue: true }, thoughtSignature: "c2ln" }],
  [{ functionCall: { partialArgs: [{ jsonPath: "$.location", stringValue: "San ", willContinue: true }], willContinue: true } }],
  [{ functionCall: { partialArgs: [{ jsonPath: "$.location", stringValue: "Francisco" }], willContinue: true } }],
  [
    {
      functionCall: {
        partialArgs: [
          { jsonPath: "$.days", numberValue: 3 },
          { jsonPath: "$.units.metric", boolValue: true },
          { jsonPath: "$.stops[1]['city name']", stringValue: "Oakland" },
          { jsonPath: "$.note", nullValue: "NULL_VALUE" },
        ],
        willContinue: true,
      },
    },
  ],
  [{ functionCall: {} }],
  [{ functionCall: { name: "get_time", willContinue: true } }],
  [{ functionCall: { partialArgs: [{ jsonPath: "$.zone", stringValue: "America/Los_Angeles" }], willContinue: true } }],
  [{ functionCall: {} }],
];

const expectedCalls = [
  {
    id: "call-w",
    type: "function",
    function: {
      name: "get_weather",
      arguments: JSON.stringify({
        location: "San Francisco",
        days: 3,
        units: { metric: true },
        stops: [null, { "city name": "Oakland" }],
        note: null,
      }),
    },
  },
  { type: "function", function: { name: "get_time", arguments: JSON.stringify({ zone: "America/Los_Angeles" }) } },
];

describe("a function call streamed in pieces (Gemini 3)", () => {
  test("streamed: the pieces become two whole calls with their names and arguments, and finishMessage is kept", async () => {
    const rt = runtime();
    const events = pieces.map((parts, i) =>
      JSON.stringify(
        chunk(parts, i === pieces.length - 1 ? { finishReason: "STOP", finishMessage: "Model generated function call(s)." } : {}),
      ),
    );
    server.reply({ sse: events });
    const deltas: string[] = [];
    const [output, ...more] = (await rt.run("w", {}, { onStream: (c) => deltas.push(c.delta) })) as ExecuteResult[];
    assert.deepEqual(more, []);
    assert.deepEqual(deltas, []);
    assert.deepEqual(output!.data, { kind: "tool_calls", value: expectedCalls });
    assert.equal(output!.metadata?.finishReason, "STOP");
    assert.equal(output!.metadata?.finishMessage, "Model generated function call(s).");
  });

  test("whole: the same pieces in one response give the same calls", async () => {
    const rt = runtime();
    server.reply({ json: chunk(pieces.flat(), { finishReason: "STOP" }) });
    const [output] = (await rt.run("w")) as ExecuteResult[];
    assert.deepEqual(output!.data, { kind: "tool_calls", value: expectedCalls });
  });

  test("the merged part keeps the first piece's thoughtSignature; text and whole calls around it stay in order", () => {
    const merged = mergeFunctionCallParts([
      { text: "Let me check." },
      ...pieces.slice(0, 5).flat(),
      { functionCall: { name: "noop", args: {} } },
    ]);
    assert.deepEqual(merged, [
      { text: "Let me check." },
      {
        functionCall: {
          name: "get_weather",
          id: "call-w",
          args: { location: "San Francisco", days: 3, units: { metric: true }, stops: [null, { "city name": "Oakland" }], note: null },
        },
        thoughtSignature: "c2ln",
      },
      { functionCall: { name: "noop", args: {} } },
    ]);
  });

  test("a call whose end never came keeps the arguments received so far", () => {
    assert.deepEqual(mergeFunctionCallParts(pieces.slice(0, 2).flat()), [
      { functionCall: { name: "get_weather", id: "call-w", args: { location: "San " } }, thoughtSignature: "c2ln" },
    ]);
  });

  test("a string piece without willContinue before it replaces, it does not append", () => {
    const merged = mergeFunctionCallParts([
      { functionCall: { name: "f", willContinue: true } },
      { functionCall: { partialArgs: [{ jsonPath: "$.a", stringValue: "x" }], willContinue: true } },
      { functionCall: { partialArgs: [{ jsonPath: "$.a", stringValue: "y" }], willContinue: true } },
      { functionCall: {} },
    ]);
    assert.deepEqual(merged, [{ functionCall: { name: "f", args: { a: "y" } } }]);
  });

  test("attack: a streamed reply whose paths name __proto__ or constructor writes keys of those names into the call's arguments, never into Object.prototype", async () => {
    const rt = runtime();
    /** Constructed: a hostile reply (any endpoint's, or one tampered with on the way). */
    const hostile: Part[][] = [
      [{ functionCall: { name: "get_weather", id: "call-p", willContinue: true } }],
      [{ functionCall: { partialArgs: [{ jsonPath: "$.__proto__.polluted", stringValue: "yes" }], willContinue: true } }],
      [{ functionCall: { partialArgs: [{ jsonPath: `$["__proto__"]["isAdmin"]`, boolValue: true }], willContinue: true } }],
      [{ functionCall: { partialArgs: [{ jsonPath: "$.constructor.prototype.polluted", stringValue: "yes" }], willContinue: true } }],
      [{ functionCall: {} }],
    ];
    server.reply({ sse: hostile.map((parts) => JSON.stringify(chunk(parts))) });
    try {
      const [output] = (await rt.run("w", {}, { onStream: () => {} })) as ExecuteResult[];
      assert.equal(({} as { polluted?: unknown }).polluted, undefined, "Object.prototype was written");
      assert.equal(({} as { isAdmin?: unknown }).isAdmin, undefined, "Object.prototype was written");
      const [call] = (output!.data as { value: Array<{ function: { arguments: string } }> }).value;
      assert.equal(
        call!.function.arguments,
        JSON.stringify(JSON.parse(`{"__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}}`)),
      );
    } finally {
      delete (Object.prototype as { polluted?: unknown }).polluted;
      delete (Object.prototype as { isAdmin?: unknown }).isAdmin;
    }
  });

  test("attack: a piece whose index is far past the array's end (that would fill memory) or names a key of an array is left out; a small gap is still filled with null", () => {
    const merged = mergeFunctionCallParts([
      { functionCall: { name: "f", willContinue: true } },
      {
        functionCall: {
          partialArgs: [
            { jsonPath: "$.stops[0]", stringValue: "Oakland" },
            { jsonPath: "$.stops[4294967294]", stringValue: "far" },
            { jsonPath: "$.stops[100000].city", stringValue: "far" },
            { jsonPath: "$.stops.length", numberValue: 0 },
            { jsonPath: "$.stops[2]", stringValue: "Fresno" },
          ],
          willContinue: true,
        },
      },
      { functionCall: {} },
    ]);
    assert.deepEqual(merged, [{ functionCall: { name: "f", args: { stops: ["Oakland", null, "Fresno"] } } }]);
  });

  test("JSON paths of names, indices and quoted names are read; other selectors are not", () => {
    assert.deepEqual(jsonPathSteps("$.foo.bar[0].data"), ["foo", "bar", 0, "data"]);
    assert.deepEqual(jsonPathSteps(`$["a b"]['c\\'d']`), ["a b", "c'd"]);
    assert.equal(jsonPathSteps("$..foo"), undefined);
    assert.equal(jsonPathSteps("$.items[*]"), undefined);
    assert.equal(jsonPathSteps("foo"), undefined);
  });
});

describe("finishMessage", () => {
  test("google-tool-call.json (recorded): the finishMessage the SDK drops is kept in the output's metadata", async () => {
    const rt = runtime();
    const recorded = readFixtureJSON("google", "google-tool-call.json") as { candidates: Array<{ finishMessage: string }> };
    server.reply({ json: recorded });
    const [output] = (await rt.run("w")) as ExecuteResult[];
    assert.equal(output!.metadata?.finishMessage, recorded.candidates[0]!.finishMessage);
    assert.equal(output!.metadata?.finishMessage, "Model generated function call(s).");
  });
});
