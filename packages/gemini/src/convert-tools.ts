/**
 * Converts the `tools` and `tool_choice` settings to Gemini's `tools` and
 * `toolConfig`. Files written for OpenAI or Anthropic use their shapes; all
 * are accepted.
 *
 * Source: https://ai.google.dev/gemini-api/docs/function-calling (function
 * declarations, `parametersJsonSchema`, function calling modes).
 *
 * @packageDocumentation
 */
import { AIConfigError, type JSONObject, type JSONValue } from "@aiconfig-ts/core";
import { camelCase, camelKeysDeep } from "./camel-case.js";

function isObject(value: unknown): value is JSONObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A function declaration from an OpenAI or Anthropic function tool, or `undefined` for other tools. */
function foreignFunction(tool: JSONObject): JSONObject | undefined {
  const fn = tool.type === "function" && isObject(tool.function) ? tool.function : undefined;
  const source = fn ?? ("input_schema" in tool ? tool : undefined);
  if (!source) return undefined;
  const out: JSONObject = { name: source.name ?? "" };
  if (source.description !== undefined) out.description = source.description;
  const schema = source.parameters ?? source.input_schema;
  if (schema !== undefined) out.parametersJsonSchema = schema;
  return out;
}

function geminiTool(tool: JSONObject): JSONObject {
  const out: JSONObject = {};
  for (const [key, value] of Object.entries(tool)) {
    const name = camelCase(key);
    if (name === "functionDeclarations" && Array.isArray(value)) {
      out[name] = value.map((d) => {
        if (!isObject(d)) return d;
        const decl: JSONObject = {};
        for (const [k, v] of Object.entries(d)) decl[camelCase(k)] = v;
        return decl;
      });
    } else out[name] = value;
  }
  return out;
}

/**
 * Converts the `tools` setting: OpenAI (`{type: "function", function: {name,
 * description, parameters}}`) and Anthropic (`{name, description,
 * input_schema}`) function tools are gathered into one
 * `{functionDeclarations: [{name, description, parametersJsonSchema}]}` tool;
 * Gemini tools (`functionDeclarations`, `googleSearch`, `codeExecution`, ...,
 * also in snake_case) are kept, their field names in camelCase.
 */
export function toGeminiTools(tools: readonly JSONValue[]): JSONObject[] {
  const out: JSONObject[] = [];
  const gathered: JSONObject[] = [];
  for (const tool of tools) {
    if (!isObject(tool)) continue;
    const fn = foreignFunction(tool);
    if (fn) gathered.push(fn);
    else out.push(geminiTool(tool));
  }
  if (gathered.length > 0) out.unshift({ functionDeclarations: gathered });
  return out;
}

/**
 * Converts `tool_choice` to `toolConfig`: `"auto"`, `"required"` / `"any"`,
 * `"none"` set the function calling mode (`AUTO`, `ANY`, `NONE`);
 * `{type: "function", function: {name}}` (OpenAI) or `{type: "tool", name}`
 * (Anthropic) allow only that function (`ANY` with `allowedFunctionNames`);
 * another object is taken as a Gemini `toolConfig`.
 * @throws {AIConfigError} for a string that is none of those.
 */
export function toGeminiToolConfig(choice: JSONValue, prompt: string): JSONObject {
  if (typeof choice === "string") {
    const mode = { auto: "AUTO", required: "ANY", any: "ANY", none: "NONE", validated: "VALIDATED" }[choice.toLowerCase()];
    if (!mode) {
      throw new AIConfigError(
        `prompt "${prompt}": settings.tool_choice "${choice}" is not understood: use "auto", "required", "none" or {"type": "function", "function": {"name": "NAME"}}`,
      );
    }
    return { functionCallingConfig: { mode } };
  }
  if (isObject(choice)) {
    const name =
      choice.type === "function" && isObject(choice.function) ? choice.function.name : choice.type === "tool" ? choice.name : undefined;
    if (typeof name === "string") return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [name] } };
    return camelKeysDeep(choice) as JSONObject;
  }
  throw new AIConfigError(`prompt "${prompt}": settings.tool_choice must be a string or an object`);
}
