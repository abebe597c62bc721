/** Worker-thread entry: matches one round and posts the result back (see workerMatcher.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { matchMembers, type MatchCandidate, type MatchOptions } from '../core/matching.ts';

const { candidates, options } = workerData as { candidates: MatchCandidate[]; options: MatchOptions };
parentPort?.postMessage(matchMembers(candidates, options));
