import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';
import type { Field, Posted } from './forms';

export const GOVUK_DIST = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
/** MoJ Frontend: its components (`moj/components/…`), styles and scripts. */
export const MOJ_DIST = dirname(require.resolve('@ministryofjustice/frontend/package.json'));

/** Templates: the service's own views, then GOV.UK Frontend's and MoJ Frontend's macros. */
export const views = nunjucks.configure([join(__dirname, 'views'), GOVUK_DIST, MOJ_DIST], {
  autoescape: true,
  throwOnUndefined: false,
  noCache: false,
});

const COMPONENTS = {
  input: 'govukInput',
  textarea: 'govukTextarea',
  radios: 'govukRadios',
  checkboxes: 'govukCheckboxes',
  dateInput: 'govukDateInput',
  fieldset: 'govukFieldset',
} as const;
const compiled = new Map<string, nunjucks.Template>();

/** One GOV.UK component, rendered by its own macro. */
export function component(name: keyof typeof COMPONENTS, params: object): string {
  const macro = COMPONENTS[name];
  const folder = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  let t = compiled.get(name);
  if (!t) {
    t = new nunjucks.Template(
      `{% from "govuk/components/${folder}/macro.njk" import ${macro} %}{{ ${macro}(params) }}`,
      views,
    );
    compiled.set(name, t);
  }
  return t.render({ params });
}

const html = (s: string) => ({ html: s });
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('\n') : (v ?? ''));

/** The fields of a form as GOV.UK markup, with posted values and inline errors. */
export function renderFields(fields: Field[], values: Posted, errors: Map<string, string>): string {
  return fields.map((f) => renderField(f, values, errors)).join('\n');
}

function renderField(f: Field, values: Posted, errors: Map<string, string>): string {
  const id = f.name.replace(/\./g, '-');
  const label = f.optional ? `${f.label} (optional)` : f.label;
  const error = errors.get(f.name);
  const errorMessage = error ? { errorMessage: { text: error } } : {};
  switch (f.kind) {
    case 'text':
    case 'number':
      return component('input', {
        id,
        name: f.name,
        label: { text: label },
        value: one(values[f.name]),
        ...(f.hint ? { hint: { text: f.hint } } : {}),
        ...(f.kind === 'number' ? { inputmode: 'numeric', classes: 'govuk-input--width-5' } : {}),
        ...errorMessage,
      });
    case 'textarea':
    case 'lines':
      return component('textarea', {
        id,
        name: f.name,
        label: { text: label },
        value: one(values[f.name]),
        ...errorMessage,
      });
    case 'boolean':
      return component('radios', {
        idPrefix: id,
        name: f.name,
        classes: 'govuk-radios--inline',
        fieldset: { legend: { text: label } },
        items: [
          { value: 'yes', text: 'Yes', checked: one(values[f.name]) === 'yes' },
          { value: 'no', text: 'No', checked: one(values[f.name]) === 'no' },
        ],
        ...errorMessage,
      });
    case 'radios':
    case 'checkboxes': {
      const chosen = [values[f.name]].flat().filter(Boolean);
      return component(f.kind, {
        idPrefix: id,
        name: f.name,
        fieldset: { legend: { text: label } },
        ...(f.kind === 'checkboxes' ? { hint: { text: 'Select all that apply.' } } : {}),
        items: f.options.map((o) => ({ value: o.value, text: o.text, checked: chosen.includes(o.value) })),
        ...errorMessage,
      });
    }
    case 'date':
    case 'dateTime': {
      const date = component('dateInput', {
        id,
        namePrefix: f.name,
        fieldset: { legend: { text: label } },
        hint: { text: 'For example, 27 3 2026' },
        items: ['day', 'month', 'year'].map((part) => ({
          name: part,
          label: part.charAt(0).toUpperCase() + part.slice(1),
          value: one(values[`${f.name}-${part}`]),
          classes: `govuk-input--width-${part === 'year' ? 4 : 2}${error ? ' govuk-input--error' : ''}`,
        })),
        ...errorMessage,
      });
      if (f.kind === 'date') return date;
      return (
        date +
        component('input', {
          id: `${id}-time`,
          name: `${f.name}-time`,
          label: { text: `Time (24-hour clock), ${f.label.toLowerCase()}` },
          hint: { text: 'For example, 14:30' },
          classes: 'govuk-input--width-5',
          value: one(values[`${f.name}-time`]),
        })
      );
    }
    case 'fieldset':
      return component('fieldset', {
        legend: { text: label, classes: 'govuk-fieldset__legend--m' },
        ...html(renderFields(f.fields, values, errors)),
      });
    case 'choice':
      // Each answer's own questions follow in their own group, rather than revealed inside the
      // radios: the reveal puts aria-expanded on radio inputs, which ARIA does not allow.
      return (
        component('radios', {
          idPrefix: id,
          name: f.name,
          fieldset: { legend: { text: label } },
          items: f.branches.map((b) => ({
            value: String(b.value),
            text: b.text,
            checked: one(values[f.name]) === String(b.value),
          })),
          ...errorMessage,
        }) +
        f.branches
          .filter((b) => b.fields.length)
          .map((b) =>
            component('fieldset', {
              legend: {
                text: `If you answered “${b.text}” to “${f.label}”`,
                classes: 'govuk-fieldset__legend--s',
              },
              ...html(renderFields(b.fields, values, errors)),
            }),
          )
          .join('\n')
      );
  }
}
