import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsPositive, Matches, Max, ValidateBy } from 'class-validator';

/** Part numbers and lot numbers are chosen by people: letters, digits and . _ / - (not first). */
export const MATERIAL_CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
export const MATERIAL_CODE_MESSAGE = 'must be 1–64 characters: letters, digits and . _ / -, starting with a letter or digit';
/** A calendar date, YYYY-MM-DD. */
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * At most 6 decimal places. class-validator's own `maxDecimalPlaces` reads the digits after the "."
 * of the number's text and throws (a 500) on one JavaScript writes with an exponent, such as 5e-324.
 */
export const hasAtMostSixDecimals = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(6)) === value;

const AtMostSixDecimals = (): PropertyDecorator =>
  ValidateBy({
    name: 'atMostSixDecimals',
    validator: { validate: hasAtMostSixDecimals, defaultMessage: (args) => `${args?.property ?? 'quantity'} must have at most 6 decimal places` },
  });

/** A quantity: positive, at most 6 decimal places, below 10^14 (what numeric(20, 6) holds). */
export const Quantity = (): PropertyDecorator => (target, key) => {
  IsNumber({ allowNaN: false, allowInfinity: false })(target, key);
  AtMostSixDecimals()(target, key);
  IsPositive()(target, key);
  Max(99_999_999_999_999)(target, key);
};

/** Quantities travel as JSON numbers and are stored exactly (numeric): this is the text PostgreSQL reads. */
export const quantityText = (value: number): string => value.toFixed(6).replace(/\.?0+$/, '');

export class ExpiryDate {
  @ApiProperty({ example: '2027-06-30' })
  @Matches(ISO_DATE, { message: 'expiryDate must be a date, YYYY-MM-DD' })
  expiryDate!: string;
}
