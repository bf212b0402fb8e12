#!/usr/bin/env node
// The `attestflow` command. TypeScript sources run through @swc-node/register (no build step);
// decorator metadata, which NestJS needs, is read from tsconfig.json.
'use strict';
require('./register-ts');
require('../cli/attestflow.ts').main(process.argv.slice(2));
