import { createHash } from 'node:crypto';
import { Routes, type REST, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Logger } from '../logger.ts';
import type { MetaStore } from '../store/metaStore.ts';

export interface RegistrationTarget {
  readonly applicationId: string;
  /** One server for instant updates while developing; undefined registers globally. */
  readonly guildId: string | undefined;
}

export function commandScope(target: RegistrationTarget): string {
  return target.guildId === undefined ? `global:${target.applicationId}` : `guild:${target.guildId}:${target.applicationId}`;
}

export function commandFingerprint(definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): string {
  return createHash('sha256').update(JSON.stringify(definitions)).digest('hex');
}

/** Replaces the whole command list with one bulk overwrite. */
export async function putCommands(
  rest: REST,
  target: RegistrationTarget,
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Promise<void> {
  const route =
    target.guildId === undefined
      ? Routes.applicationCommands(target.applicationId)
      : Routes.applicationGuildCommands(target.applicationId, target.guildId);
  await rest.put(route, { body: definitions });
}

/** Registers the commands only when their definitions changed since the last registration. */
export async function registerCommandsIfChanged(
  rest: REST,
  meta: MetaStore,
  target: RegistrationTarget,
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  now: Date,
  logger: Logger,
): Promise<boolean> {
  const scope = commandScope(target);
  const fingerprint = commandFingerprint(definitions);
  if ((await meta.registeredFingerprint(scope)) === fingerprint) {
    logger.debug('Slash commands unchanged; not registering', { scope });
    return false;
  }
  await putCommands(rest, target, definitions);
  await meta.recordRegistration(scope, fingerprint, now);
  logger.info('Slash commands registered', { scope, count: definitions.length });
  return true;
}
