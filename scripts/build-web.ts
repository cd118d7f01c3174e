// Bundles the web UI (web/) into dist/web: one script and one stylesheet with hashed names, the
// page that loads them, and a brotli and a gzip copy of each, served as they are.
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";

const OUT = "dist/web";

export async function buildWeb(): Promise<void> {
  const result = await build({
    entryPoints: { app: "web/src/main.tsx" },
    bundle: true,
    format: "esm",
    target: "es2022",
    jsx: "automatic",
    jsxImportSource: "preact",
    minify: true,
    outdir: join(OUT, "assets"),
    entryNames: "[name]-[hash]",
    metafile: true,
    legalComments: "none",
    logLevel: "warning",
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
  const script = outputs.find((f) => f.endsWith(".js"));
  const style = outputs.find((f) => f.endsWith(".css"));
  if (!script || !style) throw new Error(`the web build made ${outputs.join(", ")}: expected a script and a stylesheet`);
  const page = readFileSync("web/index.html", "utf8")
    .replace("<!-- styles -->", `<link rel="stylesheet" href="assets/${style}" />`)
    .replace("<!-- scripts -->", `<script type="module" src="assets/${script}"></script>`);
  writeFileSync(join(OUT, "index.html"), page);
  for (const file of [join(OUT, "index.html"), ...outputs.map((f) => join(OUT, "assets", f))]) {
    const body = readFileSync(file);
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  }
}
