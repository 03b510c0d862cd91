import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir';

// A setup file runs first in each test file, so this afterAll runs after the file's own ones
// (vitest runs after-hooks in reverse): servers and child processes are stopped before their folders go.
afterAll(removeTempDirs);
