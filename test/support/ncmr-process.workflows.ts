// The NCMR workflow and the CAPA it may start, bundled on their own by test/ncmr-process.test.ts
// and run against stub activities.
export { capa, ncmr } from '../../workflows';
