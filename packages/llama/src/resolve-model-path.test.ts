import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { ModelNotFoundError } from "./errors.js";
import { modelsDir } from "./models-dir.js";
import { modelFileName, resolveModelPath } from "./resolve-model-path.js";
import { chooseThreads, coreCount, defaultThreads } from "./threads.js";

const root = mkdtempSync(join(tmpdir(), "llama-paths-"));
after(() => rmSync(root, { recursive: true, force: true }));
const configDir = join(root, "project");
const models = join(root, "models");
mkdirSync(join(configDir, "weights"), { recursive: true });
mkdirSync(models);
writeFileSync(join(configDir, "weights", "a.gguf"), "");
writeFileSync(join(configDir, "both.gguf"), "");
writeFileSync(join(models, "both.gguf"), "");
writeFileSync(join(models, "b.gguf"), "");
const env = { AICONFIG_MODELS_DIR: models };

describe("modelsDir", () => {
  test("AICONFIG_MODELS_DIR, else XDG_CACHE_HOME, else ~/.cache", () => {
    assert.equal(modelsDir({ AICONFIG_MODELS_DIR: "/m", XDG_CACHE_HOME: "/c", HOME: "/h" }), "/m");
    assert.equal(modelsDir({ AICONFIG_MODELS_DIR: "~/m", HOME: "/h" }), "/h/m");
    assert.equal(modelsDir({ XDG_CACHE_HOME: "/c", HOME: "/h" }), "/c/aiconfig-ts/models");
    assert.equal(modelsDir({ HOME: "/h" }), "/h/.cache/aiconfig-ts/models");
  });
});

describe("resolveModelPath", () => {
  test("the model name stands for a file: NAME.gguf, or the name when it ends in .gguf", () => {
    assert.equal(modelFileName("stories260K"), "stories260K.gguf");
    assert.equal(modelFileName("x.GGUF"), "x.GGUF");
    assert.deepEqual(resolveModelPath({ model: "b", env }), { path: join(models, "b.gguf"), exists: true, isDefaultModel: false });
  });

  test("a relative path is looked up beside the aiconfig file first, then in the models folder", () => {
    assert.equal(resolveModelPath({ model: "x", modelPath: "weights/a.gguf", configDir, env }).path, join(configDir, "weights", "a.gguf"));
    assert.equal(resolveModelPath({ model: "both.gguf", configDir, env }).path, join(configDir, "both.gguf"));
    assert.equal(resolveModelPath({ model: "both.gguf", env }).path, join(models, "both.gguf"));
    assert.equal(resolveModelPath({ model: "x", modelPath: "b.gguf", configDir, env }).path, join(models, "b.gguf"));
  });

  test("an absolute path is taken as it is", () => {
    const path = join(configDir, "weights", "a.gguf");
    assert.equal(resolveModelPath({ model: "x", modelPath: path, env }).path, path);
    assert.throws(() => resolveModelPath({ model: "x", modelPath: join(root, "nope.gguf"), env }), {
      name: "ModelNotFoundError",
      message: `no GGUF file ${join(root, "nope.gguf")} for model "x" (looked at ${join(root, "nope.gguf")}): fix the model_path setting of model "x"`,
    });
  });

  test("the default model resolves to the models folder when it is not downloaded yet", () => {
    assert.deepEqual(resolveModelPath({ model: "stories260K", configDir, env }), {
      path: join(models, "stories260K.gguf"),
      exists: false,
      isDefaultModel: true,
    });
  });

  test("a missing file names the places looked at and the fix", () => {
    assert.throws(
      () => resolveModelPath({ model: "llama-2-7b-chat", configDir, env }),
      (error: unknown) => {
        assert.ok(error instanceof ModelNotFoundError);
        assert.deepEqual(error.tried, [join(configDir, "llama-2-7b-chat.gguf"), join(models, "llama-2-7b-chat.gguf")]);
        assert.equal(
          error.message,
          `no GGUF file llama-2-7b-chat.gguf for model "llama-2-7b-chat" (looked at ${error.tried.join(", ")}): set model_path in metadata.models["llama-2-7b-chat"] (or the prompt's model settings) to a .gguf file, or put llama-2-7b-chat.gguf in ${models} (the models folder; AICONFIG_MODELS_DIR changes it)`,
        );
        return true;
      },
    );
    assert.throws(
      () => resolveModelPath({ model: "x", modelPath: "weights", configDir, env }),
      /weights is not a file: fix the model_path setting/,
    );
  });
});

describe("threads", () => {
  test("tiny models default to one thread, larger ones to the cores; settings are clamped to the cores", () => {
    assert.equal(defaultThreads(1_185_376), 1);
    assert.equal(defaultThreads(4_000_000_000), coreCount());
    assert.deepEqual(chooseThreads(undefined, 1_185_376), { threads: 1, clamped: false });
    assert.deepEqual(chooseThreads(1, 4_000_000_000), { threads: 1, clamped: false });
    assert.deepEqual(chooseThreads(coreCount() + 1, 10), { threads: coreCount(), clamped: true });
  });
});
