import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { AIConfig } from "@aiconfig-ts/core";
import type { EditorState, RunEvent } from "./api-types.js";
import { ensureUiBuilt } from "./browser.test.helper.js";
import { type TestEditor, collectRunEvents, startTestEditor, testConfig } from "./server.test.helper.js";

ensureUiBuilt();

const editors: TestEditor[] = [];
after(async () => {
  for (const e of editors) await e.close();
});
async function editor(...args: Parameters<typeof startTestEditor>): Promise<TestEditor> {
  const e = await startTestEditor(...args);
  editors.push(e);
  return e;
}

/** A raw HTTP request with chosen Host and Origin headers (fetch would set its own Host). */
function rawRequest(
  port: number,
  path: string,
  headers: Record<string, string>,
  method = "GET",
  body?: string,
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

const readJSONFile = (file: string) => JSON.parse(readFileSync(file, "utf8")) as AIConfig;

const echoConfig = () =>
  testConfig(
    [
      { name: "greet", input: "Hello {{who}}", metadata: { model: "echo", parameters: { who: "world" } } },
      { name: "shout", input: "{{greet.output}} again", metadata: { model: { name: "echo", settings: { shout: true } } } },
    ],
    { metadata: { parameters: { who: "everyone" } } },
  );

describe("who may talk to the editor", () => {
  test("a request without the token, with a wrong token, a foreign Host or a foreign Origin is refused", async () => {
    const e = await editor(echoConfig());
    const host = `127.0.0.1:${e.port}`;
    const noToken = await rawRequest(e.port, "/api/state", { host });
    assert.equal(noToken.status, 401);
    assert.match(noToken.body, /needs its token/);
    const wrong = await rawRequest(e.port, "/api/state", { host, "x-aiconfig-token": "0".repeat(64) });
    assert.equal(wrong.status, 401);
    const ok = await rawRequest(e.port, "/api/state", { host, "x-aiconfig-token": e.token });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.body).config.prompts[0].name, "greet");
    const rebinding = await rawRequest(e.port, "/api/state", { host: `evil.example:${e.port}`, "x-aiconfig-token": e.token });
    assert.equal(rebinding.status, 403);
    const foreign = await rawRequest(
      e.port,
      "/api/save",
      { host, origin: "http://evil.example", "x-aiconfig-token": e.token, "content-type": "application/json" },
      "POST",
      JSON.stringify({ config: echoConfig(), baseVersion: "x", force: true }),
    );
    assert.equal(foreign.status, 403);
    assert.match(foreign.body, /Origin/);
    const sameOrigin = await rawRequest(e.port, "/api/state", { host, origin: `http://${host}`, "x-aiconfig-token": e.token });
    assert.equal(sameOrigin.status, 200);
    const otherPort = await rawRequest(e.port, "/api/state", {
      host,
      origin: `http://127.0.0.1:${e.port + 1}`,
      "x-aiconfig-token": e.token,
    });
    assert.equal(otherPort.status, 403);
  });

  test("the token in the URL gives an HttpOnly SameSite=Strict cookie and a redirect without it; the cookie then works", async () => {
    const e = await editor(echoConfig());
    const host = `127.0.0.1:${e.port}`;
    assert.equal(e.url, `http://127.0.0.1:${e.port}/?token=${e.token}`);
    const first = await rawRequest(e.port, `/?token=${e.token}`, { host, accept: "text/html" });
    assert.equal(first.status, 302);
    assert.equal(first.headers.location, "/");
    const cookie = String((first.headers["set-cookie"] as string[])[0]);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const page = await rawRequest(e.port, "/", { host, cookie: cookie.split(";")[0]!, accept: "text/html" });
    assert.equal(page.status, 200);
    assert.match(page.body, /<div id="root">/);
    assert.match(String(page.headers["content-security-policy"]), /script-src 'self'; connect-src 'self'/);
    const state = await rawRequest(e.port, "/api/state", { host, cookie: cookie.split(";")[0]! });
    assert.equal(state.status, 200);
  });

  test("the server listens on 127.0.0.1 by default: the socket is bound there, not to every interface", async () => {
    const e = await editor(echoConfig());
    assert.equal(e.address, "127.0.0.1", "the bound address, as the socket reports it");
    assert.equal(e.warning, undefined);
    assert.match(e.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    assert.deepEqual(e.urls, [e.url]);
  });

  test("--host 0.0.0.0 warns that every interface can reach it and lists the real addresses", async () => {
    const e = await editor(echoConfig(), { host: "0.0.0.0" });
    assert.equal(e.address, "0.0.0.0");
    assert.match(e.warning ?? "", /listens on every network interface \(0\.0\.0\.0\).*--host 127\.0\.0\.1/);
    const { networkInterfaces } = await import("node:os");
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a?.family === "IPv4" && !a.internal)
      .map((a) => a!.address);
    for (const a of ["127.0.0.1", ...external])
      assert.ok(
        e.urls.some((u) => u.startsWith(`http://${a}:${e.port}/?token=`)),
        `${a} in ${e.urls}`,
      );
  });
});

describe("files", () => {
  test("a new file starts on the offline default model when one is registered", async () => {
    const e = await editor(null, { fileName: "fresh.aiconfig.json", withLlama: true });
    assert.equal(readJSONFile(e.file).metadata?.default_model, "stories260K");
  });

  test("reloading the page after the file changed on disk shows the disk version, or says why it cannot", async () => {
    const e = await editor(echoConfig());
    const first = (await (await e.api("api/state")).json()) as { config: AIConfig; version: string };
    writeFileSync(e.file, readFileSync(e.file, "utf8").replace("Hello {{who}}", "Changed on disk {{who}}"));
    const again = (await (await e.api("api/state")).json()) as { config: AIConfig; version: string; warning?: string };
    assert.equal(again.config.prompts[0]!.input, "Changed on disk {{who}}");
    assert.notEqual(again.version, first.version);
    writeFileSync(e.file, "{ not json");
    const broken = (await (await e.api("api/state")).json()) as { config: AIConfig; version: string; warning?: string };
    assert.equal(broken.config.prompts[0]!.input, "Changed on disk {{who}}", "the last good version");
    assert.match(broken.warning ?? "", /notebook\.aiconfig\.json changed on disk but cannot be loaded/);
    const save = await e.api("api/save", { json: { config: broken.config, baseVersion: broken.version } });
    assert.equal(save.status, 409, "saving over it asks first");
  });

  test("a missing file is created with one empty prompt", async () => {
    const e = await editor(null, { fileName: "new.aiconfig.yaml" });
    assert.ok(existsSync(e.file));
    const text = readFileSync(e.file, "utf8");
    assert.match(text, /^name: new\n/);
    const state = (await (await e.api("api/state")).json()) as { config: AIConfig; format: string };
    assert.equal(state.format, "yaml");
    assert.deepEqual(
      state.config.prompts.map((p) => [p.name, p.input]),
      [["prompt_1", ""]],
    );
  });

  test("saves atomically, keeps the format, and refuses to overwrite a file changed on disk unless forced", async () => {
    const e = await editor(echoConfig(), { fileName: "nb.aiconfig.yaml" });
    // a YAML file as a user writes it (the page loads it as it is on disk)
    writeFileSync(e.file, (await import("@aiconfig-ts/core")).serializeConfig(echoConfig(), "yaml"));
    const state = (await (await e.api("api/state")).json()) as { config: AIConfig; version: string };
    const edited: AIConfig = {
      ...state.config,
      prompts: [{ ...state.config.prompts[0]!, input: "Bonjour {{who}}" }, state.config.prompts[1]!],
    };
    const saved = await e.api("api/save", { json: { config: edited, baseVersion: state.version } });
    assert.equal(saved.status, 200);
    const { version } = (await saved.json()) as { version: string };
    assert.match(readFileSync(e.file, "utf8"), /input: "Bonjour \{\{who\}\}"/, "edited in place, keeping its quotes");
    // someone else changes the file
    writeFileSync(e.file, readFileSync(e.file, "utf8").replace("Bonjour", "Hola"));
    const again = { ...edited, name: "renamed" };
    const conflict = await e.api("api/save", { json: { config: again, baseVersion: version } });
    assert.equal(conflict.status, 409);
    const body = (await conflict.json()) as { conflict: boolean; error: string };
    assert.equal(body.conflict, true);
    assert.match(body.error, /nb\.aiconfig\.yaml changed on disk/);
    assert.match(readFileSync(e.file, "utf8"), /Hola/);
    const disk = (await (await e.api("api/disk")).json()) as { config: AIConfig; version: string };
    assert.equal(disk.config.prompts[0]!.input, "Hola {{who}}");
    const forced = await e.api("api/save", { json: { config: again, baseVersion: version, force: true } });
    assert.equal(forced.status, 200);
    assert.match(readFileSync(e.file, "utf8"), /^name: renamed$/m);
    assert.deepEqual(
      (await import("node:fs")).readdirSync(e.dir).filter((n) => n.includes(".tmp") || n.startsWith(".nb")),
      [],
      "no temporary file left behind",
    );
  });

  test("a save from the page changes only the lines of what changed: layout, compact arrays and absent fields stay", async () => {
    const e = await editor(null, { fileName: "layout.aiconfig.json" });
    const text = `{
    "name": "layout",
    "schema_version": "latest",
    "metadata": {"tags": ["story", "demo"]},
    "prompts": [
        {"name": "a", "input": "first {{x}}", "metadata": {"model": "echo", "parameters": {"x": "1"}}},
        {
            "name": "b",
            "input": "second"
        }
    ]
}
`;
    writeFileSync(e.file, text);
    const state = (await (await e.api("api/state")).json()) as { config: AIConfig; version: string };
    const edited = { ...state.config, prompts: [state.config.prompts[0]!, { ...state.config.prompts[1]!, input: "second, edited" }] };
    assert.equal((await e.api("api/save", { json: { config: edited, baseVersion: state.version } })).status, 200);
    const after = readFileSync(e.file, "utf8");
    assert.equal(after, text.replace('"input": "second"', '"input": "second, edited"'));
  });

  test("bad input from the page gets a clear message and changes nothing on disk", async () => {
    const e = await editor(echoConfig());
    const before = readFileSync(e.file, "utf8");
    const state = (await (await e.api("api/state")).json()) as { config: AIConfig; version: string };
    const cases: [AIConfig, RegExp][] = [
      [
        { ...state.config, prompts: [state.config.prompts[0]!, { ...state.config.prompts[1]!, name: "greet" }] },
        /two prompts are named "greet"/,
      ],
      [{ ...state.config, metadata: { parameters: { "my param": "x" } } }, /"my param" is not a valid parameter name/],
      [
        { ...state.config, prompts: [{ ...state.config.prompts[0]!, metadata: { parameters: { "1st": "x" } } }] },
        /prompt "greet" parameters: "1st" is not a valid parameter name/,
      ],
      [
        {
          ...state.config,
          prompts: [{ ...state.config.prompts[0]!, metadata: { model: { name: "echo", settings: "{not json" as never } } }],
        },
        /settings must be a JSON object/,
      ],
    ];
    for (const [config, message] of cases) {
      for (const path of ["api/save", "api/runs"]) {
        const res = await e.api(path, { json: { config, baseVersion: state.version, mode: "all" } });
        assert.equal(res.status, 400, `${path} ${message}`);
        assert.match(((await res.json()) as { error: string }).error, message);
      }
    }
    const malformed = await e.api("api/save", { body: "{not json", headers: { "content-type": "application/json" }, method: "POST" });
    assert.equal(malformed.status, 400);
    assert.equal(readFileSync(e.file, "utf8"), before);
  });

  test("serves media under the file's folder only: never .env, a path outside, a symlink out, or a non-media file", async () => {
    const e = await editor(echoConfig(), { dotenv: "TEST_API_KEY=sk-test-0123456789\n" });
    mkdirSync(join(e.dir, "img"));
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082",
      "hex",
    );
    writeFileSync(join(e.dir, "img", "dot.png"), png);
    writeFileSync(join(e.dir, "notes.md"), "# not media");
    symlinkSync("/etc/hostname", join(e.dir, "img", "out.txt"));
    const ok = await e.api("api/files?path=img/dot.png");
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("content-type"), "image/png");
    assert.match(ok.headers.get("content-security-policy") ?? "", /sandbox/);
    assert.deepEqual(Buffer.from(await ok.arrayBuffer()), png);
    for (const [path, status] of [
      [".env", 403],
      ["../etc/passwd", 403],
      ["/etc/passwd", 403],
      ["notes.md", 403],
      ["notebook.aiconfig.json", 403],
      ["img/out.txt", 403],
      ["img/missing.png", 404],
    ] as const) {
      const res = await e.api(`api/files?path=${encodeURIComponent(path)}`);
      assert.equal(res.status, status, path);
    }
  });

  test("an attachment picked in the page is written under attachments/ beside the file", async () => {
    const e = await editor(echoConfig());
    const bytes = Buffer.from("RIFF fake wav bytes");
    const res = await e.api("api/attachments", {
      json: { name: "../../evil name.wav", mimeType: "audio/wav", base64: bytes.toString("base64") },
    });
    assert.equal(res.status, 200);
    const { file_uri } = (await res.json()) as { file_uri: string };
    assert.equal(file_uri, "attachments/evil_name.wav");
    assert.deepEqual(readFileSync(join(e.dir, file_uri)), bytes);
    const same = (await (
      await e.api("api/attachments", { json: { name: "evil name.wav", mimeType: "audio/wav", base64: bytes.toString("base64") } })
    ).json()) as {
      file_uri: string;
    };
    assert.equal(same.file_uri, "attachments/evil_name.wav", "the same bytes reuse the file");
    const other = (await (
      await e.api("api/attachments", { json: { name: "evil name.wav", mimeType: "audio/wav", base64: "AAAA" } })
    ).json()) as { file_uri: string };
    assert.equal(other.file_uri, "attachments/evil_name-1.wav", "different bytes never overwrite");
  });

  test("read-only serves the document but refuses saving, running and attachments", async () => {
    const e = await editor(echoConfig(), { readOnly: true });
    const before = readFileSync(e.file, "utf8");
    const state = (await (await e.api("api/state")).json()) as { config: AIConfig; version: string; readOnly: boolean };
    assert.equal(state.readOnly, true);
    for (const [path, json] of [
      ["api/save", { config: state.config, baseVersion: state.version }],
      ["api/runs", { config: state.config, mode: "all" }],
      ["api/attachments", { name: "a.png", mimeType: "image/png", base64: "AAAA" }],
    ] as const) {
      const res = await e.api(path, { json });
      assert.equal(res.status, 403, path);
      assert.match(((await res.json()) as { error: string }).error, /read-only/);
    }
    assert.equal(readFileSync(e.file, "utf8"), before);
    assert.equal(existsSync(join(e.dir, "attachments")), false);
  });
});

describe("runs", () => {
  test("runs a prompt with its dependencies, streaming, on the unsaved document; nothing is written to disk", async () => {
    const e = await editor(echoConfig());
    const before = readFileSync(e.file, "utf8");
    const config = echoConfig();
    config.prompts[0]!.input = "Hi there {{who}}";
    const events = await e.run({ config, mode: "deps", prompt: "shout" });
    const types = events.map((ev) => `${ev.type}:${"prompt" in ev ? ev.prompt : ""}`);
    assert.deepEqual(
      types.filter((t) => !t.startsWith("delta")),
      ["queued:", "start:greet", "outputs:greet", "start:shout", "outputs:shout", "done:"],
    );
    const streamed = events
      .filter((ev): ev is Extract<RunEvent, { type: "delta" }> => ev.type === "delta" && ev.prompt === "greet")
      .map((ev) => ev.delta)
      .join("");
    assert.equal(streamed, "Hi there world");
    const shout = events.find((ev): ev is Extract<RunEvent, { type: "outputs" }> => ev.type === "outputs" && ev.prompt === "shout")!;
    assert.equal(shout.outputs[0]!.output_type, "execute_result");
    assert.equal((shout.outputs[0] as { data: string }).data, "HI THERE WORLD AGAIN");
    assert.equal(readFileSync(e.file, "utf8"), before);
  });

  test("cancelling a run stops it promptly and reports it cancelled", async () => {
    const e = await editor(
      testConfig([
        {
          name: "slow",
          input: "one two three four five six seven eight nine ten",
          metadata: { model: { name: "slow-echo", settings: { delay_ms: 300 } } },
        },
      ]),
    );
    const started = await e.api("api/runs", {
      json: {
        config: testConfig([
          {
            name: "slow",
            input: "one two three four five six seven eight nine ten",
            metadata: { model: { name: "slow-echo", settings: { delay_ms: 300 } } },
          },
        ]),
        mode: "one",
        prompt: "slow",
      },
    });
    const { runId } = (await started.json()) as { runId: string };
    let cancelled = false;
    const events = await collectRunEvents(e.api, runId, (ev) => {
      if (ev.type === "delta" && !cancelled) {
        cancelled = true;
        void e.api(`api/runs/${runId}/cancel`, { json: {} });
      }
    });
    const kinds = events.map((ev) => ev.type).filter((t) => t !== "delta");
    assert.deepEqual(kinds, ["queued", "start", "cancelled", "done"]);
    assert.equal((events.at(-1) as { ok: boolean }).ok, false);
    assert.ok(events.filter((ev) => ev.type === "delta").length < 10, "stopped before the end");
  });

  test("the outputs event carries the provider's normalised usage and finish reason", async () => {
    const config = testConfig([{ name: "p", input: "one two three", metadata: { model: "echo" } }]);
    const e = await editor(config);
    const events = await e.run({ config, mode: "one", prompt: "p" });
    const outputs = events.find((ev) => ev.type === "outputs") as Extract<RunEvent, { type: "outputs" }>;
    assert.deepEqual(outputs.usage, { inputTokens: 3, outputTokens: 3, finishReason: "stop" });
  });

  test("a {{X.output}} of a prompt with no output is an error naming X and the fix in the editor's words", async () => {
    const config = testConfig([
      { name: "story", input: "once", metadata: { model: "echo" } },
      { name: "summary", input: "Sum up {{story.output}}", metadata: { model: "echo" } },
    ]);
    const e = await editor(config);
    const events = await e.run({ config, mode: "one", prompt: "summary" });
    const error = events.find((ev) => ev.type === "error") as Extract<RunEvent, { type: "error" }>;
    assert.equal(error.name, "MissingOutputError");
    assert.equal(
      error.message,
      'prompt "summary" uses the output of prompt "story", which has no output yet: run "story" first, or use ▶▶ With dependencies',
    );
  });

  test("cancelling one cell during Run all cancels it and the cells that use it; the others go on", async () => {
    const slow = (delay: number) => ({ model: { name: "slow-echo", settings: { delay_ms: delay } } });
    const config = testConfig([
      { name: "x", input: "one two three four five six seven eight", metadata: slow(100) },
      { name: "uses_x", input: "{{x.output}} again", metadata: { model: "echo" } },
      { name: "z", input: "zed zed zed", metadata: slow(60) },
    ]);
    const e = await editor(config);
    const started = await e.api("api/runs", { json: { config, mode: "all", continueOnError: true } });
    const { runId } = (await started.json()) as { runId: string };
    let cancelled = false;
    const events = await collectRunEvents(e.api, runId, (ev) => {
      if (!cancelled && ev.type === "delta" && ev.prompt === "x") {
        cancelled = true;
        void e.api(`api/runs/${runId}/cancel`, { json: { prompt: "x" } });
      }
    });
    assert.ok(events.some((ev) => ev.type === "cancelled" && ev.prompt === "x"));
    const skipped = events.find((ev) => ev.type === "skipped" && ev.prompt === "uses_x") as Extract<RunEvent, { type: "skipped" }>;
    assert.match(skipped.reason, /^cancelled: it uses "x", which was cancelled/);
    const z = events.find((ev) => ev.type === "outputs" && ev.prompt === "z") as Extract<RunEvent, { type: "outputs" }> | undefined;
    assert.equal(z?.outputs[0]?.data, "zed zed zed", "the independent cell ran to the end");
  });

  test("a prompt that is running cannot be started twice", async () => {
    const config = testConfig([
      { name: "slow", input: "a b c d e f", metadata: { model: { name: "slow-echo", settings: { delay_ms: 200 } } } },
    ]);
    const e = await editor(config);
    const first = await e.api("api/runs", { json: { config, mode: "one", prompt: "slow" } });
    assert.equal(first.status, 200);
    const second = await e.api("api/runs", { json: { config, mode: "one", prompt: "slow" } });
    assert.equal(second.status, 409);
    assert.match(((await second.json()) as { error: string }).error, /"slow" is already running/);
    const { runId } = (await first.json()) as { runId: string };
    await e.api(`api/runs/${runId}/cancel`, { json: {} });
    await collectRunEvents(e.api, runId);
  });

  test("run all: a failure stops the prompts that depend on it (and, unless asked to go on, the rest); the error names the provider's message with the key redacted", async () => {
    const config = testConfig([
      { name: "a", input: "alpha", metadata: { model: "echo" } },
      { name: "bad", input: "x", metadata: { model: "fail-model" } },
      { name: "after_bad", input: "{{bad.output}} then", metadata: { model: "echo" } },
    ]);
    const e = await editor(config, { dotenv: "TEST_API_KEY=sk-test-0123456789abcdef\n" });
    const events = await e.run({ config, mode: "all" });
    const error = events.find((ev): ev is Extract<RunEvent, { type: "error" }> => ev.type === "error")!;
    assert.equal(error.prompt, "bad");
    assert.equal(error.message, 'prompt "bad" failed on provider "fails": upstream refused the key [redacted]');
    assert.equal((error.outputs![0] as { evalue: string }).evalue, "upstream refused the key [redacted]");
    assert.ok(!JSON.stringify(events).includes("sk-test-0123456789abcdef"), "the key never reaches the page");
    assert.ok(events.some((ev) => ev.type === "outputs" && ev.prompt === "a"));
    assert.ok(events.some((ev) => ev.type === "skipped" && ev.prompt === "after_bad"));
    assert.deepEqual(events.at(-1), { type: "done", ok: false });
    const goOn = await e.run({ config, mode: "all", continueOnError: true });
    const afterBad = goOn.find((ev) => ev.type === "outputs" && ev.prompt === "after_bad") as
      | Extract<RunEvent, { type: "outputs" }>
      | undefined;
    // Issue 11: going on after a failure skips only the prompts that depend on the failed one.
    assert.equal(afterBad, undefined, "with continueOnError the prompt that depends on the failed one is skipped");
    assert.ok(
      goOn.some((ev) => ev.type === "outputs" && ev.prompt === "a"),
      "with continueOnError the independent prompt runs",
    );
    assert.deepEqual(goOn.at(-1), { type: "done", ok: false }, "a run that went on past a failure does not end ok");
    assert.ok(!readFileSync(e.file, "utf8").includes("sk-test"));
  });

  test("a template naming an undefined parameter fails with a one-line message in the editor's words (Parameters, not -p), and outputs are kept", async () => {
    const config = testConfig([
      { name: "p", input: "Hi {{nobody}}", metadata: { model: "echo" }, outputs: [{ output_type: "execute_result", data: "old" }] },
    ]);
    const e = await editor(config);
    const events = await e.run({ config, mode: "one", prompt: "p" });
    const error = events.find((ev) => ev.type === "error") as Extract<RunEvent, { type: "error" }>;
    assert.equal(error.name, "MissingParameterError");
    assert.match(error.message, /prompt "p" uses parameter "nobody" but nothing defines it: add a value in Parameters \(nobody\)/);
    assert.doesNotMatch(error.message, /-p nobody|VALUE/);
    assert.equal(error.outputs, undefined);
  });
});

describe("downloads and export", () => {
  test("serializes the edited document as YAML and exports one self-contained HTML page with outputs and media inlined", async () => {
    const e = await editor(echoConfig());
    mkdirSync(join(e.dir, "media"));
    writeFileSync(join(e.dir, "media", "pic.png"), Buffer.from("not really a png"));
    const config: AIConfig = {
      ...echoConfig(),
      description: "A **bold** notebook <script>alert(1)</script>",
      prompts: [
        {
          ...echoConfig().prompts[0]!,
          outputs: [
            { output_type: "execute_result", data: "Hello </script><b>world</b>" },
            { output_type: "execute_result", data: { kind: "file_uri", value: "media/pic.png" }, mime_type: "image/png" },
          ],
        },
      ],
    };
    const yaml = await (await e.api("api/serialize", { json: { config, format: "yaml" } })).text();
    assert.match(yaml, /^name: test notebook$/m);
    assert.match(yaml, /input: Hello \{\{who\}\}/);
    const res = await e.api("api/export", { json: { config } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition") ?? "", /filename="notebook\.aiconfig\.html"/);
    const html = await res.text();
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), "loads nothing from elsewhere");
    assert.ok(!/<script[^>]+src=/.test(html), "scripts are inline");
    const json = /<script type="application\/json" id="aiconfig-static-state">([\s\S]*?)<\/script>/.exec(html)![1]!;
    const state = JSON.parse(json) as { config: AIConfig; readOnly: boolean };
    assert.equal(state.readOnly, true);
    assert.equal((state.config.prompts[0]!.outputs![0] as { data: string }).data, "Hello </script><b>world</b>");
    assert.deepEqual(state.config.prompts[0]!.outputs![1]!.data, {
      kind: "base64",
      value: `data:image/png;base64,${Buffer.from("not really a png").toString("base64")}`,
    });
  });
});

describe("embedding", () => {
  test("createEditorApp is a Hono app of a runtime, usable without listening (app.request) and without the web UI", async () => {
    const { AIConfigRuntime } = await import("@aiconfig-ts/core");
    const { createEditorApp } = await import("./server/create-editor-app.js");
    const e = await editor(echoConfig());
    const runtime = AIConfigRuntime.load(e.file);
    const app = createEditorApp(runtime, {
      token: "t".repeat(64),
      assets: null,
      hostPolicy: { hosts: new Set(["app.local:3000"]), origins: new Set(["http://app.local:3000"]) },
    });
    const headers = { host: "app.local:3000", origin: "http://app.local:3000", "x-aiconfig-token": "t".repeat(64) };
    const state = await app.request("/api/state", { headers });
    assert.equal(state.status, 200);
    assert.equal(((await state.json()) as { config: AIConfig }).config.prompts.length, 2);
    assert.equal((await app.request("/api/state", { headers: { ...headers, host: "127.0.0.1:3000" } })).status, 403);
    assert.equal((await app.request("/", { headers })).status, 404);
    assert.equal(app.runs.size, 0);
  });
});

describe("trust: the file and its folder are untrusted", () => {
  const attachmentConfig = (data: unknown, mime = "text/plain") =>
    testConfig([
      { name: "leak", input: { data: "read this", attachments: [{ data: data as never, mime_type: mime }] }, metadata: { model: "echo" } },
    ]);

  test("/api/runs never reads an attachment outside the config's folder: .env, /etc/hostname, ../, a symlink out", async () => {
    const e = await editor(echoConfig(), { dotenv: "TEST_API_KEY=sk-test-0123456789abcdef\n" });
    mkdirSync(join(e.dir, "media"));
    symlinkSync("/etc/hostname", join(e.dir, "media", "out.png"));
    writeFileSync(join(e.dir, "media", "ok.png"), "inside");
    for (const [data, mime] of [
      [{ kind: "file_uri", value: ".env" }, "text/plain"],
      [{ kind: "file_uri", value: "/etc/hostname" }, "text/plain"],
      [{ kind: "file_uri", value: "file:///etc/hostname" }, "text/plain"],
      [{ kind: "file_uri", value: "../outside.png" }, "image/png"],
      [{ kind: "file_uri", value: "media/out.png" }, "image/png"],
      ["/etc/hostname", "image/png"],
    ] as const) {
      const res = await e.api("api/runs", { json: { config: attachmentConfig(data, mime), mode: "one", prompt: "leak" } });
      assert.equal(res.status, 400, JSON.stringify(data));
      const body = (await res.json()) as { error: string };
      assert.match(body.error, /^not run: prompt "leak": attachment ".*" is refused: .*; pick the file again in Attachments/);
      assert.ok(!body.error.includes("sk-test"));
    }
    const inside = await e.run({
      config: attachmentConfig({ kind: "file_uri", value: "media/ok.png" }, "image/png"),
      mode: "one",
      prompt: "leak",
    });
    assert.ok(
      inside.some((ev) => ev.type === "outputs"),
      "a file inside the folder is read",
    );
  });

  test("an attachments/ folder that is a symlink out of the config's folder is not written through", async () => {
    const e = await editor(echoConfig());
    const outside = (await import("./browser.test.helper.js")).tempDir();
    symlinkSync(outside, join(e.dir, "attachments"));
    const res = await e.api("api/attachments", { json: { name: "x.png", mimeType: "image/png", base64: "AAAA" } });
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /"attachments" leads out of the config's folder/);
    assert.deepEqual((await import("node:fs")).readdirSync(outside), []);
  });

  test("a key streamed in pieces is redacted in delta events as in the final outputs", async () => {
    const key = "sk-test-0123456789abcdef";
    const e = await editor(echoConfig(), { dotenv: `TEST_API_KEY=${key}\n` });
    const config = testConfig([
      { name: "p", input: `the key is ${key} ok`, metadata: { model: { name: "echo", settings: { chunk_chars: 5, delay_ms: 20 } } } },
    ]);
    const events = await e.run({ config, mode: "one", prompt: "p" });
    const deltas = events.filter((ev): ev is Extract<RunEvent, { type: "delta" }> => ev.type === "delta");
    assert.ok(deltas.length > 1, "streamed in several events");
    assert.ok(!JSON.stringify(events).includes(key.slice(0, 12)), "no piece of the key beyond its first characters reaches the page");
    assert.equal(deltas.map((d) => d.delta).join(""), "the key is [redacted] ok");
  });

  test("an api_key written in the file is masked in a read-only view and in HTML exports", async () => {
    const key = "sk-written-in-the-file-42";
    const config = testConfig([{ name: "p", input: "hi", metadata: { model: { name: "echo", settings: { api_key: key } } } }]);
    const ro = await editor(config, { readOnly: true });
    const state = await (await ro.api("api/state")).text();
    assert.ok(!state.includes(key));
    assert.match(state, /"api_key":"\[redacted\]"/);
    const rw = await editor(config);
    assert.ok((await (await rw.api("api/state")).text()).includes(key), "the editable view keeps it (saving must not lose it)");
    for (const res of [await rw.api("api/export"), await rw.api("api/export", { json: { config } })]) {
      const html = await res.text();
      assert.ok(!html.includes(key), "the export never holds it");
    }
  });

  test("the HTML export carries a Content-Security-Policy that allows only its own inline script and inline data", async () => {
    const e = await editor(echoConfig());
    const html = await (await e.api("api/export")).text();
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'none'/);
    assert.match(csp, /img-src data: blob:(;|$)/);
    const script = /<script type="module">([\s\S]*)<\/script>\n<\/body>/.exec(html)![1]!;
    const { createHash } = await import("node:crypto");
    assert.ok(csp.includes(`'sha256-${createHash("sha256").update(script).digest("base64")}'`), "the one inline script, by hash");
  });
});

describe("pickers", () => {
  test("the page learns which providers run offline and whether the key each needs is set, never the key; retired models only when used", async () => {
    const key = "sk-test-0123456789abcdef";
    const e = await editor(testConfig([{ name: "p", input: "x", metadata: { model: "old-model" } }]), { dotenv: `TEST_API_KEY=${key}\n` });
    const provider = (id: string, capabilities: Record<string, unknown>, models: string[]) =>
      e.runtime.registry.register(
        {
          id,
          capabilities: { tasks: ["chat"], streams: false, chat: true, ...capabilities } as never,
          resolve: () => ({}),
          run: async () => [],
        },
        models,
      );
    provider("keyed", { credentials: ["TEST_API_KEY"], models: ["keyed-1"] }, ["keyed-1"]);
    provider("unkeyed", { credentials: ["NO_SUCH_KEY_SET_ANYWHERE"], models: ["unkeyed-1"] }, ["unkeyed-1"]);
    provider("retired", { retired: true, models: ["old-model", "older-model"] }, ["old-model", "older-model"]);
    const text = await (await e.api("api/state")).text();
    assert.ok(!text.includes(key), "the key's value never reaches the page");
    const state = JSON.parse(text) as EditorState;
    const info = (id: string) => state.providers.find((p) => p.id === id)!;
    assert.equal(info("keyed").keySet, true);
    assert.equal(info("unkeyed").keySet, false);
    assert.equal(info("tone").keySet, undefined, "an offline provider needs no key");
    assert.equal(info("tone").capabilities?.offline, true);
    const names = state.models.map((m) => m.name);
    assert.ok(names.includes("keyed-1") && names.includes("unkeyed-1") && names.includes("tone"));
    assert.deepEqual(
      state.models.filter((m) => m.retired).map((m) => m.name),
      ["old-model"],
      "a retired service's models appear only when the file uses them",
    );
  });
});

describe("binary outputs", () => {
  test("a large binary output is stored as a file beside the config; a small one stays inline", async () => {
    const e = await editor(echoConfig());
    const config = testConfig([
      { name: "long", input: "x", metadata: { model: { name: "tone", settings: { seconds: 10 } } } },
      { name: "short", input: "x", metadata: { model: { name: "tone", settings: { seconds: 0.5 } } } },
    ]);
    const events = await e.run({ config, mode: "all" });
    const out = (name: string) =>
      (events.find((ev) => ev.type === "outputs" && ev.prompt === name) as Extract<RunEvent, { type: "outputs" }>).outputs[0] as {
        data: { kind: string; value: string };
        mime_type: string;
      };
    assert.deepEqual(out("long").data, { kind: "file_uri", value: "notebook.aiconfig.outputs/long.wav" });
    assert.equal(out("long").mime_type, "audio/wav");
    assert.equal(readFileSync(join(e.dir, "notebook.aiconfig.outputs", "long.wav")).length, 44 + 16000 * 2 * 10);
    assert.equal(out("short").data.kind, "base64");
    const served = await e.api("api/files?path=notebook.aiconfig.outputs/long.wav");
    assert.equal(served.headers.get("content-type"), "audio/wav");
  });

  test("with outputFiles: false every binary output stays inline", async () => {
    const e = await editor(echoConfig(), { outputFiles: false });
    const config = testConfig([{ name: "long", input: "x", metadata: { model: { name: "tone", settings: { seconds: 10 } } } }]);
    const events = await e.run({ config, mode: "one", prompt: "long" });
    const outputs = (events.find((ev) => ev.type === "outputs") as Extract<RunEvent, { type: "outputs" }>).outputs;
    assert.equal((outputs[0]!.data as { kind: string }).kind, "base64");
    assert.equal(existsSync(join(e.dir, "notebook.aiconfig.outputs")), false);
  });
});
