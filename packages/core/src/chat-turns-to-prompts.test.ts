import assert from "node:assert/strict";
import { test } from "node:test";
import { chatTurnsToPrompts } from "./chat-turns-to-prompts.js";

test("turns become prompts NAME_1 ... NAME, each with its reply and its own copy of the model", () => {
  const model = { name: "m", settings: { temperature: 0 } };
  const prompts = chatTurnsToPrompts(
    [{ input: "hi", output: { output_type: "execute_result", data: "hello" } }, { input: "bye" }],
    { promptName: "chat", model: "m", parameters: { p: 1 } },
    model,
  );
  assert.deepEqual(
    prompts.map((p) => [p.name, p.input, p.outputs?.length ?? 0]),
    [
      ["chat_1", "hi", 1],
      ["chat", "bye", 0],
    ],
  );
  assert.deepEqual(prompts[1]!.metadata, { model, parameters: { p: 1 }, remember_chat_context: true });
  assert.notEqual(prompts[0]!.metadata!.model, prompts[1]!.metadata!.model);
  assert.deepEqual(chatTurnsToPrompts([], { promptName: "x", model: "m", parameters: {} }, "m"), []);
});
