import { refusalInWords } from './refusal';

describe("a case's refusal on a page", () => {
  const details = {};
  it('gives the rule that was not met, without code names', () => {
    expect(
      refusalInWords({
        details,
        message:
          'In state "assessment", NOTE_RECORDED is refused: a note records what has happened: its time cannot be in the future. Allowed actions: ASSESSMENT_COMPLETED, CLOSE.',
      }),
    ).toBe('A note records what has happened: its time cannot be in the future.');
  });
  it('says what cannot be done now in words', () => {
    expect(
      refusalInWords({
        details,
        message: 'In state "screening", ASSESSMENT_COMPLETED is not allowed. Allowed actions: CLOSE.',
      }),
    ).toBe('“Record the assessment outcome” cannot be done now: the case is at “Waiting for screening”.');
  });
});
