#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in dist/. The compile cache keeps V8's
// compiled code between runs, which takes a good part of every command's start-up.
import module from "node:module";

module.enableCompileCache?.();
const { runFromProcess } = await import("../dist/bundle/main.js");
await runFromProcess();
