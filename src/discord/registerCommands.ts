import {
  type APIApplicationCommand,
  Routes,
  type ApplicationCommand,
  type Client,
  type Collection,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../logger.ts';

export interface RegistrationTarget {
  readonly applicationId: string;
  /** One server for instant updates while developing; undefined registers globally. */
  readonly guildId: string | undefined;
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

/** Whether Discord already has exactly these definitions (compared by discord.js, defaults included). */
export function sameCommands(
  registered: Collection<string, ApplicationCommand>,
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): boolean {
  if (registered.size !== definitions.length) return false;
  // equals() reads the REST body's snake_case fields itself; the type only lacks the ids Discord adds.
  return definitions.every(
    (definition) =>
      registered.find((command) => command.name === definition.name)?.equals(definition as APIApplicationCommand, true) === true,
  );
}

/**
 * Registers the commands when what Discord has differs from the definitions: the list Discord
 * holds is the truth, whatever a store or another process remembers.
 */
export async function registerCommandsIfChanged(
  client: Client<true>,
  target: RegistrationTarget,
  definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  logger: Logger,
): Promise<boolean> {
  const manager = client.application.commands;
  // With the localizations, or every comparison would differ and every start would re-register.
  const registered =
    target.guildId === undefined
      ? await manager.fetch({ withLocalizations: true })
      : await manager.fetch({ guildId: target.guildId, withLocalizations: true });
  if (sameCommands(registered, definitions)) {
    logger.debug('Slash commands unchanged; not registering', { guildId: target.guildId });
    return false;
  }
  await putCommands(client.rest, target, definitions);
  logger.info('Slash commands registered', { guildId: target.guildId, count: definitions.length });
  return true;
}
