import type { Guild } from 'discord.js';
import type { Logger } from '../logger.ts';
import type { SettingsService } from '../services/settingsService.ts';
import { missingBotPermissions, SEND_MESSAGES, VIEW_CHANNEL } from './botPermissions.ts';
import { NO_MENTIONS } from './mentions.ts';

export const WELCOME_TEXT = [
  "Hello! I'm **Bridges**. I help members of this server meet across cultures: a daily discussion prompt, and one-to-one conversations between members who opt in.",
  'Moderators (Manage Server) can start with:',
  '• `/setup prompts` to choose the channel, time and time zone for daily prompts',
  '• `/setup show` to see the whole configuration at any time',
].join('\n');

/** Says hello once per server, in the system channel, if Bridges may write there. */
export async function welcomeGuild(guild: Guild, settings: SettingsService, logger: Logger): Promise<void> {
  const channel = guild.systemChannel;
  if (!channel || missingBotPermissions(channel, [VIEW_CHANNEL, SEND_MESSAGES]).length > 0) {
    logger.info('Joined a server without a writable system channel; no hello', { guildId: guild.id });
    return;
  }
  if (!(await settings.claimWelcome(guild.id))) return;
  await channel.send({ content: WELCOME_TEXT, allowedMentions: NO_MENTIONS });
  logger.info('Said hello', { guildId: guild.id, channelId: channel.id });
}
