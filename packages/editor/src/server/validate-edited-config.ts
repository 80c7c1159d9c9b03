/**
 * Checks a document sent by the page before the server saves or runs it, so
 * that bad input gets a clear message and changes nothing on disk.
 *
 * @packageDocumentation
 */
/** A parameter name usable as `{{name}}`: a JavaScript-style identifier. */
export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The problems of an edited document, one line each, naming the prompt or
 * field and the fix; empty when it is fine. Checks: the document shape,
 * non-empty unique prompt names, parameter names that are identifiers
 * (root and per prompt), settings that are JSON objects, and attachments
 * with `data`.
 */
export function editedConfigProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(doc)) return ["the document must be a JSON object"];
  if (typeof doc.name !== "string") problems.push("the config name must be a string");
  if (doc.description !== undefined && typeof doc.description !== "string") problems.push("the description must be a string");
  if (!Array.isArray(doc.prompts)) return [...problems, "prompts must be a list"];
  const metadata = doc.metadata === undefined ? {} : doc.metadata;
  if (!isObject(metadata)) return [...problems, "metadata must be an object"];
  checkParameters(metadata.parameters, "global parameters", problems);
  if (metadata.models !== undefined) {
    if (!isObject(metadata.models)) problems.push("global model settings (metadata.models) must be an object");
    else {
      for (const [model, settings] of Object.entries(metadata.models)) {
        if (!isObject(settings)) problems.push(`global settings of model "${model}" must be a JSON object`);
      }
    }
  }
  const seen = new Set<string>();
  (doc.prompts as unknown[]).forEach((prompt, i) => {
    if (!isObject(prompt)) {
      problems.push(`prompt ${i + 1} must be an object`);
      return;
    }
    const name = prompt.name;
    const label = typeof name === "string" && name !== "" ? `prompt "${name}"` : `prompt ${i + 1}`;
    if (typeof name !== "string" || name.trim() === "") problems.push(`${label} needs a name`);
    else if (seen.has(name)) problems.push(`two prompts are named "${name}": rename one (prompt names must be unique)`);
    else seen.add(name);
    if (typeof prompt.input !== "string" && !isObject(prompt.input)) problems.push(`${label}: the input must be text or an object`);
    if (isObject(prompt.input) && prompt.input.attachments !== undefined) {
      if (!Array.isArray(prompt.input.attachments)) problems.push(`${label}: attachments must be a list`);
      else
        prompt.input.attachments.forEach((a, j) => {
          if (!isObject(a) || !("data" in a)) problems.push(`${label}: attachment ${j + 1} needs data`);
        });
    }
    const meta = prompt.metadata;
    if (meta === undefined) return;
    if (!isObject(meta)) {
      problems.push(`${label}: metadata must be an object`);
      return;
    }
    checkParameters(meta.parameters, `${label} parameters`, problems);
    const model = meta.model;
    if (model !== undefined && typeof model !== "string") {
      if (!isObject(model) || typeof model.name !== "string") problems.push(`${label}: the model must be a name or {name, settings}`);
      else if (model.settings !== undefined && !isObject(model.settings)) problems.push(`${label}: settings must be a JSON object`);
    }
  });
  return problems;
}

function checkParameters(parameters: unknown, where: string, problems: string[]): void {
  if (parameters === undefined) return;
  if (!isObject(parameters)) {
    problems.push(`${where} must be an object`);
    return;
  }
  for (const key of Object.keys(parameters)) {
    if (!IDENTIFIER.test(key)) {
      problems.push(`${where}: "${key}" is not a valid parameter name (use letters, digits and _, not starting with a digit)`);
    }
  }
}
