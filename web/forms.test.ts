import { pathways } from '../machines';
import { NhsNumber } from '../machines/common/people';
import { fieldsOf, formErrors, readForm, type Field } from './forms';
import { renderFields } from './render';

const fields = fieldsOf(pathways.parentInfant.referral);
const parent = fields.find((f) => f.name === 'parent') as Extract<Field, { kind: 'fieldset' }>;

describe('the NHS number on a referral form', () => {
  it('is a text field whose hint gives the accepted form', () => {
    expect(parent.fields.find((f) => f.name === 'parent.nhsNumber')).toMatchObject({
      kind: 'text',
      label: 'NHS number',
      optional: true,
      hint: '10 digits, for example 485 777 3456',
    });
    expect(renderFields([parent], {}, new Map())).toContain('10 digits, for example 485 777 3456');
  });

  it('is read as written, with its spaces, and kept without them', () => {
    const read = readForm([parent], { 'parent.name': 'Jane', 'parent.nhsNumber': '943 476 5919' });
    expect(read).toEqual({ parent: { name: 'Jane', nhsNumber: '943 476 5919' } });
    expect(NhsNumber.parse((read['parent'] as { nhsNumber: string }).nhsNumber)).toBe('9434765919');
  });

  it('in another shape is an error that names the field, its initials kept', () => {
    const posted = { 'parent.nhsNumber': '943-476-5919' };
    const parsed = pathways.parentInfant.referral.safeParse({ parent: { nhsNumber: '943-476-5919' } });
    const errors = formErrors(fields, parsed.error!.issues, posted);
    expect(errors.get('parent.nhsNumber')?.text).toBe('Enter parent NHS number in the right format');
  });
});
