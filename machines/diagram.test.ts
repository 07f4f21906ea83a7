import { readFileSync } from 'node:fs';
import { pathways } from '.';
import { toMermaid, withDiagrams } from './diagram';

describe('machine diagrams', () => {
  it('in the README are the ones the machines draw now (run `npm run diagrams` after changing a machine)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toBe(withDiagrams(readme));
  });

  it('show states, guards and the closure paths', () => {
    const d = toMermaid(pathways.parentInfant.machine);
    expect(d).toContain('[*] --> received');
    expect(d).toContain('received --> closed: [isIneligible]');
    expect(d).toContain('received --> open: always');
    expect(d).toContain('open --> closed: CARE_PROCEEDINGS_STARTED');
    expect(d).toContain(
      'awaitingTeamMeeting --> assessment: TEAM_MEETING_DECISION [decisionAfterMeetingStarts and decisionIs accept]',
    );
    expect(d).toContain('closed --> [*]');
  });
});
