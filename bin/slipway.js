#!/usr/bin/env node
// Thin launcher: the compiled entry point lives in dist/.
import { runFromProcess } from "../dist/cli/main.js";

await runFromProcess();
