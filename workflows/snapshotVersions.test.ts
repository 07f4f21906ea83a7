import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CaseState } from '../contract/case';
import { pathwayOf } from '../machines';
import { migrateSnapshot, versionOf, type PersistedSnapshot } from '../machines/common/versions';
import { EncryptionCodec } from '../security/codec';
import { FIXTURE_KEYS } from '../test/support/fixtureKeys';
import { CaseRecord } from './caseRecord';

const HISTORIES = join(__dirname, '..', 'test', 'histories');

/** The case as the recorded history archived it at closure: its carried state, decrypted. */
async function archivedState(file: string): Promise<CaseState> {
  const history = temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(join(HISTORIES, file), 'utf8')) as object,
  );
  const archive = history.events.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'archive',
  )!.activityTaskScheduledEventAttributes!;
  const [payload] = await new EncryptionCodec(FIXTURE_KEYS).decode(archive.input!.payloads!);
  return defaultPayloadConverter.fromPayload<{ record: CaseState }>(payload!).record;
}

describe('versioned snapshots', () => {
  const snapshot: PersistedSnapshot = { value: 'a', context: { steps: [] as string[] } };
  const step =
    (name: string) =>
    (s: PersistedSnapshot): PersistedSnapshot => ({
      ...s,
      context: { ...s.context, steps: [...(s.context.steps as string[]), name] },
    });

  it('migrates a saved snapshot through every later version, in order, and no further', () => {
    const chain = [step('1→2'), step('2→3'), step('3→4')];
    expect(versionOf(chain)).toBe(4);
    expect(migrateSnapshot(snapshot, chain, 1).context.steps).toEqual(['1→2', '2→3', '3→4']);
    expect(migrateSnapshot(snapshot, chain, 3).context.steps).toEqual(['3→4']);
    expect(migrateSnapshot(snapshot, chain, 4)).toBe(snapshot);
    expect(() => migrateSnapshot(snapshot, chain, 5)).toThrow(
      /no migration path from machine version 5 to 4/,
    );
  });

  it.each(readdirSync(HISTORIES).map((f) => [f]))(
    'restores the case archived in %s at the current machine version',
    async (file) => {
      const saved = await archivedState(file);
      // Recorded at some version up to today's (none: before versions began, version 1).
      expect(saved.machineVersion ?? 1).toBeLessThanOrEqual(versionOf(pathwayOf(saved.pathway).migrations));
      const record = CaseRecord.restore(saved);
      expect(record.view()).toMatchObject({ caseId: saved.caseId, open: false, state: 'closed' });
      expect(record.timeline()).toHaveLength(saved.timeline.length);
      const again = record.toState();
      expect(again.machineVersion).toBe(versionOf(pathwayOf(saved.pathway).migrations));
      expect(CaseRecord.restore(again).view()).toEqual(record.view());
    },
  );

  it('brings a front door case saved at version 1 up to date: the care proceedings reminder lead time', async () => {
    const saved = await archivedState('frontDoor.json');
    const savedPolicy = (saved.snapshot as { context: { policy: Record<string, unknown> } }).context.policy;
    expect(savedPolicy.careProceedingsWarnDays).toBeUndefined();
    expect(CaseRecord.restore(saved).details()).toMatchObject({ policy: { careProceedingsWarnDays: 14 } });
    expect(CaseRecord.restore(saved).toState().machineVersion).toBe(2);
  });
});
