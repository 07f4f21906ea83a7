import { isValidNhsNumber, NhsNumber, nhsNumberChecked, nhsNumberFault } from './people';

/** The check digit worked out here, independently: modulus 11 with weights 10 down to 2. */
function checkDigitOf(firstNine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * (10 - i);
  return (11 - (sum % 11)) % 11;
}

describe('NHS numbers', () => {
  // Numbers published as examples of valid NHS numbers (the first two are this project's fixtures).
  const published = ['9434765919', '9434765870', '4010232137', '9876543210'];

  it.each(published)('%s: its last digit is the modulus-11 check digit of the first nine', (n) => {
    expect(checkDigitOf(n.slice(0, 9))).toBe(Number(n[9]));
    expect(isValidNhsNumber(n)).toBe(true);
  });

  it('is accepted as people write it: 10 digits together, or 3, 3 and 4 with single spaces', () => {
    expect(isValidNhsNumber('943 476 5919')).toBe(true);
    expect(isValidNhsNumber('401 023 2137')).toBe(true);
    for (const bad of [
      '943-476-5919',
      '943 4765919',
      '9434 765 919',
      '943  476 5919',
      ' 9434765919',
      '9434765919 ',
    ]) {
      expect(nhsNumberFault(bad)).toBe('format');
    }
    for (const bad of ['943476591', '94347659190', '943476591X', '', '９４３４７６５９１９']) {
      expect(nhsNumberFault(bad)).toBe('format');
    }
  });

  it('is refused with a wrong check digit, including when the check works out as 10', () => {
    expect(nhsNumberFault('9434765918')).toBe('checkDigit');
    expect(nhsNumberFault('943 476 5910')).toBe('checkDigit');
    expect(nhsNumberFault('4010232138')).toBe('checkDigit');
    // 100000001: 1×10 + 1×2 = 12, remainder 1, check 10: no NHS number starts so.
    expect(checkDigitOf('100000001')).toBe(10);
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`100000001${last}`)).toBe(false);
  });

  it('is refused when one digit is repeated, though 0000000000 and the rest pass the modulus-11 check', () => {
    for (let d = 0; d <= 9; d++) {
      const repeated = String(d).repeat(10);
      expect(checkDigitOf(repeated)).toBe(d);
      expect(nhsNumberFault(repeated)).toBe('oneDigitRepeated');
    }
    expect(isValidNhsNumber('000 000 0000')).toBe(false);
  });

  it('has one schema: either way of writing it is kept without spaces; other shapes are refused', () => {
    expect(NhsNumber.parse('943 476 5919')).toBe('9434765919');
    expect(NhsNumber.parse('9434765919')).toBe('9434765919');
    const refused = NhsNumber.safeParse('943-476-5919');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toBe(
      'an NHS number is 10 digits, written together or as 3, 3 and 4 digits',
    );
    expect(NhsNumber.description).toBe('10 digits, for example 485 777 3456');
  });

  it('nhsNumberChecked: a referral with an NHS number opens a case only if it is a real one', () => {
    const rule = nhsNumberChecked((r: { nhsNumber?: string }) => r.nhsNumber);
    expect(rule.holds({})).toBe(true);
    expect(rule.holds({ nhsNumber: '9434765919' })).toBe(true);
    expect(rule.holds({ nhsNumber: '9434765918' })).toBe(false);
    expect(rule.refusal({ nhsNumber: '9434765918' })).toBe("the NHS number's check digit is wrong");
    expect(rule.holds({ nhsNumber: '0000000000' })).toBe(false);
    expect(rule.refusal({ nhsNumber: '0000000000' })).toBe(
      'the NHS number is one digit repeated, which is never a real NHS number',
    );
  });
});
