// Entry of a worker thread that runs one TypeScript module of this project (a piscina task file):
// worker threads do not inherit the main thread's require hooks, so SWC is registered here again,
// the same way under `npm start`, Jest and the production image.
'use strict';
require('./register-ts');
const { workerData } = require('node:worker_threads');
module.exports = require(workerData.taskModule);
