import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  AttachmentBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
} from 'discord.js';
import { isSupportedLocale } from '../src/core/locales.ts';
import { MAX_PACK_BYTES, SERVER_PROMPT_MAX_LENGTH, SERVER_PROMPT_MIN_LENGTH } from '../src/core/serverPrompts.ts';
import { MANAGE_GUILD } from '../src/discord/botPermissions.ts';
import { localizeCommand } from '../src/discord/commandLocalizations.ts';
import type { Translator } from '../src/discord/i18n.ts';
import { longestChoice } from '../src/discord/limits.ts';
import { NO_MENTIONS } from '../src/discord/mentions.ts';
import { packRefusedReply, promptAddedReply, promptListReply } from '../src/discord/packMessages.ts';
import type { BridgesContext, SlashCommand } from '../src/discord/slashCommand.ts';
import { serverTranslator } from '../src/discord/suggestionComponents.ts';
import { PackRefused } from '../src/services/serverPromptService.ts';
import { UserError } from '../src/services/userError.ts';
import { THEME_CHOICES } from '../src/discord/themeChoices.ts';

/** Prompt ids: `s12` for a server's own, `mutual-respect-06` for a built-in one. */
const PROMPT_ID_MAX_LENGTH = 60;

export const promptsCommand = {
  data: localizeCommand({
    type: ApplicationCommandType.ChatInput,
    name: 'prompts',
    description: "This server's own prompts (moderators)",
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    integration_types: [ApplicationIntegrationType.GuildInstall],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: "Add a prompt to this server's rotation",
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'theme',
            description: 'The theme it belongs to',
            required: true,
            choices: THEME_CHOICES,
            max_length: longestChoice(THEME_CHOICES),
          },
          {
            type: ApplicationCommandOptionType.String,
            name: 'text',
            description: 'The prompt (10 to 300 characters)',
            required: true,
            min_length: SERVER_PROMPT_MIN_LENGTH,
            max_length: SERVER_PROMPT_MAX_LENGTH,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: "Delete one of this server's prompts, or switch a built-in one off",
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'id',
            description: 'The prompt id, from /prompts list or the prompt bank (for example s3 or mutual-respect-06)',
            required: true,
            max_length: PROMPT_ID_MAX_LENGTH,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'restore',
        description: 'Switch a built-in prompt back on',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'id',
            description: 'The built-in prompt id (for example mutual-respect-06)',
            required: true,
            max_length: PROMPT_ID_MAX_LENGTH,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'list',
        description: "This server's own prompts and the built-in ones it switched off",
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'theme',
            description: 'Only this theme',
            choices: THEME_CHOICES,
            max_length: longestChoice(THEME_CHOICES),
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'export',
        description: "This server's prompts as a JSON file",
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'import',
        description: "Replace this server's prompts with a JSON file from /prompts export",
        options: [
          {
            type: ApplicationCommandOptionType.Attachment,
            name: 'file',
            description: 'The JSON file',
            required: true,
          },
        ],
      },
    ],
  }),
  requiresPermission: MANAGE_GUILD,

  async execute(interaction, context, tr) {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    switch (interaction.options.getSubcommand()) {
      case 'add':
        return add(interaction, context, tr);
      case 'remove':
        return remove(interaction, context, tr);
      case 'restore':
        return restore(interaction, context, tr);
      case 'list':
        return list(interaction, context, tr);
      case 'export':
        return exportPrompts(interaction, context, tr);
      case 'import':
        return importPrompts(interaction, context, tr);
      default:
        throw new UserError('unknown-subcommand');
    }
  },
} satisfies SlashCommand;

async function serverLanguages(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext): Promise<string[]> {
  const { locales } = await serverTranslator(interaction.guildId, interaction.guild.preferredLocale, context);
  return [...new Set([...locales, ...(isSupportedLocale(interaction.locale) ? [interaction.locale] : [])])];
}

async function add(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const prompt = await context.packs.add(
    interaction.guildId,
    interaction.options.getString('theme', true),
    interaction.options.getString('text', true),
    await serverLanguages(interaction, context),
  );
  await interaction.editReply(promptAddedReply(prompt, context.catalog, tr));
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const removed = await context.packs.remove(interaction.guildId, interaction.options.getString('id', true));
  await interaction.editReply({
    content:
      removed.kind === 'deleted'
        ? tr.t('suggestions:packs.deleted', { id: removed.prompt.id })
        : tr.t('suggestions:packs.switched-off', { id: removed.id }),
    allowedMentions: NO_MENTIONS,
  });
}

async function restore(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const id = await context.packs.restore(interaction.guildId, interaction.options.getString('id', true));
  await interaction.editReply({ content: tr.t('suggestions:packs.restored', { id }), allowedMentions: NO_MENTIONS });
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const listing = await context.packs.list(interaction.guildId, interaction.options.getString('theme') ?? undefined);
  await interaction.editReply(promptListReply(listing, context.catalog, tr));
}

async function exportPrompts(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const pack = await context.packs.exportPack(interaction.guildId);
  const file = new AttachmentBuilder(Buffer.from(`${JSON.stringify(pack, null, 2)}\n`, 'utf8'), {
    name: `bridges-prompts-${interaction.guildId}.json`,
  });
  await interaction.editReply({
    content: tr.t('suggestions:packs.exported', { count: pack.prompts.length, off: pack.disabledBuiltIn.length }),
    files: [file],
    allowedMentions: NO_MENTIONS,
  });
}

async function importPrompts(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void> {
  const attachment = interaction.options.getAttachment('file', true);
  // Refused before downloading anything: Discord says how large the file is.
  if (attachment.size > MAX_PACK_BYTES) {
    await interaction.editReply(packRefusedReply([{ kind: 'too-large', bytes: attachment.size }], tr));
    return;
  }
  let bytes: Uint8Array;
  try {
    const response = await fetch(attachment.url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    context.logger.warn('Could not download a prompt pack', { guildId: interaction.guildId, error });
    throw new UserError('packs-file-unreadable');
  }
  try {
    const bank = await context.packs.importPack(interaction.guildId, bytes, await serverLanguages(interaction, context));
    await interaction.editReply({
      content: tr.t('suggestions:packs.imported', { count: bank.prompts.length, off: bank.disabledBuiltInIds.length }),
      allowedMentions: NO_MENTIONS,
    });
  } catch (error) {
    if (!(error instanceof PackRefused)) throw error;
    await interaction.editReply(packRefusedReply(error.problems, tr));
  }
}
