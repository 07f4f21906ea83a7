import { RULES_VERSION } from '../machines/common/rules';
import { PATCHES, RULES_EDITIONS, rulesEditionOf } from './patches';

describe('the rules edition a case opens under', () => {
  it('is the current edition for a new case, which records every edition patch', () => {
    const recorded: string[] = [];
    const edition = rulesEditionOf((id) => {
      recorded.push(id);
      return true;
    });
    expect(edition).toBe(RULES_VERSION);
    expect(recorded).toEqual([PATCHES.rulesFromSources, PATCHES.rulesEdition3]);
  });

  it('is the edition its history recorded when it replays', () => {
    const replaying = (...present: string[]) => rulesEditionOf((id) => present.includes(id));
    expect(replaying()).toBe(1);
    expect(replaying(PATCHES.rulesFromSources)).toBe(2);
    expect(replaying(PATCHES.rulesFromSources, PATCHES.rulesEdition3)).toBe(3);
  });

  it('has a patch for every edition after the first, the last being the current one', () => {
    expect(RULES_EDITIONS.map((e) => e.edition)).toEqual(
      Array.from({ length: RULES_VERSION - 1 }, (_, i) => i + 2),
    );
  });
});
