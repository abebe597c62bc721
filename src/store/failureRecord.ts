import { z } from 'zod';
import { DISCORD_FAILURE_KINDS, FAILURE_STEPS, OWN_FAILURE_KINDS } from '../core/failure.ts';

/** A {@link Failure} as stored with the work it ended. */
export const failureSchema = z.object({
  kind: z.enum([...DISCORD_FAILURE_KINDS, ...OWN_FAILURE_KINDS]),
  step: z.enum(FAILURE_STEPS).optional(),
  code: z.number().int().optional(),
  detail: z.string().optional(),
});
