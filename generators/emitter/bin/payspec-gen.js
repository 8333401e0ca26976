#!/usr/bin/env node
// Regenerates one generated package from its protocol's spec:
//   payspec-gen <protocol> <artifact>   (run from the package folder; writes ./src/gen)
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv.slice(2), process.cwd());
