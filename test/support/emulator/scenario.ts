import type { DiscordEmulator } from '../emulator.ts';
import { Permissions } from './permissions.ts';
import { ChannelType } from './state.ts';

export interface CommunityIds {
  guildId: string;
  roles: { everyone: string; bot: string; moderators: string };
  users: { owner: string; moderator: string; member: string; bot: string };
  channels: {
    category: string;
    /** system channel */
    welcome: string;
    general: string;
    dailyPrompts: string;
    announcements: string;
    voice: string;
    forum: string;
    /** the bot cannot view it (moderators can) */
    modOnly: string;
    /** everyone (bot included) can read but not send */
    readOnly: string;
    /** the bot lacks EMBED_LINKS */
    noEmbeds: string;
    /** the bot lacks CREATE_PUBLIC_THREADS */
    noPublicThreads: string;
    /** the bot lacks CREATE_PRIVATE_THREADS */
    noPrivateThreads: string;
  };
}

/**
 * "Bridges Test Community": @everyone has normal member permissions, the bot's role adds nothing,
 * and a few channels take specific permissions away from the bot through member overwrites.
 */
export function seedCommunity(emu: DiscordEmulator): CommunityIds {
  const owner = emu.createUser({ username: 'ayla_owner', globalName: 'Ayla' });
  const moderator = emu.createUser({ username: 'kenji_mod', globalName: 'Kenji' });
  const member = emu.createUser({ username: 'sofia_member', globalName: 'Sofía' });
  const guildId = emu.createGuild({
    name: 'Bridges Test Community',
    ownerId: owner,
    preferredLocale: 'en-US',
    everyonePermissions:
      Permissions.VIEW_CHANNEL |
      Permissions.SEND_MESSAGES |
      Permissions.READ_MESSAGE_HISTORY |
      Permissions.EMBED_LINKS |
      Permissions.CREATE_PUBLIC_THREADS |
      Permissions.CREATE_PRIVATE_THREADS |
      Permissions.SEND_MESSAGES_IN_THREADS |
      Permissions.USE_APPLICATION_COMMANDS,
    botPermissions: 0n,
  });
  const moderators = emu.createRole(guildId, { name: 'Moderators', permissions: Permissions.MANAGE_GUILD, hoist: true });
  emu.addMember(guildId, moderator, { roles: [moderators] });
  emu.addMember(guildId, member);
  const bot = emu.botUserId;
  const denyBot = (deny: bigint) => [{ id: bot, type: 'member' as const, deny }];

  const category = emu.createChannel(guildId, { name: 'Community', type: ChannelType.GuildCategory });
  const welcome = emu.createChannel(guildId, { name: 'welcome', parentId: category, topic: 'Say hi!' });
  emu.updateGuild(guildId, { systemChannelId: welcome });
  const channels: CommunityIds['channels'] = {
    category,
    welcome,
    general: emu.createChannel(guildId, { name: 'general', parentId: category }),
    dailyPrompts: emu.createChannel(guildId, { name: 'daily-prompts', parentId: category }),
    announcements: emu.createChannel(guildId, { name: 'announcements', type: ChannelType.GuildAnnouncement, parentId: category }),
    voice: emu.createChannel(guildId, { name: 'Lounge', type: ChannelType.GuildVoice, parentId: category }),
    forum: emu.createChannel(guildId, { name: 'introductions', type: ChannelType.GuildForum, parentId: category }),
    modOnly: emu.createChannel(guildId, {
      name: 'mod-only',
      permissionOverwrites: [
        { id: guildId, type: 'role', deny: Permissions.VIEW_CHANNEL },
        { id: moderators, type: 'role', allow: Permissions.VIEW_CHANNEL },
      ],
    }),
    readOnly: emu.createChannel(guildId, {
      name: 'read-only',
      permissionOverwrites: [
        {
          id: guildId,
          type: 'role',
          deny:
            Permissions.SEND_MESSAGES |
            Permissions.SEND_MESSAGES_IN_THREADS |
            Permissions.CREATE_PUBLIC_THREADS |
            Permissions.CREATE_PRIVATE_THREADS,
        },
      ],
    }),
    noEmbeds: emu.createChannel(guildId, { name: 'no-embeds', permissionOverwrites: denyBot(Permissions.EMBED_LINKS) }),
    noPublicThreads: emu.createChannel(guildId, {
      name: 'no-public-threads',
      permissionOverwrites: denyBot(Permissions.CREATE_PUBLIC_THREADS),
    }),
    noPrivateThreads: emu.createChannel(guildId, {
      name: 'no-private-threads',
      permissionOverwrites: denyBot(Permissions.CREATE_PRIVATE_THREADS),
    }),
  };
  return {
    guildId,
    roles: { everyone: guildId, bot: emu.botRoleId(guildId), moderators },
    users: { owner, moderator, member, bot },
    channels,
  };
}
