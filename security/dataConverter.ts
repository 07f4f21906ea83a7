import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec } from './codec';
import type { KeyRing } from './keys';

/**
 * The data converter that client and worker share: every payload is encrypted, failure
 * messages and stack traces too, and unverifiable payloads are refused (strict codec).
 */
export function caseDataConverter(keys: KeyRing): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keys, { strict: true })],
    failureConverterPath: require.resolve('./failureConverter'),
  };
}
