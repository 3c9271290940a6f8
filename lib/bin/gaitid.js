#!/usr/bin/env node
// Entry point of the `gaitid` command line; the code lives in dist/cli.js (compiled from src/cli.ts).
"use strict";
let cli;
try {
  cli = require("../dist/cli.js");
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes("dist/cli.js")) {
    console.error("gaitid: the library is not built yet; run `npm run build` in the repository root.");
    process.exit(2);
  }
  throw err;
}
cli.main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    console.error(`gaitid: ${err && err.message ? err.message : err}`);
    process.exit(err && typeof err.exitCode === "number" ? err.exitCode : 1);
  },
);
