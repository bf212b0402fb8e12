import 'reflect-metadata';
import { appValidationPipe } from '../common/validation';
import { hasAtMostSixDecimals, Quantity } from './material.dto';

class Probe {
  @Quantity()
  quantity!: number;
}

const validate = (quantity: unknown) => appValidationPipe.transform({ quantity }, { type: 'body', metatype: Probe });

test.each([0.1, 1, 12.345678, 99_999_999_999_999])('%p is a quantity', async (quantity) => {
  await expect(validate(quantity)).resolves.toMatchObject({ quantity });
});

// The fuzzer sent 5e-324 to POST /api/ncmrs: class-validator's maxDecimalPlaces threw a TypeError (500).
test.each([5e-324, 1e-7, 0.1234567, 1.5e-10, 0, -1, 1e15])('%p is refused with 400 validation_failed, not a crash', async (quantity) => {
  await expect(validate(quantity)).rejects.toMatchObject({ code: 'validation_failed' });
});

test('the decimal-places rule alone', () => {
  expect([0.5, 1e-6, 3].map(hasAtMostSixDecimals)).toEqual([true, true, true]);
  expect([5e-324, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, '1'].map(hasAtMostSixDecimals)).toEqual([false, false, false, false, false]);
});
