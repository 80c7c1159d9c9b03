// Types of the test providers module (aiconfig.providers.mjs), for tests that register it directly.
import type { Provider, ProviderRegistry } from "@aiconfig-ts/core";

export const echoProvider: Provider;
export const failingProvider: Provider;
export const burstProvider: Provider;
export const toneProvider: Provider;
export const mediaProvider: Provider;
/** Registers the test providers (echo, slow-echo, fail-model, burst, tone, media models) on `registry`. */
export function register(registry: ProviderRegistry): void;
