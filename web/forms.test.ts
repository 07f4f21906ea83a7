import { pathways } from '../machines';
import { NhsNumber } from '../machines/common/people';
import { FrontDoorEvent } from '../machines/frontDoor/events';
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

describe("the front door's referral form", () => {
  const frontDoor = fieldsOf(pathways.frontDoor.referral);

  it('shows the fields of a front door referral, asking whether the family was told', () => {
    expect(frontDoor.map((f) => f.name)).toEqual([
      'receivedAt',
      'referrer',
      'child',
      'childRef',
      'concerns',
      'significantHarmSuspected',
      'census',
      'familyInformed',
      'familyNotInformedBecause',
    ]);
    const html = renderFields(frontDoor, {}, new Map());
    expect(html).toContain('name="child.name"');
    expect(html).toContain('Has the family been told about the referral?');
    expect(html).toContain('name="familyInformed" type="radio" value="false"');
  });

  it("asks the census's questions in words, and reads back the census's codes", () => {
    const html = renderFields(frontDoor, {}, new Map());
    expect(html).toContain('For the Children in Need census');
    // The code list's label is shown; the code is only the value sent.
    expect(html).toMatch(/value="6"[^>]*>\s*<label[^>]*>\s*Police/);
    expect(html).toContain('Asian or Asian British: Bangladeshi');
    expect(html).not.toMatch(/>\s*WBRI\s*</);
    const read = readForm(frontDoor, {
      'census.referralSource': '6',
      'census.ethnicity': 'WBRI',
      'census.disabilities': ['NONE'],
      'census.upnUnknown': 'UN1',
    });
    expect(read['census']).toEqual({
      referralSource: '6',
      ethnicity: 'WBRI',
      disabilities: ['NONE'],
      upnUnknown: 'UN1',
    });
  });

  it("offers an assessment's census fields as the census's labels, in the list's own order", () => {
    const assessment = FrontDoorEvent.options.find((o) => o.shape.type.value === 'ASSESSMENT_COMPLETED')!;
    const form = fieldsOf(assessment, '', ['type', 'eventId', 'at', 'actor']);
    const factors = form.find((f) => f.name === 'factors') as Extract<Field, { options: unknown }>;
    expect(factors.label).toBe('Factors identified at the end of the assessment');
    expect(factors.options.slice(0, 2)).toEqual([
      { value: '1A', text: 'Alcohol misuse: concerns about the child' },
      { value: '1B', text: 'Alcohol misuse: concerns about a parent or carer' },
    ]);
    const need = form.find((f) => f.name === 'primaryNeed') as Extract<Field, { options: unknown }>;
    expect(need.options.find((o) => o.value === 'N1')?.text).toBe('Abuse or neglect');
  });

  it('reads what was filled in back into a referral the schema takes', () => {
    const posted = {
      'receivedAt-day': '2',
      'receivedAt-month': '3',
      'receivedAt-year': '2026',
      'receivedAt-time': '09:30',
      'referrer.role': 'school',
      'referrer.name': 'Pat Teacher',
      'referrer.contact.route': 'phone',
      'referrer.contact.value': '01296 000002',
      'child.name': 'Sam Child',
      childRef: 'FD-1',
      concerns: 'Bruising seen at school',
      significantHarmSuspected: 'no',
      familyInformed: 'false',
      familyNotInformedBecause: 'Telling them would place the child at risk',
    };
    const read = readForm(frontDoor, posted);
    expect(read).toMatchObject({ familyInformed: false, child: { name: 'Sam Child' } });
    expect(pathways.frontDoor.referral.safeParse(read).success).toBe(true);
  });

  it('names the missing reason when the family was not told, and the missing answer', () => {
    const posted = { familyInformed: 'false' };
    const parsed = pathways.frontDoor.referral.safeParse(readForm(frontDoor, posted));
    expect(formErrors(frontDoor, parsed.error!.issues, posted).get('familyNotInformedBecause')?.text).toBe(
      'Enter if the family has not been told, why not',
    );
    const unanswered = pathways.frontDoor.referral.safeParse(readForm(frontDoor, {}));
    expect(formErrors(frontDoor, unanswered.error!.issues, {}).get('familyInformed')?.text).toBe(
      'Select an answer to “Has the family been told about the referral?”',
    );
  });
});
