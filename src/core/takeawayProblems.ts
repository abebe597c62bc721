/**
 * Problems of takeaways, thanks and avoided members. Kept apart from PROBLEM_CODES so their texts
 * live in their own namespace (locales/<locale>/takeaways.json, under `errors`).
 */
export const TAKEAWAY_PROBLEM_CODES = [
  'takeaways-not-set-up',
  'takeaways-channel-wrong-type',
  'takeaways-channel-missing-permissions',
  'takeaway-needs-met',
  'takeaway-already-chosen',
  'takeaway-bad-length',
  'takeaway-nothing-to-withdraw',
  'thanks-already-sent',
  'avoid-self',
  'avoid-bot',
  'avoid-list-full',
  'avoid-already',
  'avoid-not-listed',
] as const;

export type TakeawayProblemCode = (typeof TAKEAWAY_PROBLEM_CODES)[number];

export function isTakeawayProblem(code: string): code is TakeawayProblemCode {
  return (TAKEAWAY_PROBLEM_CODES as readonly string[]).includes(code);
}
