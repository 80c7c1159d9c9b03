import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadEnvironment } from "../env.js";
import { EndpointNotAllowedError, MissingCredentialError } from "../errors.js";
import type { ModelSettings } from "../types.js";
import { type CredentialOptions, readCredential, readOptionalSetting } from "./read-credential.js";

// Keys and endpoints below are constructed for these tests; the `.env` files are real files read by loadEnvironment.
const SHELL_KEY = "sk-shell-0123456789";
const DOTENV_KEY = "sk-dotenv-0123456789";
const FILE_KEY = "sk-file-0123456789";
const OWN = "https://api.example-ai.test/v1";
const EVIL = "https://collector.evil.test/v1";

/** An environment as the runtime gives it: `process.env` (here `shell`) over a real `.env` beside the file. */
function environment(shell: Record<string, string>, dotenv: string): Record<string, string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "aiconfig-credential-"));
  writeFileSync(join(dir, ".env"), dotenv);
  return loadEnvironment(dir, shell);
}

function read(env: Record<string, string | undefined>, settings: ModelSettings = {}, extra: Partial<CredentialOptions> = {}) {
  return readCredential({
    service: "Example",
    prompt: "p",
    settings,
    env,
    keyVariables: ["EXAMPLE_API_KEY"],
    endpointVariables: ["EXAMPLE_BASE_URL"],
    defaultEndpoint: OWN,
    ...extra,
  });
}

describe("readCredential: where the key is read from", () => {
  test("the file's setting comes first, then the user's environment, then the .env beside the file", () => {
    const both = environment({ EXAMPLE_API_KEY: SHELL_KEY }, `EXAMPLE_API_KEY=${DOTENV_KEY}\n`);
    assert.deepEqual([read(both, { api_key: FILE_KEY }).key, read(both, { api_key: FILE_KEY }).keySource], [FILE_KEY, "settings"]);
    assert.deepEqual([read(both).key, read(both).keySource, read(both).keyName], [SHELL_KEY, "environment", "EXAMPLE_API_KEY"]);
    const dotenvOnly = environment({}, `EXAMPLE_API_KEY=${DOTENV_KEY}\n`);
    assert.deepEqual([read(dotenvOnly).key, read(dotenvOnly).keySource], [DOTENV_KEY, "dotenv"]);
  });

  test("blank values count as unset and values are trimmed", () => {
    const env = environment({ EXAMPLE_API_KEY: `  ${SHELL_KEY} ` }, "");
    assert.equal(read(env, { api_key: "   " }).key, SHELL_KEY);
  });

  test("a missing required key is one line naming the variable and where to put it; not required gives undefined", () => {
    const env = environment({}, "");
    assert.throws(
      () => read(env, {}, { keyHelp: "https://example-ai.test/keys" }),
      (e: Error) =>
        MissingCredentialError.isInstance(e) &&
        !e.message.includes("\n") &&
        e.message.includes("EXAMPLE_API_KEY is not set") &&
        e.message.includes(".env file beside the aiconfig file") &&
        e.message.includes("https://example-ai.test/keys"),
    );
    assert.equal(read(env, {}, { required: false }).key, undefined);
  });
});

describe("readCredential: where the key may go", () => {
  test("the provider's own endpoint always receives the key", () => {
    const env = environment({ EXAMPLE_API_KEY: SHELL_KEY }, `EXAMPLE_BASE_URL=${OWN}\n`);
    assert.equal(read(env, { base_url: OWN }).endpoint, OWN);
  });

  test("a base_url in the file never receives the user's environment key, nor the .env's", () => {
    for (const env of [environment({ EXAMPLE_API_KEY: SHELL_KEY }, ""), environment({}, `EXAMPLE_API_KEY=${DOTENV_KEY}\n`)]) {
      assert.throws(
        () => read(env, { base_url: EVIL }),
        (e: Error) => EndpointNotAllowedError.isInstance(e) && e.message.includes("--allow-endpoint collector.evil.test"),
      );
    }
  });

  test("an endpoint in the .env beside the file never receives the user's environment key", () => {
    const env = environment({ EXAMPLE_API_KEY: SHELL_KEY }, `EXAMPLE_BASE_URL=${EVIL}\n`);
    assert.throws(
      () => read(env),
      (e: Error) => EndpointNotAllowedError.isInstance(e) && e.message.includes(".env"),
    );
  });

  test("a .env cannot allow its own endpoint with AICONFIG_ALLOW_ENDPOINTS; the user's environment can", () => {
    const fromDotenv = environment(
      { EXAMPLE_API_KEY: SHELL_KEY },
      `EXAMPLE_BASE_URL=${EVIL}\nAICONFIG_ALLOW_ENDPOINTS=collector.evil.test\n`,
    );
    assert.throws(
      () => read(fromDotenv),
      (e: Error) => EndpointNotAllowedError.isInstance(e),
    );
    const fromShell = environment(
      { EXAMPLE_API_KEY: SHELL_KEY, AICONFIG_ALLOW_ENDPOINTS: "collector.evil.test" },
      `EXAMPLE_BASE_URL=${EVIL}\n`,
    );
    assert.equal(read(fromShell).endpoint, EVIL);
  });

  test("an endpoint set where the key is set (or more trusted) receives it; the allowedEndpoints option allows a host", () => {
    assert.equal(read(environment({}, `EXAMPLE_API_KEY=${DOTENV_KEY}\nEXAMPLE_BASE_URL=${EVIL}\n`)).endpoint, EVIL);
    assert.equal(read(environment({}, ""), { api_key: FILE_KEY, base_url: EVIL }).endpoint, EVIL);
    assert.equal(
      read(environment({ EXAMPLE_API_KEY: SHELL_KEY }, ""), { base_url: EVIL }, { allowedEndpoints: ["collector.evil.test"] }).endpoint,
      EVIL,
    );
  });

  test("the refusal shows the endpoint without its query (a key may sit in ?key=)", () => {
    const env = environment({ EXAMPLE_API_KEY: SHELL_KEY }, "");
    assert.throws(
      () => read(env, { base_url: `${EVIL}?key=${FILE_KEY}` }),
      (e: Error) => EndpointNotAllowedError.isInstance(e) && !e.message.includes(FILE_KEY),
    );
  });
});

test("readOptionalSetting: settings first, then the variables in order; blank is unset", () => {
  const env = environment({ B: " from-shell " }, "A=from-dotenv\n");
  assert.deepEqual(readOptionalSetting({ s: "" }, ["s"], env, ["A", "B"]), { value: "from-dotenv", source: "dotenv", name: "A" });
  assert.deepEqual(readOptionalSetting({ s: " x " }, ["s"], env, ["A"]), { value: "x", source: "settings", name: "s" });
  assert.deepEqual(readOptionalSetting({}, [], env, ["B"]), { value: "from-shell", source: "environment", name: "B" });
  assert.equal(readOptionalSetting({ s: 3 }, ["s"]), undefined);
});
