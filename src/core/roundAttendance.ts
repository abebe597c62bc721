/** How a round's delivered conversations went, from the check-in answers. Pure. */

export type AttendanceAnswer = 'met' | 'not-yet' | 'cant-make-it';

export interface AttendanceGroup {
  readonly delivered: boolean;
  readonly memberIds: readonly string[];
  readonly answers: Readonly<Record<string, AttendanceAnswer>>;
}

export interface RoundAttendance {
  readonly conversations: number;
  /** Conversations in which at least one member answered "We met". */
  readonly met: number;
  /** Members who answered "Can't make it". */
  readonly cantMakeIt: number;
  /** Members of delivered conversations who gave no answer. */
  readonly noAnswer: number;
}

export function roundAttendance(groups: readonly AttendanceGroup[]): RoundAttendance {
  let conversations = 0;
  let met = 0;
  let cantMakeIt = 0;
  let noAnswer = 0;
  for (const group of groups) {
    if (!group.delivered) continue;
    conversations += 1;
    if (group.memberIds.some((id) => group.answers[id] === 'met')) met += 1;
    for (const id of group.memberIds) {
      const answer = group.answers[id];
      if (answer === 'cant-make-it') cantMakeIt += 1;
      else if (answer === undefined) noAnswer += 1;
    }
  }
  return { conversations, met, cantMakeIt, noAnswer };
}
