import { z } from 'zod';

/**
 * zod, configured for where our schemas run. zod 4 compiles fast validators with `new Function`
 * after probing whether eval is allowed. Our code runs under CSPs without 'unsafe-eval': the
 * extension's, and in the MAIN world WhatsApp Web's page CSP, where even the probe would be a
 * CSP violation (visible in the page's console, and reportable to WhatsApp through its CSP
 * report endpoint — revealing the extension). Jitless mode never probes. Every schema file
 * imports `z` from here, so this runs before any schema is built or used.
 */
z.config({ jitless: true });

export { z };
