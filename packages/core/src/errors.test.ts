import assert from "node:assert/strict";
import { test } from "node:test";
import {
  AIConfigError,
  InvalidSettingError,
  MissingCredentialError,
  ParseError,
  ProviderError,
  RunAbortedError,
  UnknownModelError,
} from "./errors.js";

/** Loads a second copy of this module, as an application that bundles core beside a provider package's copy has. */
async function secondCopy(): Promise<typeof import("./errors.js")> {
  return (await import(`./errors.js?copy=${Math.random()}`)) as typeof import("./errors.js");
}

test("an error made by another copy of core is recognised by isInstance, where instanceof fails", async () => {
  const other = await secondCopy();
  assert.notEqual(other.AIConfigError, AIConfigError, "really a second copy");
  const aborted = new other.RunAbortedError("p");
  assert.equal(aborted instanceof RunAbortedError, false);
  assert.equal(RunAbortedError.isInstance(aborted), true);
  assert.equal(AIConfigError.isInstance(aborted), true);
  assert.equal(ParseError.isInstance(aborted), false);
  assert.equal(UnknownModelError.isInstance(new other.UnknownModelError("m", "p", [])), true);
  assert.equal(ProviderError.isInstance(new other.ProviderError("x", "p", "openai")), true);
});

test("a provider package's subclass is an instance of the shared kind it extends, and keeps its own name", async () => {
  const other = await secondCopy();
  class MissingAPIKeyError extends other.MissingCredentialError {
    override name = "MissingAPIKeyError";
  }
  const error = new MissingAPIKeyError("OPENAI_API_KEY is not set");
  assert.equal(error.name, "MissingAPIKeyError");
  assert.equal(MissingCredentialError.isInstance(error), true);
  assert.equal(AIConfigError.isInstance(error), true);
  assert.equal(InvalidSettingError.isInstance(error), false);
});

test("plain errors, strings and look-alikes without the marker are not AIConfig errors", () => {
  const lookAlike = new Error("x");
  lookAlike.name = "RunAbortedError";
  assert.equal(RunAbortedError.isInstance(lookAlike), false);
  assert.equal(AIConfigError.isInstance("RunAbortedError"), false);
  assert.equal(AIConfigError.isInstance(null), false);
  assert.ok(!JSON.stringify(new RunAbortedError("p")).includes("aiconfig-ts.error"), "the marker is not enumerable");
});
