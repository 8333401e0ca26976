#!/usr/bin/env node
// The `payspec` command: see src/cli.ts. Exit codes: 0 ok, 1 invalid input, 2 usage, I/O or internal error.
// Imports are dynamic so that even a broken install ends in exit 2, never in Node's own exit 1 (which means "invalid").
try {
  const { processIo, run } = await import("../dist/index.js");
  process.exitCode = await run(process.argv.slice(2), processIo());
} catch (error) {
  const { maskPansInText } = await import("@payspec/runtime").catch(() => ({
    maskPansInText: (text) => text.replace(/\d{13,19}/g, "[PAN]"),
  }));
  process.stderr.write(
    `payspec: internal error: ${maskPansInText(error instanceof Error ? error.message : String(error))}\n`,
  );
  process.exitCode = 2;
}
