// An existing node:http app that hosts the notebook under /notebook (the fetch
// handler) and shows it in its own page with the <aiconfig-notebook> web
// component. Run it from the repository after `npm run build`:
//   node packages/server/examples/node-http.mjs examples/story.aiconfig.json [PROVIDERS_MODULE]
// then open the address it prints (PORT=... chooses the port). The local model
// (stories260K) serves the story; a providers module adds more.
//
// The same handler in other servers:
//   Express:  app.use((req, res, next) => (req.url.startsWith("/notebook") ? listener(req, res) : next()));
//   Fastify:  app.all("/notebook/*", (req, reply) => { reply.hijack(); listener(req.raw, reply.raw); });
//   Next.js (app/notebook/[[...path]]/route.ts):
//     const handler = (r: Request) => notebook.fetch(r); export { handler as GET, handler as POST, handler as PUT, handler as DELETE };
import { createServer } from "node:http";
import { ProviderRegistry, defaultRegistry, loadProvidersModule } from "@aiconfig-ts/core";
import { register as registerLocalModel } from "@aiconfig-ts/llama";
import { createNotebookHandler, toNodeListener } from "@aiconfig-ts/server";

const registry = new ProviderRegistry(defaultRegistry);
registerLocalModel(registry);
if (process.argv[3]) await loadProvidersModule(process.argv[3], registry);
const notebook = await createNotebookHandler({ file: process.argv[2] ?? "my.aiconfig.json", basePath: "/notebook", registry });
const listener = await toNodeListener(notebook.fetch);

const page = `<!doctype html>
<meta charset="utf-8">
<title>My app</title>
<h1>My app</h1>
<p>The notebook below is a component of this page, talking to /notebook/.</p>
<script type="module" src="/notebook/aiconfig-notebook.js"></script>
<aiconfig-notebook src="/notebook/"></aiconfig-notebook>
`;

const server = createServer((req, res) => {
  if (req.url?.startsWith("/notebook")) return listener(req, res);
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
});
server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`my app: http://127.0.0.1:${port}/  (the notebook alone: http://127.0.0.1:${port}/notebook/)`);
});
