// Mounting the hosted notebook in an existing node:http server under /notebook.
// Run: node examples/node-http.mjs path/to/my.aiconfig.json  (then open the address it prints; PORT=... to choose the port)
// Express: app.use((req, res, next) => req.url.startsWith("/notebook") ? listener(req, res) : next());
// Next.js (app/notebook/[[...path]]/route.ts): export const GET = (r) => notebook.fetch(r); export const POST = GET; export const PUT = GET; export const DELETE = GET;
import { createServer } from "node:http";
import { createNotebookHandler, toNodeListener } from "@aiconfig-ts/server";

const notebook = await createNotebookHandler({ file: process.argv[2] ?? "my.aiconfig.json", basePath: "/notebook" });
const listener = await toNodeListener(notebook.fetch);
const server = createServer((req, res) => {
  if (req.url?.startsWith("/notebook")) return listener(req, res);
  res.end("my app; the notebook is at /notebook/\n");
});
server.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`my app: http://127.0.0.1:${server.address().port}/  the notebook: http://127.0.0.1:${server.address().port}/notebook/`);
});
