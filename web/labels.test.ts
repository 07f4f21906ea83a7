import { pathways, PATHWAYS } from '../machines';
import { EVENT_NAMES } from '../machines/plainEnglish';
import { words } from '../calendar/words';
import { fieldsOf, optionLabel, type Field } from './forms';
import { actionFields } from './viewModels/case';
import { criterionInWords } from './viewModels/criteria';

const caseId = (id: string) => `${id}-00000000-0000-4000-8000-000000000000`;

/** Every answer a form offers, with the field it is in. */
function optionsOf(fields: Field[], where: string): { where: string; value: string; text: string }[] {
  return fields.flatMap((f) => {
    switch (f.kind) {
      case 'radios':
      case 'checkboxes':
        return f.options.map((o) => ({ where: `${where} ${f.name}`, value: o.value, text: o.text }));
      case 'fieldset':
        return optionsOf(f.fields, where);
      case 'choice':
        return [
          ...f.branches
            .filter((b) => typeof b.value === 'string')
            .map((b) => ({ where: `${where} ${f.name}`, value: String(b.value), text: b.text })),
          ...f.branches.flatMap((b) => optionsOf(b.fields, where)),
        ];
      default:
        return [];
    }
  });
}

const eventSchemas = (id: (typeof PATHWAYS)[number]) =>
  (pathways[id].events as unknown as { options: { shape: { type: { value: string } } }[] }).options;

describe('plain English on every form', () => {
  it.each(PATHWAYS)('every answer of the %s referral and its events has a label, never its code', (id) => {
    const all = [
      ...optionsOf(fieldsOf(pathways[id].referral), 'referral'),
      // Each event's form, as a person sees it (the service fills in who, when and the event id).
      ...eventSchemas(id).flatMap((s) =>
        optionsOf(actionFields(caseId(id), s.shape.type.value) ?? [], s.shape.type.value),
      ),
    ];
    const unlabelled = all.filter((o) => optionLabel(o.value) === undefined && o.text === words(o.value));
    expect(unlabelled.map((o) => `${o.where}: ${o.value}`)).toEqual([]);
  });

  it.each(PATHWAYS)('every event of the %s pathway has a name', (id) => {
    const types = eventSchemas(id).map((s) => s.shape.type.value);
    expect(types.filter((t) => !Object.hasOwn(EVENT_NAMES, t))).toEqual([]);
  });
});

describe('eligibility on the team meeting agenda', () => {
  it('names the concerns given by their labels, not their codes', () => {
    expect(criterionInWords('concerns: mentalIllness, domesticAbuse')).toBe(
      'Concerns: parental mental illness, domestic abuse',
    );
    expect(criterionInWords('the baby is unborn')).toBe('the baby is unborn');
  });
});
