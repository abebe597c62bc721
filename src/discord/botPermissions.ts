import { PermissionFlagsBits, PermissionsBitField, type GuildBasedChannel, type PermissionResolvable } from 'discord.js';

export interface RequiredPermission {
  readonly flag: bigint;
  readonly name: string;
}

export const perm = (flag: bigint, name: string): RequiredPermission => ({ flag, name });

export const VIEW_CHANNEL = perm(PermissionFlagsBits.ViewChannel, 'View Channel');
export const SEND_MESSAGES = perm(PermissionFlagsBits.SendMessages, 'Send Messages');
export const EMBED_LINKS = perm(PermissionFlagsBits.EmbedLinks, 'Embed Links');
export const CREATE_PUBLIC_THREADS = perm(PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads');
export const CREATE_PRIVATE_THREADS = perm(PermissionFlagsBits.CreatePrivateThreads, 'Create Private Threads');
export const SEND_MESSAGES_IN_THREADS = perm(PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads');

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

export function describeMissing(missing: readonly RequiredPermission[]): string {
  return missing.map((permission) => `**${permission.name}**`).join(', ');
}
