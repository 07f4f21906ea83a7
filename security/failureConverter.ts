import { DefaultFailureConverter } from '@temporalio/common';

/** Failure messages and stack traces go through the payload codec too: they can quote case data. */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
