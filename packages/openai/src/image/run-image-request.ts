/**
 * Sends an image generation request through the SDK's `images.generate` and
 * stores each image as an output: bytes stored through the runtime (`base64`,
 * or a file beside the aiconfig file), or the image's URL as a `file_uri`
 * when `response_format` is `url` (dall-e only).
 * API: https://platform.openai.com/docs/api-reference/images/create
 *
 * @packageDocumentation
 */
import { type ExecuteResult, type Output, type RunContext, decodeBase64 } from "@aiconfig-ts/core";
import type { ImageGenerateParamsNonStreaming } from "openai/resources/images";
import { createClient, runConnection } from "../connection.js";
import { openaiPreset } from "../presets.js";
import type { ImageRequest } from "./build-image-request.js";

const MIME_BY_FORMAT: Record<string, string> = { png: "image/png", jpeg: "image/jpeg", jpg: "image/jpeg", webp: "image/webp" };

/**
 * Sends an image request and stores each image.
 * `mime_type` is `image/png` unless `output_format` says otherwise; `metadata`
 * holds `created`, `revised_prompt`, `usage` and the other response fields when present.
 */
export async function runImages(request: ImageRequest, ctx: RunContext): Promise<Output[]> {
  const client = await createClient(runConnection(openaiPreset, ctx));
  const response = await client.images.generate(request as unknown as ImageGenerateParamsNonStreaming, { signal: ctx.signal });
  const format = typeof request.output_format === "string" ? request.output_format : (response.output_format ?? "png");
  const mime = MIME_BY_FORMAT[format] ?? "image/png";
  const common: Record<string, unknown> = { created: response.created, model: request.model };
  for (const key of ["usage", "size", "quality", "background"] as const) if (response[key] !== undefined) common[key] = response[key];
  const outputs: ExecuteResult[] = [];
  for (const [i, image] of (response.data ?? []).entries()) {
    const metadata = { ...common, ...(image.revised_prompt ? { revised_prompt: image.revised_prompt } : {}) };
    if (image.b64_json) {
      const stored = await ctx.storeBinary(decodeBase64(image.b64_json), mime);
      outputs.push({ output_type: "execute_result", execution_count: i, data: stored, mime_type: mime, metadata });
    } else if (image.url) {
      outputs.push({
        output_type: "execute_result",
        execution_count: i,
        data: { kind: "file_uri", value: image.url },
        mime_type: mime,
        metadata,
      });
    }
  }
  return outputs;
}
