#!/usr/bin/env node
// Launcher for `npx netpulse …`: NetPulse runs its TypeScript sources through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../core/cli/main.ts');
