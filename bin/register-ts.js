'use strict';
// Compile TypeScript on the fly with SWC, using this project's tsconfig.json.
const path = require('node:path');
process.env.TS_NODE_PROJECT = process.env.TS_NODE_PROJECT || path.join(__dirname, '..', 'tsconfig.json');
process.env.SWC_NODE_PROJECT = process.env.SWC_NODE_PROJECT || process.env.TS_NODE_PROJECT;
require('@swc-node/register');
