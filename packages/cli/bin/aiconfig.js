#!/usr/bin/env node
// The `aiconfig` command. This file is in the source tree (not only in dist/)
// so that npm can link it when the package is installed, before it is built.
import "../dist/bin.js";
