/**
 * Token usage as providers report it in output metadata: OpenAI
 * (`usage.prompt_tokens`/`completion_tokens`), Anthropic
 * (`usage.input_tokens`/`output_tokens`), Gemini (`usageMetadata.promptTokenCount`
 * /`candidatesTokenCount`), or the same keys at the top of the metadata.
 */
import type { Output, OutputUsage } from "@aiconfig-ts/core";

/** Tokens in and out of a run; absent counts are unknown. */
export interface TokenUsage {
  input?: number;
  output?: number;
  total?: number;
}

function num(...values: unknown[]): number | undefined {
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) return v;
  return undefined;
}

/** The token usage of a prompt's outputs (the first output that reports it), or `undefined`. */
export function tokenUsage(outputs: readonly Output[] | undefined): TokenUsage | undefined {
  for (const o of outputs ?? []) {
    const meta = (o as { metadata?: Record<string, any> }).metadata;
    if (!meta || typeof meta !== "object") continue;
    for (const u of [meta.usage, meta.usageMetadata, meta.usage_metadata, meta]) {
      if (!u || typeof u !== "object") continue;
      const input = num(u.prompt_tokens, u.input_tokens, u.promptTokenCount, u.promptTokens, u.inputTokens);
      const output = num(
        u.completion_tokens,
        u.output_tokens,
        u.candidatesTokenCount,
        u.completionTokens,
        u.outputTokens,
        u.generated_tokens,
      );
      const total =
        num(u.total_tokens, u.totalTokenCount, u.totalTokens) ?? (input !== undefined && output !== undefined ? input + output : undefined);
      if (input !== undefined || output !== undefined || total !== undefined) return { input, output, total };
    }
  }
  return undefined;
}

/**
 * The usage to show for a cell: the provider's normalised usage of its last
 * run when there is one (`Provider.outputUsage`), else what the stored
 * outputs' metadata says (outputs loaded from a file).
 */
export function cellUsage(normalised: OutputUsage | undefined, outputs: readonly Output[] | undefined): TokenUsage | undefined {
  if (
    normalised &&
    (normalised.inputTokens !== undefined || normalised.outputTokens !== undefined || normalised.totalTokens !== undefined)
  ) {
    const { inputTokens: input, outputTokens: output } = normalised;
    const total = normalised.totalTokens ?? (input !== undefined && output !== undefined ? input + output : undefined);
    return { input, output, total };
  }
  return tokenUsage(outputs);
}

/** `12 in · 40 out` style text. */
export function formatUsage(u: TokenUsage): string {
  const parts: string[] = [];
  if (u.input !== undefined) parts.push(`${u.input} in`);
  if (u.output !== undefined) parts.push(`${u.output} out`);
  if (parts.length === 0 && u.total !== undefined) parts.push(`${u.total} tokens`);
  return `${parts.join(" · ")} tokens`.replace("tokens tokens", "tokens");
}

/** `850 ms` or `2.4 s`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
