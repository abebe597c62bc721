import { Worker } from 'node:worker_threads';
import type { MatchResult } from '../core/matching.ts';
import { inlineMatcher, type Matcher } from '../services/matcher.ts';

/**
 * From this many members a round is matched in a worker. Trio rounds of 18 to 30 members take 0.4
 * to 1.8 s to match and of 200 members up to 5 s (`bench/matching.bench.ts`), which would hold
 * every interaction of the process; smaller rounds take at most about 0.1 s, less than a worker
 * costs to start (about 0.4 s, with tsx's loader).
 */
export const WORKER_THRESHOLD = 16;

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
