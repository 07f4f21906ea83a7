import { DefaultLogger, Runtime } from '@temporalio/worker';

// Tests fail on behaviour, not on logs: the worker logs only errors (expected activity retries
// in the failure tests would otherwise fill the output).
Runtime.install({ logger: new DefaultLogger('ERROR') });
