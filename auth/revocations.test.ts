import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRevocationList, refusingRevoked, tokenId } from './revocations';
import { Unauthenticated } from './unauthenticated';

const folder = () => join(mkdtempSync(join(tmpdir(), 'reconnect-revoked-')), 'revoked');
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('the list of signed-out sessions, shared by API processes', () => {
  it('a token signed out through one API process is refused by another reading the same folder', async () => {
    const dir = folder();
    const first = new FileRevocationList(dir);
    const second = new FileRevocationList(dir);
    const asked: string[] = [];
    const verify = refusingRevoked(async (token) => {
      asked.push(token);
      return { kind: 'staff', id: 'cw-amira', roles: ['caseworker'], teams: ['bucks-reconnect'] };
    }, second);

    await expect(verify('a-token')).resolves.toMatchObject({ id: 'cw-amira' });
    await first.revoke(tokenId('a-token'), inAnHour());
    await expect(verify('a-token')).rejects.toThrow(new Unauthenticated('the token has been revoked'));
    expect(asked).toEqual(['a-token']);
    await expect(verify('another-token')).resolves.toMatchObject({ id: 'cw-amira' });
  });

  it('writes no token down: entries are named by a hash, owner-only', async () => {
    const dir = folder();
    await new FileRevocationList(dir).revoke(tokenId('secret-token-value'), inAnHour());
    const [name] = readdirSync(dir);
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, name!)).mode & 0o077).toBe(0);
    expect(statSync(dir).mode & 0o077).toBe(0);
  });
});
