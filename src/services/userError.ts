import { problem, type Problem, type ProblemCode, type ProblemValue } from '../core/problem.ts';

/**
 * A problem the person who clicked or typed can fix. It carries a code and values, never English:
 * the interaction router renders it in the reader's language and shows it to them, ephemerally.
 */
export class UserError extends Error {
  readonly problem: Problem;

  constructor(code: ProblemCode | Problem, values?: Readonly<Record<string, ProblemValue>>) {
    const described = typeof code === 'string' ? problem(code, values) : code;
    super(described.code);
    this.name = 'UserError';
    this.problem = described;
  }
}
