import { CaseRefusedError } from '../client/cases';
import { ConsultationClient } from '../client/consultations';
import type { ConsultationView } from '../contract/consultation';
import { LAPSE_DAYS, type Consultation } from '../machines/consultation';
import { DAY, serverClock } from './support/clock';
import { caseworker, parentInfantReferral, supervisor } from './support/referrals';
import { useHarness } from './support/temporal';

const h = useHarness('timeSkipping');
const consultations = () => new ConsultationClient(h.cases);

const dutyCall = (receivedAt: string): Consultation => ({
  pathway: 'parentInfant',
  route: 'dutyLine',
  receivedAt,
  professional: {
    name: 'Grace Okafor',
    role: 'health visitor',
    organisation: 'Aylesbury 0-19 team',
    contact: { route: 'phone', value: '01296 000000' },
  },
  concern: 'Mother low in mood since the birth; baby 6 weeks; asks whether a referral is right.',
  advice: 'Referral suggested; talk to mother about consent first.',
});

describe('duty-line calls and consultations', () => {
  it('a consultation becomes a referral once: a retry finds the same case, and the case names the consultation', async () => {
    const clock = await serverClock(h.env);
    const recorded = await consultations().record(dutyCall(clock.now), caseworker, 'bucks-reconnect');
    expect(recorded).toMatchObject({ state: 'open', open: true, allowedActions: ['REFERRED', 'CLOSED'] });
    expect(Date.parse(recorded.lapsesAt!) - Date.parse(clock.now)).toBeGreaterThanOrEqual(
      LAPSE_DAYS * DAY - 1000,
    );

    const referral = parentInfantReferral({ receivedAt: clock.now });
    const first = await consultations().refer(recorded.consultationId, referral, caseworker);
    expect(first.consultation).toMatchObject({ state: 'referred', caseId: first.case.caseId, open: false });
    expect(first.case).toMatchObject({
      pathway: 'parentInfant',
      consultationId: recorded.consultationId,
      open: true,
    });
    expect(first.case.caseId).toBe(`parentInfant-${recorded.consultationId.slice('consultation-'.length)}`);

    const again = await consultations().refer(recorded.consultationId, referral, caseworker);
    expect(again.case.caseId).toBe(first.case.caseId);
    expect(again.case.lastSeq).toBe(first.case.lastSeq);
    const timeline = await h.cases.timeline(first.case.caseId);
    expect(timeline.filter((e) => e.type === 'REFERRAL_RECEIVED')).toHaveLength(1);

    const closing = consultations().close(recorded.consultationId, { outcome: 'adviceGiven' }, supervisor);
    await expect(closing).rejects.toThrow(CaseRefusedError);
    await expect(closing).rejects.toMatchObject({
      code: 'notAllowed',
      message: expect.stringMatching(/is referred; it can take: nothing/),
      details: { state: 'referred', allowedActions: [] },
    });
  });

  it('a referral that the pathway refuses leaves the consultation open', async () => {
    const clock = await serverClock(h.env);
    const recorded = await consultations().record(dutyCall(clock.now), caseworker, 'bucks-reconnect');
    const { referrer: _r, ...bad } = parentInfantReferral({ receivedAt: clock.now });
    await expect(consultations().refer(recorded.consultationId, bad, caseworker)).rejects.toThrow(
      /invalid referral/,
    );
    expect((await consultations().view(recorded.consultationId)).state).toBe('open');
  });

  it('closed as advice given, with who, when and the note on its timeline', async () => {
    const clock = await serverClock(h.env);
    const recorded = await consultations().record(dutyCall(clock.now), caseworker, 'bucks-reconnect');
    const closed = await consultations().close(
      recorded.consultationId,
      { outcome: 'signposted', note: 'Signposted to the perinatal mental health team.' },
      caseworker,
    );
    expect(closed).toMatchObject({ state: 'closed', outcome: 'signposted', allowedActions: [] });
    expect(closed.timeline.map((e) => [e.type, e.actor.id])).toEqual([
      ['RECORDED', caseworker.id],
      ['CLOSED', caseworker.id],
    ]);
    await expect(
      consultations().refer(
        recorded.consultationId,
        parentInfantReferral({ receivedAt: clock.now }),
        caseworker,
      ),
    ).rejects.toMatchObject({ code: 'notAllowed', details: { state: 'closed' } });
  });

  it(`an open consultation lapses after ${LAPSE_DAYS} days, closed by the clock`, async () => {
    const clock = await serverClock(h.env);
    const recorded = await consultations().record(dutyCall(clock.now), caseworker, 'bucks-reconnect');
    await h.env.sleep((LAPSE_DAYS + 1) * DAY);
    const result = (await h.env.client.workflow
      .getHandle(recorded.consultationId)
      .result()) as ConsultationView;
    expect(result).toMatchObject({ state: 'closed', outcome: 'lapsed' });
    expect(result.timeline.at(-1)).toMatchObject({ type: 'LAPSED', actor: { id: 'timer', role: 'timer' } });
    expect(Date.parse(result.closedAt!)).toBeGreaterThanOrEqual(Date.parse(recorded.lapsesAt!));
  });

  it('refuses a consultation without its required parts, starting nothing', async () => {
    const clock = await serverClock(h.env);
    const { concern: _c, ...noConcern } = dutyCall(clock.now);
    await expect(consultations().record(noConcern, caseworker, 'bucks-reconnect')).rejects.toMatchObject({
      name: 'CaseInputError',
      issues: [expect.objectContaining({ path: 'concern' })],
    });
  });
});
