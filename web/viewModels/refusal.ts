import type { CaseRefusedError } from '../../client/cases';
import { eventName, stateName } from '../../machines/plainEnglish';

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A case's refusal as a page says it: the rule that was not met, in the words the rule gives,
 * without the state's and actions' code names the API's message carries for machines.
 */
export function refusalInWords(err: Pick<CaseRefusedError, 'message' | 'details'>): string {
  const refused = /^In state "([^"]+)", ([A-Z_]+) is refused: (.*?)\. Allowed actions:/s.exec(err.message);
  if (refused) return `${capital(refused[3]!)}.`;
  const notNow = /^In state "([^"]+)", ([A-Z_]+) is not allowed\./.exec(err.message);
  if (notNow)
    return `“${eventName(notNow[2]!)}” cannot be done now: the case is at “${stateName(notNow[1]!)}”.`;
  return capital(err.message);
}
