/**
 * Errors of a run said in the editor's words: core and the providers word
 * their fixes for the command line (`-p hero=VALUE`, `--with-dependencies`,
 * `--allow-path DIR`); in the editor the fix is a panel or a button.
 *
 * @packageDocumentation
 */

/** An error of a run, as the page shows it: one line naming the prompt, place and fix in the editor. */
export function editorMessage(error: Error): string {
  const e = error as Error & {
    parameter?: unknown;
    prompt?: unknown;
    reference?: unknown;
    path?: unknown;
    reason?: unknown;
    where?: { prompt?: unknown };
  };
  if (error.name === "MissingParameterError" && typeof e.parameter === "string" && typeof e.prompt === "string") {
    return `prompt "${e.prompt}" uses parameter "${e.parameter}" but nothing defines it: add a value in Parameters (${e.parameter}) of this prompt, or in the global parameters`;
  }
  if (error.name === "AttachmentPathError" && typeof e.path === "string" && typeof e.reason === "string") {
    const prompt = typeof e.where?.prompt === "string" ? `prompt "${e.where.prompt}": ` : "";
    return `${prompt}attachment ${JSON.stringify(e.path)} is refused: ${e.reason}: attachments are read only inside the config's folder; pick the file again in Attachments (it is then stored there)`;
  }
  if (error.name === "MissingOutputError" && typeof e.reference === "string" && typeof e.prompt === "string") {
    return `prompt "${e.prompt}" uses the output of prompt "${e.reference}", which has no output yet: run "${e.reference}" first, or use ▶▶ With dependencies`;
  }
  return (
    error.message
      // the CLI's flags, as the editor's controls
      .replace(/\(?`?--with-dependencies`?\)?/g, "(▶▶ With dependencies)")
      .replace(/\bpass it to run \(-p ([A-Za-z_$][\w$]*)=VALUE\)/g, "add a value in Parameters ($1)")
      .replace(/-p ([A-Za-z_$][\w$]*)=VALUE/g, "a value in Parameters ($1)")
      .replace(/`?--allow-path[ =]DIR`?/g, "picking the file again in Attachments (it is then stored in the config's folder)")
      .replace(/`?--allow-path`?/g, "Attachments (pick the file again to store it in the config's folder)")
      .split("\n")[0] ?? ""
  );
}
