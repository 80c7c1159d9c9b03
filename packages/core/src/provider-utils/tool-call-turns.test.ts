import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidInputError } from "../errors.js";
import type { Output, Prompt, ToolCall } from "../types.js";
import { OpenToolCalls, outputToolCalls, toolCallArguments, toolResultInput } from "./tool-call-turns.js";

/** Parallel calls as a provider stores them (constructed: ids in OpenAI's and Anthropic's styles, one call without an id as Gemini 2.5 gives). */
const CALLS: ToolCall[] = [
  { id: "toolu_sf", type: "function", function: { name: "weather", arguments: '{"location":"San Francisco"}' } },
  { id: "call_oak", type: "function", function: { name: "weather", arguments: '{"location":"Oakland"}' } },
  { type: "function", function: { name: "time", arguments: "" } },
];

describe("OpenToolCalls: which call a tool's result answers", () => {
  test("by tool_call_id first, else the first unanswered call of that name, else the next unanswered call; none once all are answered", () => {
    const open = new OpenToolCalls();
    open.called(CALLS);
    assert.equal(open.match("call_oak", "time"), CALLS[1]);
    assert.equal(open.match(undefined, "time"), CALLS[2]);
    // a stale id (the calling prompt was run again) and a name that no open call has fall back to the next unanswered call
    assert.equal(open.match("toolu_stale", "forecast"), CALLS[0]);
    assert.equal(open.match(undefined), undefined);
    assert.deepEqual(open.unanswered(), []);
  });

  test("unanswered lists the calls no result answered, in order; a text answer closes them all", () => {
    const open = new OpenToolCalls();
    open.called(CALLS);
    open.answeredRaw(1);
    assert.deepEqual(open.unanswered(), [CALLS[1], CALLS[2]]);
    open.closed();
    assert.deepEqual(open.unanswered(), []);
    assert.equal(open.match("toolu_sf"), undefined);
  });
});

describe("reading stored calls and results from an untrusted file", () => {
  test("outputToolCalls keeps only calls with a function name; other outputs have none", () => {
    const output: Output = {
      output_type: "execute_result",
      data: { kind: "tool_calls", value: [CALLS[0]!, { type: "function" } as unknown as ToolCall, "x" as unknown as ToolCall] },
    };
    assert.deepEqual(outputToolCalls(output), [CALLS[0]]);
    assert.equal(outputToolCalls({ output_type: "execute_result", data: "text" }), undefined);
    assert.equal(outputToolCalls({ output_type: "error", ename: "E", evalue: "v", traceback: [] }), undefined);
  });

  test("toolCallArguments parses the JSON object, reads empty text as {}, and names the field to correct otherwise, in one line", () => {
    assert.deepEqual(toolCallArguments(CALLS[0]!, "ask", 0), { location: "San Francisco" });
    assert.deepEqual(toolCallArguments(CALLS[2]!, "ask", 2), {});
    for (const bad of ["{location: SF", "[1, 2]", '"text"']) {
      const call: ToolCall = { type: "function", function: { name: "weather", arguments: bad } };
      assert.throws(
        () => toolCallArguments(call, "ask", 1),
        (e: Error) =>
          InvalidInputError.isInstance(e) &&
          e.message ===
            'prompt "ask": tool call 2 of its output has arguments that are not a JSON object: correct outputs[].data.value[1].function.arguments, or run the prompt again',
      );
    }
  });

  test("toolResultInput reads role tool / function with their tool_call_id and name; other inputs are no result", () => {
    const prompt = (input: Prompt["input"]): Prompt => ({ name: "p", input });
    assert.deepEqual(toolResultInput(prompt({ role: "tool", tool_call_id: "toolu_sf", data: "18" })), {
      role: "tool",
      toolCallId: "toolu_sf",
    });
    assert.deepEqual(toolResultInput(prompt({ role: "function", name: "time", data: "09:30" })), { role: "function", name: "time" });
    assert.deepEqual(toolResultInput(prompt({ role: "tool", tool_call_id: "", name: 7, data: "x" } as Prompt["input"])), { role: "tool" });
    assert.equal(toolResultInput(prompt({ role: "user", data: "hi" } as Prompt["input"])), undefined);
    assert.equal(toolResultInput(prompt("hi")), undefined);
  });

  test("toolResultInput reads is_error only when it is exactly true (the file is untrusted)", () => {
    const prompt = (input: Prompt["input"]): Prompt => ({ name: "p", input });
    assert.deepEqual(toolResultInput(prompt({ role: "tool", tool_call_id: "toolu_sf", data: "timed out", is_error: true })), {
      role: "tool",
      toolCallId: "toolu_sf",
      isError: true,
    });
    assert.deepEqual(toolResultInput(prompt({ role: "function", name: "time", data: "no clock", is_error: true })), {
      role: "function",
      name: "time",
      isError: true,
    });
    for (const isError of ["true", 1, false, null, {}]) {
      assert.deepEqual(toolResultInput(prompt({ role: "tool", data: "18", is_error: isError })), { role: "tool" }, JSON.stringify(isError));
    }
  });
});
