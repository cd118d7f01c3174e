#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in dist/. The compile cache keeps V8's
// compiled code between runs, which takes a good part of every command's start-up.
import module from "node:module";
import { argv } from "node:process";

module.enableCompileCache?.();
if (argv[2] === "serve") {
  // The server has its own entry point: the CLI never loads it, nor it the CLI.
  const { serveFromProcess } = await import("../dist/bundle/serve.js");
  await serveFromProcess();
} else {
  const { runFromProcess } = await import("../dist/bundle/main.js");
  await runFromProcess();
}
