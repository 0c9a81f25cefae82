#!/usr/bin/env node
// The `chatvault` command. The CLI shares utils/ (TypeScript) with the extension; tsx compiles
// it on the fly so the repository needs no separate build step for the command line.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('./main.ts');
