import {
  MessageFlags,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageMentionOptions,
  type RepliableInteraction,
} from 'discord.js';
import { isSupportedLocale, resolveLocale } from '../core/locales.ts';
import { UserError } from '../services/userError.ts';
import { translator, type Translator } from './i18n.ts';
import { DISCORD_LIMITS, fitText } from './limits.ts';
import { NO_MENTIONS } from './mentions.ts';
import { problemText } from './problemText.ts';
import type { BridgesContext, ComponentHandler, SlashCommand } from './slashCommand.ts';
import { tellSuggestionOutcomes } from './suggestionComponents.ts';

/**
 * The one error boundary: a UserError becomes an ephemeral reply with its message, anything else is
 * logged with context and answered with a short apology. Nothing thrown here reaches the process.
 */
export function createInteractionRouter(
  commands: readonly SlashCommand[],
  components: readonly ComponentHandler[],
  context: BridgesContext,
  observe: (name: string, outcome: 'ok' | 'refused' | 'error') => void = () => undefined,
): (interaction: Interaction) => Promise<void> {
  const commandsByName = new Map(commands.map((command) => [command.data.name, command]));
  const componentsByPrefix = new Map(components.map((component) => [component.prefix, component]));

  return async (interaction) => {
    const name = interactionName(interaction);
    let tr = translator(resolveLocale(interaction.locale, interaction.guildLocale ?? undefined));
    try {
      tr = await readerTranslator(interaction, context);
      if (interaction.isAutocomplete()) {
        const command = commandsByName.get(interaction.commandName);
        if (!command?.autocomplete || !interaction.inCachedGuild()) return void (await interaction.respond([]));
        await command.autocomplete(interaction, context, tr);
        observe(name, 'ok');
        return;
      }
      if (!interaction.isRepliable()) return;
      if (!interaction.inCachedGuild()) {
        throw new UserError('not-in-server');
      }
      if (interaction.isChatInputCommand()) {
        const command = commandsByName.get(interaction.commandName);
        if (!command) throw new UserError('command-unavailable');
        const required = command.requiresPermission;
        if (required && !interaction.memberPermissions.has(required.flag)) {
          throw new UserError('missing-permission', { permission: { permission: required.name }, command: `/${command.data.name}` });
        }
        await command.execute(interaction, context, tr);
        observe(name, 'ok');
        await tellOutcomes(interaction, context, tr);
        return;
      }
      if (interaction.isButton() || interaction.isModalSubmit() || interaction.isStringSelectMenu()) {
        const [prefix = '', argument = ''] = splitCustomId(interaction.customId);
        const handler = componentsByPrefix.get(prefix);
        if (!handler) throw new UserError('button-expired');
        await handler.handle(interaction, argument, context, tr);
        observe(name, 'ok');
      }
    } catch (error) {
      observe(name, error instanceof UserError ? 'refused' : 'error');
      if (error instanceof UserError) {
        context.logger.debug('Refused an interaction', { id: interaction.id, reason: error.problem.code });
      } else {
        context.logger.error('Interaction failed', { id: interaction.id, user: interaction.user.id, guild: interaction.guildId, error });
      }
      if (interaction.isRepliable()) {
        const message = error instanceof UserError ? problemText(error.problem, tr) : tr.t('errors:apology');
        await answerWithError(interaction, message, context);
      }
    }
  };
}

/**
 * The member's own language when Bridges speaks it; otherwise the server's chosen language, its
 * Discord locale, then English. The server's settings are read only in that otherwise.
 */
async function readerTranslator(interaction: Interaction, context: BridgesContext): Promise<Translator> {
  if (isSupportedLocale(interaction.locale)) return translator(interaction.locale);
  const language = interaction.guildId === null ? undefined : (await context.settings.config(interaction.guildId)).language;
  return translator(resolveLocale(language?.primary, interaction.guildLocale ?? undefined));
}

/** A member's suggestion outcomes ride on their next command; failing to tell them must not turn the command into an error. */
async function tellOutcomes(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  try {
    await tellSuggestionOutcomes(interaction, context, tr);
  } catch (error) {
    context.logger.warn('Could not tell a member about their suggestions', { id: interaction.id, error });
  }
}

/** A low-cardinality name for metrics: `/command sub` or the component's prefix, never an id. */
function interactionName(interaction: Interaction): string {
  if (interaction.isChatInputCommand() || interaction.isAutocomplete()) {
    const sub = interaction.options.getSubcommand(false);
    return `/${interaction.commandName}${sub ? ` ${sub}` : ''}${interaction.isAutocomplete() ? ' (autocomplete)' : ''}`;
  }
  if (interaction.isMessageComponent() || interaction.isModalSubmit()) return splitCustomId(interaction.customId)[0];
  return 'other';
}

function splitCustomId(customId: string): [string, string] {
  const colon = customId.indexOf(':');
  return colon === -1 ? [customId, ''] : [customId.slice(0, colon), customId.slice(colon + 1)];
}

/**
 * The reply that tells someone what went wrong. Error texts quote what was typed in a shortened form
 * and so fit by themselves; fitting here as well means no text can ever turn a refusal into silence.
 */
export function errorReply(message: string): { content: string; allowedMentions: MessageMentionOptions } {
  return { content: fitText(message, DISCORD_LIMITS.messageContent), allowedMentions: NO_MENTIONS };
}

async function answerWithError(interaction: RepliableInteraction, message: string, context: BridgesContext): Promise<void> {
  const reply = errorReply(message);
  try {
    if (interaction.deferred && !interaction.replied) {
      // Bridges only defers ephemerally, so editing the deferral keeps the error private.
      await interaction.editReply({ ...reply, embeds: [], components: [] });
    } else if (interaction.replied) {
      await interaction.followUp({ ...reply, flags: MessageFlags.Ephemeral });
    } else {
      await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral });
    }
  } catch (error) {
    context.logger.warn('Could not tell the user about an error', { id: interaction.id, error });
  }
}
