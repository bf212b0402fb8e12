// Labels where the translations have none: the property name made readable (both builders had
// their own version of this; the one left keeps the creation pages' "SHA-256").
import { humanise } from './field-label';

test('a property name or an option reads as words', () => {
  expect(humanise('riskLevel')).toBe('Risk level');
  expect(humanise('quality_control')).toBe('Quality control');
  expect(humanise('nonconformingQuantity')).toBe('Nonconforming quantity');
  expect(humanise('fileSha256')).toBe('File SHA-256');
});
