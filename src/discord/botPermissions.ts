import { PermissionFlagsBits, PermissionsBitField, type GuildBasedChannel, type PermissionResolvable } from 'discord.js';

/** A permission by its flag and its discord.js name, which is also its key in locales/<locale>/permissions.json. */
export interface RequiredPermission {
  readonly flag: bigint;
  readonly name: keyof typeof PermissionFlagsBits;
}

export const perm = (name: keyof typeof PermissionFlagsBits): RequiredPermission => ({ flag: PermissionFlagsBits[name], name });

export const MANAGE_GUILD = perm('ManageGuild');
export const VIEW_CHANNEL = perm('ViewChannel');
export const SEND_MESSAGES = perm('SendMessages');
export const EMBED_LINKS = perm('EmbedLinks');
export const CREATE_PUBLIC_THREADS = perm('CreatePublicThreads');
export const CREATE_PRIVATE_THREADS = perm('CreatePrivateThreads');
export const SEND_MESSAGES_IN_THREADS = perm('SendMessagesInThreads');
export const PIN_MESSAGES = perm('PinMessages');
export const MENTION_EVERYONE = perm('MentionEveryone');

/**
 * The permissions Bridges itself lacks in a channel, from the cache. Discord strips everything from
 * a member without View Channel, which permissionsFor does not do, so that case is handled first.
 */
export function missingBotPermissions(channel: GuildBasedChannel, required: readonly RequiredPermission[]): RequiredPermission[] {
  const me = channel.guild.members.me;
  const granted: PermissionsBitField = me ? channel.permissionsFor(me) : new PermissionsBitField();
  if (!granted.has(PermissionFlagsBits.ViewChannel)) {
    return required.some((permission) => permission.flag === VIEW_CHANNEL.flag) ? [...required] : [VIEW_CHANNEL, ...required];
  }
  return required.filter((permission) => !granted.has(permission.flag as PermissionResolvable));
}
