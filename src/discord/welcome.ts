import type { Guild } from 'discord.js';
import { resolveLocale } from '../core/locales.ts';
import type { Logger } from '../logger.ts';
import type { SettingsService } from '../services/settingsService.ts';
import { missingBotPermissions, SEND_MESSAGES, VIEW_CHANNEL } from './botPermissions.ts';
import { translator, type Translator } from './i18n.ts';
import { NO_MENTIONS } from './mentions.ts';

export function welcomeText(tr: Translator): string {
  return [tr.t('welcome:hello'), tr.t('welcome:moderators'), tr.t('welcome:setup-prompts'), tr.t('welcome:setup-show')].join('\n');
}

/**
 * Says hello once per server, in the system channel, if Bridges may write there, in the server's
 * Discord language (nobody has chosen another yet when Bridges arrives).
 */
export async function welcomeGuild(guild: Guild, settings: SettingsService, logger: Logger): Promise<void> {
  const channel = guild.systemChannel;
  if (!channel || missingBotPermissions(channel, [VIEW_CHANNEL, SEND_MESSAGES]).length > 0) {
    logger.info('Joined a server without a writable system channel; no hello', { guildId: guild.id });
    return;
  }
  if (!(await settings.claimWelcome(guild.id))) return;
  await channel.send({ content: welcomeText(translator(resolveLocale(guild.preferredLocale))), allowedMentions: NO_MENTIONS });
  logger.info('Said hello', { guildId: guild.id, channelId: channel.id });
}
