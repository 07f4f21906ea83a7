import type { TimelineEntry } from '../contract/case';
import type { Note } from '../machines/common/recordKeeping';
import { chronologyOf } from './chronology';

describe("a case's chronology", () => {
  const entry = (eventId: string, type: string, at: string, from = 'a', to = 'a'): TimelineEntry => ({
    seq: 1,
    eventId,
    type,
    at,
    actor: { id: 'cw-amira', role: 'caseworker' },
    from,
    to,
  });
  const note = (id: string, happenedAt: string, significant: boolean): Note => ({
    id,
    noteType: 'homeVisit',
    happenedAt,
    recordedAt: happenedAt,
    author: 'cw-amira',
    present: [],
    significant,
    restricted: false,
    versions: [{ text: 'seen at home', at: happenedAt, by: 'cw-amira' }],
  });
  const timeline = [
    entry('r', 'REFERRAL_RECEIVED', '2026-12-01T09:00:00Z', 'received', 'screening'),
    entry('rem', 'REMINDER', '2026-12-02T09:00:00Z'),
    entry('n1', 'NOTE_RECORDED', '2026-12-03T10:00:00Z'),
    entry('d', 'TEAM_MEETING_DECISION', '2026-12-07T10:00:00Z', 'awaitingTeamMeeting', 'assessment'),
    entry('c', 'DETAILS_CORRECTED', '2026-12-08T10:00:00Z'),
    entry('x', 'CLOSE_IGNORED', '2026-12-09T10:00:00Z'),
  ];
  const record = {
    notes: [note('n1', '2026-12-03T09:30:00Z', true), note('n2', '2026-12-04T09:30:00Z', false)],
  };

  it('tells the case from its own events and its significant notes, newest first, housekeeping left out', () => {
    const c = chronologyOf(timeline, record);
    expect(c.map((e) => e.id)).toEqual(['c', 'd', 'n1', 'r']);
    expect(c.find((e) => e.id === 'd')?.movedTo).toBe('assessment');
    expect(c.find((e) => e.id === 'n1')).toEqual(
      expect.objectContaining({ kind: 'note', at: '2026-12-03T09:30:00Z' }),
    );
  });

  it('filters by kind, by UK date and by choice, oldest first when asked', () => {
    expect(chronologyOf(timeline, record, { order: 'oldest', kinds: ['event'] }).map((e) => e.id)).toEqual([
      'r',
      'd',
      'c',
    ]);
    expect(chronologyOf(timeline, record, { from: '2026-12-03', to: '2026-12-07' }).map((e) => e.id)).toEqual(
      ['d', 'n1'],
    );
    expect(chronologyOf(timeline, record, { only: ['r', 'n1'] }).map((e) => e.id)).toEqual(['n1', 'r']);
  });
});
