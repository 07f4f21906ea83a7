import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKeys } from '../test/support/temporal';
import { FileArchive } from './archive';

describe('the archive of closed cases', () => {
  it('keeps the record encrypted with its retention date, and logs every read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archive-'));
    const keys = testKeys();
    const archive = new FileArchive(dir, keys);
    const record = { caseId: 'parentInfant-1', referral: { parent: { name: 'Jane Testparent' } } };
    const entry = await archive.put('parentInfant-1', 'parentInfant', '2026-11-23T10:00:00.000Z', record);
    expect(entry.retainUntil).toBe('2046-11-23T10:00:00.000Z');
    await archive.put('parentInfant-1', 'parentInfant', '2026-11-23T10:00:00.000Z', record); // a retry is harmless

    expect(readFileSync(join(dir, 'parentInfant-1.record.enc')).includes('Jane Testparent')).toBe(false);
    const read = await archive.read(
      'parentInfant-1',
      { id: 'sup-jo', role: 'supervisor' },
      'subject access request',
    );
    expect(read.record).toEqual(record);
    const log = readFileSync(join(dir, 'access.log'), 'utf8').trim().split('\n');
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!)).toMatchObject({
      caseId: 'parentInfant-1',
      who: { id: 'sup-jo' },
      why: 'subject access request',
    });
  });

  it('keeps child protection records for 35 years', async () => {
    const archive = new FileArchive(mkdtempSync(join(tmpdir(), 'archive-')), testKeys());
    const entry = await archive.put('frontDoor-1', 'frontDoor', '2026-11-23T10:00:00.000Z', {});
    expect(entry.retainUntil.slice(0, 10)).toBe('2061-11-23');
  });
});
