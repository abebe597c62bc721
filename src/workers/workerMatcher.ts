import { Worker } from 'node:worker_threads';
import type { MatchResult } from '../core/matching.ts';
import { inlineMatcher, type Matcher } from '../services/matcher.ts';

/** Below this many members matching takes a few milliseconds; starting a worker would cost more. */
export const WORKER_THRESHOLD = 300;

const ENTRY = new URL('./matchingWorker.ts', import.meta.url).href;
// The worker runs TypeScript source like the rest of the bot: tsx's loader is registered in it first.
const BOOTSTRAP = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(ENTRY)});`;

/** Matches large rounds in a worker thread, so the event loop stays free for interactions. */
export function workerMatcher(threshold = WORKER_THRESHOLD): Matcher {
  return async (candidates, options) => {
    if (candidates.length < threshold) return inlineMatcher(candidates, options);
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(BOOTSTRAP)}`), {
      workerData: { candidates, options },
    });
    try {
      return await new Promise<MatchResult>((resolve, reject) => {
        worker.once('message', (result: MatchResult) => resolve(result));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`The matching worker stopped (exit code ${code}) before answering`)));
      });
    } finally {
      await worker.terminate();
    }
  };
}
