import type * as Logic from './logic';
import { loadOnce } from './sharedModules';

/** The case logic, evaluated by the first case on a worker and shared, frozen, by the rest. */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, not per case
export const logic = (): typeof Logic => loadOnce('logic', () => require('./logic') as typeof Logic);
