#!/usr/bin/env node
// Runs the TypeScript CLI directly (tsx), so a checkout works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv);
// exit once stdout has drained, so piped output is never cut short
process.stdout.write('', () => process.exit(code));
