import type { Failure } from '../core/failure.ts';
import type { Translator } from './i18n.ts';

/** Why a piece of work did not get done, in plain words for moderators (no trailing period). */
export function failureText(failure: Failure, { t }: Translator): string {
  const what = t(`failures:step.${failure.step ?? 'none'}`);
  switch (failure.kind) {
    case 'rejected':
      if (failure.detail === 'too-long') return t('failures:kind.rejected-too-long', { what });
      return failure.code === undefined
        ? t('failures:kind.rejected', { what })
        : t('failures:kind.rejected-code', { what, code: failure.code });
    case 'member-gone':
    case 'members-left':
      return t('failures:kind.members-left');
    case 'thread-limit':
    case 'no-room':
      return t('failures:kind.no-room');
    default:
      return t(`failures:kind.${failure.kind}`, { what });
  }
}

/** What a moderator can do about a daily prompt that failed. */
export function promptFailureFix(failure: Failure, { t }: Translator): string {
  switch (failure.kind) {
    case 'channel-gone':
    case 'missing-permission':
    case 'thread-limit':
    case 'rejected':
      return t(`failures:fix.${failure.kind}`);
    default:
      return t('failures:fix.other');
  }
}

/** Why Bridges turned a feature off by itself; a reason stored by an older version is its own text. */
export function disabledReasonText(feature: 'prompts' | 'pairing', reason: string, tr: Translator): string {
  const key = `failures:disabled.${feature}.${reason}`;
  return tr.has(key) ? tr.t(key) : reason;
}
