import { stopStartedProcesses } from './processes';

// After each test file: whatever it started and did not stop (a failed assertion skips the stop).
afterAll(() => stopStartedProcesses(), 30_000);
