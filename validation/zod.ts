import { z } from 'zod';

// Workflow code runs in a sandbox that forbids code generation from strings;
// jitless mode must be set before any schema is built, so every schema imports z from here.
z.config({ jitless: true });

export { z };
