import { shippedHolidays } from '../calendar/holidays';
import { caseworker, parentInfantReferral, supervisor } from '../test/support/referrals';
import { CaseRecord, Refusal } from './caseRecord';

/** The record caseworkers keep on a case: notes, corrections and transfers, on any pathway. */
describe('the case record', () => {
  const AT = '2026-11-23T11:00:00Z';
  const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
  let n = 0;
  const open = () =>
    CaseRecord.open({
      caseId: 'parentInfant-1',
      pathway: 'parentInfant',
      referral: parentInfantReferral(),
      team: 'north',
      calendar: shippedHolidays,
      at: AT,
      actor: caseworker,
    }).record;
  const act = (
    record: CaseRecord,
    event: Record<string, unknown>,
    actor: object = caseworker,
    minutes = 10,
  ) => record.apply(record.check({ eventId: `e-${++n}`, at: later(minutes), actor, ...event }));
  const refusal = (record: CaseRecord, event: Record<string, unknown>, actor: object = caseworker) => {
    try {
      record.check({ eventId: `e-${++n}`, at: later(10), actor, ...event });
    } catch (err) {
      return err as Refusal;
    }
    throw new Error('not refused');
  };
  const note = {
    type: 'NOTE_RECORDED',
    noteType: 'homeVisit',
    happenedAt: later(-60),
    present: ['Parent', 'Baby'],
    text: 'Visited at home; baby feeding well.',
    significant: true,
  };
  const notes = (record: CaseRecord) => record.details().notes as { id: string; versions: unknown[] }[];

  it('keeps a note with its type, times, author and who was there, and leaves the state alone', () => {
    const record = open();
    const before = record.view().state;
    const { entry } = act(record, note);
    expect(entry.to).toBe(entry.from);
    expect(record.view().state).toBe(before);
    expect(record.details().notes).toEqual([
      expect.objectContaining({
        id: entry.eventId,
        noteType: 'homeVisit',
        happenedAt: later(-60),
        recordedAt: later(10),
        author: caseworker.id,
        present: ['Parent', 'Baby'],
        significant: true,
        restricted: false,
        versions: [{ text: note.text, at: later(10), by: caseworker.id }],
      }),
    ]);
  });

  it('never edits a note in place: an amendment is a new version, with who and why', () => {
    const record = open();
    const { entry } = act(record, note);
    expect(refusal(record, { type: 'NOTE_AMENDED', noteId: entry.eventId, text: 'x' }).message).toMatch(
      /an amendment says why the note is changed/,
    );
    act(record, {
      type: 'NOTE_AMENDED',
      noteId: entry.eventId,
      text: 'Visited at home; baby feeding well, weight checked.',
      reason: 'added the weight check',
    });
    expect(notes(record)[0]!.versions).toEqual([
      { text: note.text, at: later(10), by: caseworker.id },
      {
        text: 'Visited at home; baby feeding well, weight checked.',
        at: later(10),
        by: caseworker.id,
        reason: 'added the weight check',
      },
    ]);
  });

  it('is signed off by a supervisor once; a caseworker may not sign off', () => {
    const record = open();
    const { entry } = act(record, note);
    const signOff = { type: 'NOTE_SIGNED_OFF', noteId: entry.eventId };
    expect(refusal(record, signOff).code).toBe('forbidden');
    act(record, signOff, supervisor);
    expect(record.details().notes).toEqual([
      expect.objectContaining({ signedOff: { by: supervisor.id, at: later(10) } }),
    ]);
    const again = refusal(record, signOff, supervisor);
    expect(again.code).toBe('notAllowed');
    expect(again.message).toMatch(/signed off by sup-jo already/);
    expect(again.message).toMatch(/Allowed actions: .*NOTE_RECORDED/);
  });

  it('refuses a note about the future, naming the state and what is allowed', () => {
    const record = open();
    const r = refusal(record, { ...note, happenedAt: later(60 * 24) });
    expect(r.message).toMatch(/In state "screening", NOTE_RECORDED is refused: .*cannot be in the future/);
  });

  it('corrects a detail with a reason, keeps the history, and shows the people as they now stand', () => {
    const record = open();
    const correct = {
      type: 'DETAILS_CORRECTED',
      person: 'parent',
      field: 'address',
      value: '1 New Street, B1 1AA',
    };
    expect(refusal(record, correct).message).toMatch(/a correction says why/);
    act(record, { ...correct, reason: 'moved house' });
    act(record, {
      type: 'DETAILS_CORRECTED',
      person: 'parent',
      field: 'name',
      value: 'Sam Jones',
      reason: 'misspelt',
    });
    const details = record.details();
    const parent = (details.referral as { parent: Record<string, unknown> }).parent;
    expect(parent).toEqual(expect.objectContaining({ name: 'Sam Jones', address: '1 New Street, B1 1AA' }));
    expect(details.corrections).toEqual([
      expect.objectContaining({ field: 'address', value: '1 New Street, B1 1AA', reason: 'moved house' }),
      expect.objectContaining({
        field: 'name',
        value: 'Sam Jones',
        previous: parentInfantReferral().parent.name,
      }),
    ]);
    expect(refusal(record, { ...correct, reason: 'again' }).message).toMatch(/the value already recorded/);
    expect(
      refusal(record, {
        type: 'DETAILS_CORRECTED',
        person: 'parent',
        field: 'nhsNumber',
        value: '1234567890',
        reason: 'x',
      }).message,
    ).toMatch(/not an NHS number/);
    expect(
      refusal(record, {
        type: 'DETAILS_CORRECTED',
        person: 'person',
        field: 'name',
        value: 'A B',
        reason: 'x',
      }).message,
    ).toMatch(/this case has no person leaving custody/);
  });

  it('moves to another team when that team accepts a transfer, and says which team answers', () => {
    const record = open();
    act(record, { type: 'ASSIGN_WORKER', worker: 'cw-amira' }, supervisor);
    expect(
      refusal(record, { type: 'TRANSFER_REQUESTED', toTeam: 'north', reason: 'x' }, supervisor).message,
    ).toMatch(/already with that team/);
    act(record, { type: 'TRANSFER_REQUESTED', toTeam: 'south', reason: 'family moved' }, supervisor);
    expect(record.view().transfer).toEqual({
      toTeam: 'south',
      requestedAt: later(10),
      requestedBy: supervisor.id,
    });
    expect(record.teamToAnswer('TRANSFER_ACCEPTED')).toBe('south');
    expect(record.teamToAnswer('NOTE_RECORDED')).toBe('north');
    expect(refusal(record, { type: 'TRANSFER_DECLINED' }, supervisor).message).toMatch(
      /declining a transfer says why/,
    );
    act(record, { type: 'TRANSFER_ACCEPTED' }, { id: 'sup-south', role: 'supervisor' });
    expect(record.view()).toEqual(expect.objectContaining({ team: 'south' }));
    expect(record.view().namedWorker).toBeUndefined();
    expect(record.view().transfer).toBeUndefined();
    expect(refusal(record, { type: 'TRANSFER_ACCEPTED' }, supervisor).message).toMatch(
      /no transfer is waiting/,
    );
    expect(record.recipients().team).toBe('south');
  });

  it('keeps a declined transfer, and the case stays with its team', () => {
    const record = open();
    act(record, { type: 'TRANSFER_REQUESTED', toTeam: 'south', reason: 'family moved' }, supervisor);
    act(
      record,
      { type: 'TRANSFER_DECLINED', reason: 'not our area' },
      { id: 'sup-south', role: 'supervisor' },
    );
    expect(record.view().team).toBe('north');
    expect(record.details().transfers).toEqual([
      expect.objectContaining({
        fromTeam: 'north',
        toTeam: 'south',
        answer: { accepted: false, at: later(10), by: 'sup-south', reason: 'not our area' },
      }),
    ]);
  });

  it("is withdrawn by the case's own team while no one has answered, and a new one can be asked", () => {
    const record = open();
    act(record, { type: 'TRANSFER_REQUESTED', toTeam: 'nowhere', reason: 'typed wrong' }, supervisor);
    expect(refusal(record, { type: 'TRANSFER_WITHDRAWN' }, supervisor).message).toMatch(
      /withdrawing a transfer says why/,
    );
    expect(record.teamToAnswer('TRANSFER_WITHDRAWN')).toBe('north');
    act(record, { type: 'TRANSFER_WITHDRAWN', reason: 'the wrong team' }, supervisor);
    expect(record.view().transfer).toBeUndefined();
    expect(record.details().transfers).toEqual([
      expect.objectContaining({
        toTeam: 'nowhere',
        answer: expect.objectContaining({ accepted: false, withdrawn: true }),
      }),
    ]);
    expect(refusal(record, { type: 'TRANSFER_WITHDRAWN', reason: 'x' }, supervisor).message).toMatch(
      /no transfer is waiting/,
    );
    act(record, { type: 'TRANSFER_REQUESTED', toTeam: 'south', reason: 'the family moved' }, supervisor);
    expect(record.view().transfer?.toTeam).toBe('south');
  });

  it('carries its record across continue-as-new', () => {
    const record = open();
    act(record, note);
    const restored = CaseRecord.restore(JSON.parse(JSON.stringify(record.toState())));
    expect(restored.details().notes).toEqual(record.details().notes);
  });
});
