import { status } from '@grpc/grpc-js';
import { isGrpcServiceError, ServiceError, type Client } from '@temporalio/client';
import type { KeyRing } from '../security/keys';
import { sealCommand } from '../security/commands';
import { linkKeyFor } from '../security/keys';
import { SA } from '../contract/searchAttributes';
import { reportSignal, type Command } from '../contract/messages';
import type { StoreArchive } from '../store/archive';
import type { FactStore } from '../reports/store';
import { addressFor, type Notifier } from './notifier';
import type { CaseActivities } from './types';

export interface ActivityDeps {
  notifier: Notifier;
  archive: Pick<StoreArchive, 'put' | 'purge'>;
  facts: FactStore;
  client: Client;
  keys: KeyRing;
}

const nowIso = () => new Date().toISOString();

function withoutVisibility(err: unknown): boolean {
  const cause = err instanceof ServiceError ? err.cause : err;
  return isGrpcServiceError(cause) && cause.code === status.UNIMPLEMENTED;
}

export function createActivities({ notifier, archive, facts, client, keys }: ActivityDeps): CaseActivities {
  /** Signals a report to every running parent–infant case linked to the child; idempotent per case. */
  async function signalLinkedCases(
    effectId: string,
    childRef: string,
    report: { type: string; actor: Command['actor']; reason: string; status?: string },
  ) {
    const link = linkKeyFor(keys, childRef);
    const query = `${SA.childLink.name} = '${link}' AND ${SA.pathway.name} = 'parentInfant' AND ExecutionStatus = 'Running'`;
    const signalled: string[] = [];
    try {
      for await (const wf of client.workflow.list({ query })) {
        // Issued by the service itself, sealed for the linked case as its client seals reports.
        const command = { ...report, eventId: `${effectId}:${wf.workflowId}` };
        const issued = {
          caseId: wf.workflowId,
          by: 'client',
          at: nowIso(),
          access: { allTeams: true as const },
        };
        await client.workflow
          .getHandle(wf.workflowId)
          .signal(reportSignal, sealCommand(keys, command, issued));
        signalled.push(wf.workflowId);
      }
    } catch (err) {
      // A server with no visibility store (the time-skipping test server) links no cases.
      if (!withoutVisibility(err)) throw err;
    }
    return { signalled };
  }

  return {
    notify: ({ effectId, caseId, to, subject, detail, recipients }) =>
      notifier.send({
        id: effectId,
        caseId,
        kind: 'notification',
        to,
        address: addressFor(to, recipients),
        subject,
        ...(detail ? { detail } : {}),
        createdAt: nowIso(),
      }),

    // The service has no direct contact details for the person: the referrer passes it on, or
    // the named worker (or the team) when there is no referrer to reach.
    signpost: ({ effectId, caseId, signposting, for: person = 'the person referred', recipients }) =>
      notifier.send({
        id: effectId,
        caseId,
        kind: 'signposting',
        to: 'person',
        address: recipients.referrer
          ? addressFor('referrer', recipients)
          : addressFor('namedWorker', recipients),
        subject: `Signposting for ${person}: please pass this on`,
        detail: signposting.join('\n'),
        createdAt: nowIso(),
      }),

    handover: ({ effectId, caseId, receivingService, recipients }) =>
      notifier.send({
        id: effectId,
        caseId,
        kind: 'handover',
        to: 'receivingService',
        address: `service:${receivingService}`,
        subject: `Handover of care from ${recipients.team}`,
        createdAt: nowIso(),
      }),

    closeLinkedCases: ({ effectId, caseId, childRef }) =>
      signalLinkedCases(effectId, childRef, {
        type: 'CARE_PROCEEDINGS_STARTED',
        actor: { id: `case:${caseId}`, role: 'system' },
        reason: "Care proceedings began on the linked children's social care case",
      }),

    reportToLinkedCases: ({ effectId, caseId, childRef, status }) =>
      signalLinkedCases(effectId, childRef, {
        type: 'SOCIAL_CARE_STATUS_CHANGED',
        status,
        actor: { id: `case:${caseId}`, role: 'system' },
        reason: "Reported by the linked children's social care case",
      }),

    async archive({ caseId, record, closedAt, facts: last }) {
      await archive.put(caseId, record.pathway, closedAt, record);
      if (last) await facts.put(last);
    },
  };
}
