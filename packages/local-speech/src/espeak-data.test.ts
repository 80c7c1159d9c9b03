import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { dictionariesForVoices, espeakEmbeddedFiles, trimmedEspeakWasm } from "./espeak-data.js";
import { loadEspeak, synthesize } from "./espeak-engine.js";
import { readEspeakSettings } from "./espeak-settings.js";
import { type CompiledEspeak, dictionaryOf, synthesizeWith } from "./espeak-wasm.js";
import { EspeakError } from "./errors.js";

const STORY = "Once upon a time, there was a little dog named Max.";

async function compiledTrimmed(dictionaries: string[]): Promise<CompiledEspeak> {
  const { factory } = await loadEspeak();
  return { factory, module: await WebAssembly.compile((await trimmedEspeakWasm(dictionaries)).wasm as Uint8Array<ArrayBuffer>) };
}

describe("espeak-ng's embedded data, trimmed to some dictionaries (what a static site ships)", () => {
  test("the package's module lists its data files: phoneme data, voices and over 100 dictionaries, English among them", async () => {
    const files = await espeakEmbeddedFiles();
    const names = files.map((f) => f.name);
    for (const name of ["phondata", "phontab", "phonindex", "intonations", "en_dict", "lang/gmw/en-US"])
      assert.ok(names.includes(`/usr/local/share/espeak-ng-data/${name}`), name);
    assert.ok(files.filter((f) => dictionaryOf(f.name) !== undefined).length > 100);
    assert.ok(files.reduce((n, f) => n + f.size, 0) > 17_000_000, "the data is most of the 18.5 MB module");
  });

  test("the voices' dictionaries are found by speaking with them: en-us and its variant need en; fr needs fr", async () => {
    assert.deepEqual(await dictionariesForVoices(["en-us", "en-us+f3", "en-gb-x-rp"]), ["en"]);
    assert.deepEqual(await dictionariesForVoices(["en-us", "fr"]), ["en", "fr"]);
    await assert.rejects(dictionariesForVoices(["xx-nowhere"]), EspeakError);
  });

  test("English only: under 1.5 MB, and it speaks byte for byte as the package's whole module does", async () => {
    const { wasm, dictionaries } = await trimmedEspeakWasm(["en"]);
    assert.deepEqual(dictionaries, ["en"]);
    assert.ok(wasm.length < 1_500_000, `${wasm.length} bytes`);
    const trimmed = await compiledTrimmed(["en"]);
    const settings = readEspeakSettings({}, "t");
    const whole = await synthesize(STORY, settings);
    const small = await synthesizeWith(trimmed, STORY, settings, { dictionaries: ["en"] });
    assert.ok(Buffer.from(whole).equals(Buffer.from(small)), "the default voice: the same WAV bytes");
    // the f3 variant adds random breath noise (the whole module differs from itself run to run): the same length
    const variant = readEspeakSettings({ voice: "en-us+f3", speed: 150 }, "t");
    const wholeVariant = await synthesize(STORY, variant);
    const smallVariant = await synthesizeWith(trimmed, STORY, variant, { dictionaries: ["en"] });
    assert.equal(smallVariant.length, wholeVariant.length);
  });

  test("fault: a voice whose dictionary was left out fails with one line naming the voice, the dictionary and the fix", async () => {
    const trimmed = await compiledTrimmed(["en"]);
    await assert.rejects(
      synthesizeWith(trimmed, "Bonjour", readEspeakSettings({ voice: "fr" }, "t"), { dictionaries: ["en"] }),
      (error: unknown) => {
        assert.ok(error instanceof EspeakError);
        assert.equal(
          error.message,
          'espeak-ng here holds the en dictionaries only; voice "fr" needs "fr": set that voice in the aiconfig file and export the site again (export copies the dictionaries of its prompts\' voices)',
        );
        return true;
      },
    );
  });

  test("a kept French dictionary speaks French as the whole module does", async () => {
    const trimmed = await compiledTrimmed(["en", "fr"]);
    const settings = readEspeakSettings({ voice: "fr" }, "t");
    const whole = await synthesize("Il était une fois un petit chien.", settings);
    const small = await synthesizeWith(trimmed, "Il était une fois un petit chien.", settings, { dictionaries: ["en", "fr"] });
    assert.ok(Buffer.from(whole).equals(Buffer.from(small)));
  });

  test("a dictionary the package does not have is refused", async () => {
    await assert.rejects(trimmedEspeakWasm(["klingon"]), /espeak-ng has no dictionary "klingon"/);
  });
});
