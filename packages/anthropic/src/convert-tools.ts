/**
 * Converts the `tools` and `tool_choice` settings to the Messages API's shapes.
 * Files written for OpenAI use OpenAI's shapes; both are accepted.
 *
 * Source: https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/implement-tool-use
 * and OpenAI's chat completions `tools` / `tool_choice`.
 *
 * @packageDocumentation
 */
import { AIConfigError, type JSONValue } from "@aiconfig-ts/core";

type Obj = { [key: string]: unknown };

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Converts one tool: an OpenAI function tool `{type: "function", function: {name,
 * description, parameters}}` (or a bare `{name, parameters}` function) becomes
 * `{name, description, input_schema}`; anything else (Anthropic client tools,
 * server tools such as `web_search_20250305`) is kept as it is.
 */
export function toAnthropicTool(tool: JSONValue): JSONValue {
  if (!isObject(tool)) return tool;
  const fn = tool.type === "function" && isObject(tool.function) ? tool.function : undefined;
  const source = fn ?? (tool.type === undefined && "parameters" in tool && !("input_schema" in tool) ? tool : undefined);
  if (!source) return tool;
  const out: Obj = { name: source.name };
  if (source.description !== undefined) out.description = source.description;
  out.input_schema = (source.parameters as JSONValue | undefined) ?? { type: "object", properties: {} };
  return out as JSONValue;
}

/**
 * Converts `tool_choice`: OpenAI's `"auto"`, `"required"`, `"none"` and
 * `{type: "function", function: {name}}` become `{type: "auto" | "any" | "none"}`
 * and `{type: "tool", name}`; Anthropic's own objects are kept.
 * @throws {AIConfigError} for a string that is neither of those.
 */
export function toAnthropicToolChoice(choice: JSONValue, prompt: string): JSONValue {
  if (typeof choice === "string") {
    const mapped = { auto: "auto", required: "any", any: "any", none: "none" }[choice];
    if (!mapped) {
      throw new AIConfigError(
        `prompt "${prompt}": settings.tool_choice "${choice}" is not understood: use "auto", "any", "none" or {"type": "tool", "name": "TOOL"}`,
      );
    }
    return { type: mapped };
  }
  if (isObject(choice) && choice.type === "function" && isObject(choice.function)) {
    return { type: "tool", name: choice.function.name as JSONValue };
  }
  return choice;
}
