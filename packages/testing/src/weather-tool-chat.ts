/**
 * A constructed two-step function-calling chat that provider tests share:
 * a prompt asking for the weather with a weather tool, then a prompt holding
 * the tool's result as OpenAI's tool message (`{role: "tool", data}`), the
 * shape a file gives every provider. Plain data: the AIConfig format, built
 * without importing `@aiconfig-ts/core`.
 */

/** The weather tool, in OpenAI's shape (`{type: "function", function: {name, description, parameters}}`), which every chat provider takes in its `tools` setting. */
export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "weather",
    description: "The current weather of a place",
    parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
  },
};

/** The question of the chat's first prompt, `ask`. */
export const WEATHER_QUESTION = "What is the weather in San Francisco?";

/** The tool's result in the chat's second prompt, `answer` (JSON text). */
export const WEATHER_RESULT = '{"temperature": 18, "unit": "celsius"}';

/**
 * An AIConfig document (plain data, `schema_version: "latest"`) of two
 * prompts of `model`: `ask` ({@link WEATHER_QUESTION}) and `answer`, whose
 * input is `{role: "tool", data: WEATHER_RESULT}` (no `tool_call_id`: it
 * answers the call before it); the root settings of `model` are `{tools:
 * [WEATHER_TOOL]}` with `settings` added (e.g. `{tool_choice: "auto"}`).
 * A new object each call, for the test to change.
 */
export function weatherToolChat<S extends object = Record<never, never>>(model: string, settings?: S) {
  return {
    name: "weather",
    schema_version: "latest" as const,
    metadata: { models: { [model]: { tools: [WEATHER_TOOL], ...settings } } },
    prompts: [
      { name: "ask", input: WEATHER_QUESTION, metadata: { model } },
      { name: "answer", input: { role: "tool", data: WEATHER_RESULT }, metadata: { model } },
    ],
  };
}
