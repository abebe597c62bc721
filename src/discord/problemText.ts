import { SUGGESTION_PROBLEM_CODES, type Problem, type ProblemValue } from '../core/problem.ts';
import { quoteTyped } from '../core/quoteTyped.ts';
import { isTakeawayProblem } from '../core/takeawayProblems.ts';
import { failureText, promptFailureFix } from './failureText.ts';
import type { Translator } from './i18n.ts';
import { fitText, REASON_MAX_LENGTH } from './limits.ts';

/** A problem as the reader sees it, in their language. */
export function problemText(problem: Problem, tr: Translator): string {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(problem.values ?? {})) values[name] = renderValue(value, tr);
  const suggestionCodes: readonly string[] = SUGGESTION_PROBLEM_CODES;
  const key = problem.code.includes(':')
    ? problem.code
    : isTakeawayProblem(problem.code)
      ? `takeaways:errors.${problem.code}`
      : suggestionCodes.includes(problem.code)
        ? `suggestions:errors.${problem.code}`
        : `errors:${problem.code}`;
  return tr.t(key, values);
}

function renderValue(value: ProblemValue, tr: Translator): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if ('typed' in value) return quoteTyped(value.typed);
  if ('permission' in value) return `**${tr.t(`permissions:${value.permission}`)}**`;
  if ('permissions' in value) return tr.list(value.permissions.map((permission) => `**${tr.t(`permissions:${permission}`)}**`));
  if ('failure' in value) return fitText(failureText(value.failure, tr), REASON_MAX_LENGTH);
  if ('fix' in value) return promptFailureFix(value.fix, tr);
  return tr.list(value.codes.map((code) => `\`${code}\``));
}
