import type { Failure, FailureStep } from '../core/failure.ts';

const STEP_OBJECT: Readonly<Record<FailureStep, string>> = {
  post: 'the prompt',
  'answer-thread': 'the answer thread',
  thread: 'the conversation thread',
  'add-members': 'adding members to the thread',
  intro: 'the introduction',
  'check-in': 'the check-in',
  archive: 'archiving the thread',
};

/** Why a piece of work did not get done, in plain words for moderators (no trailing period). */
export function failureText(failure: Failure): string {
  const what = failure.step === undefined ? 'it' : STEP_OBJECT[failure.step];
  switch (failure.kind) {
    case 'rejected':
      if (failure.detail === 'too-long') return `Discord refused ${what} as too long`;
      return `Discord refused ${what}${failure.code === undefined ? '' : ` (error ${failure.code})`}`;
    case 'channel-gone':
      return 'the channel was deleted or Bridges can no longer see it';
    case 'missing-permission':
      return `Bridges is missing a permission for ${what}`;
    case 'member-gone':
    case 'members-left':
      return 'members left the server before the conversation began';
    case 'thread-limit':
    case 'no-room':
      return 'the server had no room for another thread (Discord allows 1,000 active threads per server) until the next round';
    case 'thread-exists':
      return 'the thread already existed';
    case 'rate-limited':
      return `Discord rate-limited ${what}`;
    case 'transient':
      return `Discord did not answer for ${what}`;
    case 'gave-up':
      return `Discord kept failing for ${what}, so Bridges stopped retrying`;
    case 'cancelled':
      return 'pairing was turned off during the round';
    case 'not-in-catalog':
      return 'its prompt is no longer in the catalog';
    case 'not-confirmed':
      return `Discord never confirmed ${what} on its day`;
  }
}

/** What a moderator can do about a daily prompt that failed, or undefined when Bridges handles it. */
export function promptFailureFix(failure: Failure): string | undefined {
  switch (failure.kind) {
    case 'channel-gone':
      return 'Run `/setup prompts` to choose a channel.';
    case 'missing-permission':
      return 'Give Bridges View Channel, Send Messages, Embed Links and Create Public Threads in the prompt channel, then run `/setup prompts` again.';
    case 'thread-limit':
      return 'Archive some threads in the server; Bridges opens answer threads again as soon as there is room.';
    case 'rejected':
      return 'Bridges tries again tomorrow; if it keeps happening, please report it.';
    default:
      return 'Bridges tries again tomorrow.';
  }
}
