#!/usr/bin/env node
// Run one TypeScript file of this project: `node bin/run-ts.js bench/run.ts [args]`.
'use strict';
const path = require('node:path');
require('./register-ts');
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], file, ...rest];
require(path.resolve(file));
