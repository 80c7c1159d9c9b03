#!/usr/bin/env node
// The `aiconfig` command. This file is in the source tree (not only in dist/)
// so that npm can link it when the package is installed, before it is built.
// CommonJS (bin/package.json), like the start-up bundle it loads, so that
// `aiconfig --help` does not start Node's ES module loader.
require("../dist/bin.cjs");
