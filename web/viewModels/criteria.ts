import { words } from '../../calendar/words';
import { optionLabel } from '../forms';

/**
 * An eligibility criterion as the team reads it: a list of codes the machine gives after a colon
 * ("concerns: mentalIllness, domesticAbuse") becomes their labels ("Concerns: mental illness, …").
 */
export function criterionInWords(criterion: string): string {
  const m = /^([a-z][\w ]*): ([A-Za-z0-9]+(?:, [A-Za-z0-9]+)*)$/.exec(criterion);
  if (!m) return criterion;
  const labels = m[2]!.split(', ').map((c) => optionLabel(c) ?? words(c));
  // Each label in the sentence's lower case, unless it starts with an acronym (MAPPA, GP).
  const lower = (l: string) => (/^[A-Z][a-z]/.test(l) ? l.charAt(0).toLowerCase() + l.slice(1) : l);
  return `${m[1]!.charAt(0).toUpperCase()}${m[1]!.slice(1)}: ${labels.map(lower).join(', ')}`;
}
