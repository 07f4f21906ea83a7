import { DefaultLogger, Runtime } from '@temporalio/worker';

// Worker logs at WARN and above keep test output readable.
Runtime.install({ logger: new DefaultLogger('WARN') });
