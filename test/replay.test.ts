import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { PATHWAYS } from '../machines';
import { PATCHES } from '../workflows/patches';
import { caseDataConverter } from '../security/dataConverter';
import { FIXTURE_KEYS } from './support/fixtureKeys';
import { caseBundle } from './support/temporal';

const DIR = join(__dirname, 'histories');

function load(file: string) {
  return temporal.api.history.v1.History.fromObject(
    JSON.parse(readFileSync(join(DIR, file), 'utf8')) as object,
  );
}

/**
 * The id a history replays under: the case id it was recorded with, where the file says (its
 * payloads are bound to their case); older histories, whose payloads name none, under any.
 */
function idOf(file: string, otherwise: string): string {
  const { workflowId } = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { workflowId?: string };
  return workflowId ?? otherwise;
}

/** Histories recorded from earlier code (npm run record-histories) must replay on the current code. */
describe('recorded histories replay against the current workflow code', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has histories for every pathway, each with timers, updates and signals', () => {
    for (const pathway of PATHWAYS) expect(files).toContain(`${pathway}.json`);
    for (const file of files) {
      const types = new Set(load(file).events.map((e) => e.eventType));
      const E = temporal.api.enums.v1.EventType;
      expect(types).toContain(E.EVENT_TYPE_TIMER_FIRED);
      expect(types).toContain(E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
      expect(types).toContain(E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
      expect(types).toContain(E.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      if (!['frontDoor.json', 'enhancedReconnect.json'].includes(file)) {
        expect(types).toContain(E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
      }
    }
  });

  it.each(files.map((f) => [f]))('%s', async (file) => {
    await Worker.runReplayHistory(
      { workflowBundle: await caseBundle(), dataConverter: caseDataConverter(FIXTURE_KEYS) },
      load(file),
      idOf(file, `${file}-replay`),
    );
  });

  it('replay through one worker, which shares its case logic between them, the same in either order', async () => {
    const histories = files.map((file) => ({
      workflowId: idOf(file, `${file}-shared`),
      history: load(file),
    }));
    const replay = async (order: typeof histories) => {
      const results: Record<string, string> = {};
      const options = { workflowBundle: await caseBundle(), dataConverter: caseDataConverter(FIXTURE_KEYS) };
      for await (const r of Worker.runReplayHistories(options, order)) {
        results[r.workflowId] = r.error ? String(r.error) : 'replayed';
      }
      return results;
    };
    const forwards = await replay(histories);
    expect(forwards).toEqual(Object.fromEntries(histories.map((h) => [h.workflowId, 'replayed'])));
    expect(await replay([...histories].reverse())).toEqual(forwards);
  });

  it('include a refused report, recorded behind its patch', () => {
    const history = load('reconnect-refused-report.json');
    const markers = history.events.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
    );
    expect(markers.length).toBeGreaterThan(0);
  });

  it('cover every patch: each is in some recorded history, so its new branch is replayed', () => {
    const recorded = new Set(
      files.flatMap((file) =>
        load(file)
          .events.map((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data)
          .filter((data): data is Uint8Array => !!data)
          .map((data) => (JSON.parse(Buffer.from(data).toString()) as { id: string }).id),
      ),
    );
    // Histories are recorded on the time-skipping server, without custom search attributes, so
    // the patch that changes only what is published is never reached there.
    const publishedOnly: string[] = [PATCHES.overdueStaysNext];
    const expected = Object.values(PATCHES).filter((id) => !publishedOnly.includes(id));
    expect([...recorded].sort()).toEqual(expect.arrayContaining(expected));
  });

  it('would catch a change that breaks determinism', async () => {
    // A history whose second activity was, in the recording, a different effect: replay must fail.
    const history = load('parentInfant.json');
    const scheduled = history.events.filter((e) => e.activityTaskScheduledEventAttributes);
    scheduled[0]!.activityTaskScheduledEventAttributes!.activityType!.name = 'somethingElse';
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: await caseBundle(), dataConverter: caseDataConverter(FIXTURE_KEYS) },
        history,
        'tampered',
      ),
    ).rejects.toThrow(/[Nn]ondeterminism|DeterminismViolation/);
  });
});
