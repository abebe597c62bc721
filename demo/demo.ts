/**
 * `npm run demo`: the real bot against the local Discord emulator, no token or account needed.
 * A moderator sets up daily prompts, a member asks for today's prompt, the clock reaches the
 * configured time and the scheduled post goes out; then twelve members join the exchange and a
 * pairing round introduces them in private threads, a few of them using Bridges in their own
 * languages on the way. The bot starts through loadConfig and
 * startBridges, exactly as `npm start` does; only Discord and the clock are stand-ins.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBridges, type Bridges } from '../src/bridges.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { translator } from '../src/discord/i18n.ts';
import { MIN_MEMBERS_PER_PAIR } from '../src/core/cultureMap.ts';
import { cultureMapImage } from '../src/discord/mapMessages.ts';
import { profileEntryPlainLabel } from '../src/discord/profileText.ts';
import { DiscordEmulator, type InteractionResult } from '../test/support/emulator.ts';
import { Permissions } from '../test/support/emulator/permissions.ts';
import { FakeClock } from '../test/support/fakeClock.ts';
import { Transcript } from './transcript.ts';

const ZONE = 'Europe/Berlin';

interface AllowedMentions {
  parse?: unknown[];
  users?: string[];
  roles?: string[];
}

const PEOPLE = [
  { name: 'Ana', zone: 'America/Sao_Paulo', languages: 'Portuguese, English', cultures: 'Brazil, Americas', curious: 'Japan, Kenya' },
  { name: 'Kenta', zone: 'Asia/Tokyo', languages: 'Japanese, English', cultures: 'Japan, Asia', curious: 'Brazil, Mexico' },
  { name: 'Amina', zone: 'Africa/Nairobi', languages: 'Swahili, English, Arabic', cultures: 'Kenya, Africa', curious: 'India, Germany' },
  { name: 'Priya', zone: 'Asia/Kolkata', languages: 'Hindi, English', cultures: 'India, Tamil Nadu, Asia', curious: 'Kenya, Norway' },
  { name: 'Lukas', zone: 'Europe/Berlin', languages: 'German, English', cultures: 'Germany, Europe', curious: 'India, Morocco' },
  { name: 'Sofía', zone: 'America/Mexico_City', languages: 'Spanish, English', cultures: 'Mexico, Americas', curious: 'Japan, Germany' },
  {
    name: 'Youssef',
    zone: 'Africa/Casablanca',
    languages: 'Arabic, French, English',
    cultures: 'Morocco, Africa',
    curious: 'Mexico, Brazil',
  },
  {
    name: 'Ingrid',
    zone: 'Europe/Oslo',
    languages: 'Norwegian, English',
    cultures: 'Norway, Sami, Europe',
    curious: 'Philippines, Morocco',
  },
  {
    name: 'Marisol',
    zone: 'Asia/Manila',
    languages: 'Tagalog, English, Spanish',
    cultures: 'Philippines, Asia',
    curious: 'Norway, Ukraine',
  },
  { name: 'Olena', zone: 'Europe/Kyiv', languages: 'Ukrainian, English', cultures: 'Ukraine, Europe', curious: 'Philippines, Canada' },
  {
    name: 'Jordan',
    zone: 'America/Toronto',
    languages: 'English, French',
    cultures: 'Canada, Cree, Americas',
    curious: 'Ukraine, Vietnam',
  },
  { name: 'Linh', zone: 'Asia/Ho_Chi_Minh', languages: 'Vietnamese, English', cultures: 'Vietnam, Asia', curious: 'Canada, India' },
];
// A Thursday morning in Berlin, a little before the prompt time the moderator will choose.
const START = '2026-03-26T07:40:00Z';

const emulator = await DiscordEmulator.start();
const ids = emulator.seedCommunity();
const dataDir = mkdtempSync(join(tmpdir(), 'bridges-demo-'));
const clock = new FakeClock(START);
const transcript = new Transcript(
  {
    channel: (id) => String(emulator.channel(id)?.name ?? id),
    user: (id) => {
      const user = emulator.user(id);
      return user?.globalName ?? user?.username ?? id;
    },
  },
  ZONE,
  () => clock.now(),
);
let bridges: Bridges | undefined;

try {
  transcript.heading('The Discord emulator is up');
  transcript.note(`Server "Bridges Test Community" with #general, #daily-prompts and a few more channels.`);
  transcript.note('Kenji is a moderator (Manage Server); Sofía is a member.');

  const config = loadConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiBaseUrl,
    DATABASE_URL: `sqlite://${join(dataDir, 'bridges.sqlite')}`,
    LOG_LEVEL: 'warn',
  });
  bridges = await startBridges({ config, clock, logger: createLogger('warn') });
  const registered = emulator.registeredCommands().map((command) => `/${String(command.name)}`);
  transcript.heading('Bridges connects');
  transcript.note(
    `Logged in as ${bridges.client.user.tag} with the Guilds intent only (intents=${emulator.identifyPayloads[0]?.intents}).`,
  );
  transcript.note(`Registered ${registered.join(', ')} in one bulk overwrite.`);

  const run = async (
    userId: string,
    label: string,
    invocation: Omit<Parameters<DiscordEmulator['runCommand']>[0], 'userId' | 'channelId'>,
  ): Promise<InteractionResult> => {
    transcript.command(userId, label, ids.channels.general);
    const result = await emulator.runCommand({ ...invocation, userId, channelId: ids.channels.general });
    transcript.reply(result);
    return result;
  };

  transcript.heading('A moderator turns on daily prompts');
  await run(ids.users.moderator, '/setup prompts channel:#daily-prompts time:9:00 timezone:Europe/Berlin', {
    name: 'setup',
    subcommand: 'prompts',
    options: { channel: ids.channels.dailyPrompts, time: '9:00', timezone: ZONE },
  });
  await run(ids.users.moderator, '/setup prompts channel:#read-only time:25:99 timezone:Mars/Olympus', {
    name: 'setup',
    subcommand: 'prompts',
    options: { channel: ids.channels.readOnly, time: '25:99', timezone: 'Mars/Olympus' },
  });

  transcript.heading("A member asks for today's prompt before it is out");
  await run(ids.users.member, '/prompt today', { name: 'prompt', subcommand: 'today' });

  transcript.heading('The clock reaches 09:00 in Berlin');
  for (const at of ['2026-03-26T07:59:00Z', '2026-03-26T08:00:00Z']) {
    clock.set(at);
    await bridges.scheduler.whenIdle();
    transcript.note(`${transcript.render(`<t:${Date.parse(at) / 1000}:F>`)}: scheduler wakes up`);
  }
  const posts = emulator.messages(ids.channels.dailyPrompts).filter((message) => message.authorId === emulator.botUserId);
  for (const post of posts) transcript.post(post);
  if (posts.length !== 1) throw new Error(`expected exactly one scheduled post, saw ${posts.length}`);

  transcript.heading('The member asks again');
  await run(ids.users.member, '/prompt today', { name: 'prompt', subcommand: 'today' });

  transcript.heading('A restart later the same day posts nothing new');
  await bridges.stop();
  bridges = await startBridges({ config, clock, logger: createLogger('warn') });
  clock.set('2026-03-26T12:00:00Z');
  await bridges.scheduler.whenIdle();
  const afterRestart = emulator.messages(ids.channels.dailyPrompts).filter((message) => message.authorId === emulator.botUserId).length;
  transcript.note(`Posts in #daily-prompts after the restart: ${afterRestart}.`);
  if (afterRestart !== 1) throw new Error(`expected one post after the restart, saw ${afterRestart}`);

  await run(ids.users.moderator, '/setup show', { name: 'setup', subcommand: 'show' });

  transcript.heading('Twelve members from different cultures join the exchange');
  await run(ids.users.moderator, '/setup pairing channel:#general frequency:weekly weekday:thursday time:18:00', {
    name: 'setup',
    subcommand: 'pairing',
    options: { channel: ids.channels.general, frequency: 'weekly', weekday: 'thursday', time: '18:00' },
  });
  const memberIds = new Map<string, string>();
  for (const person of PEOPLE) {
    const userId = emulator.createUser({ username: person.name.toLowerCase(), globalName: person.name });
    memberIds.set(person.name, userId);
    emulator.addMember(ids.guildId, userId);
    const profile = { languages: person.languages, cultures: person.cultures, curious_about: person.curious, timezone: person.zone };
    await emulator.runCommand({ name: 'exchange', subcommand: 'profile', options: profile, userId, channelId: ids.channels.general });
    await emulator.runCommand({ name: 'exchange', subcommand: 'join', userId, channelId: ids.channels.general });
    transcript.note(
      `${person.name} (${person.zone}) speaks ${person.languages}; can share about ${person.cultures}; curious about ${person.curious}.`,
    );
  }

  transcript.heading('Members use Bridges in their own languages');
  const member = (name: string) => memberIds.get(name) ?? ids.users.member;
  const picker = emulator.commandsSeenBy({ locale: 'ja', guildId: ids.guildId, userId: member('Kenta') });
  transcript.note(
    `Kenta's Discord is in Japanese; his command picker shows ${picker.map((command) => `/${command.shownName} (${command.shownDescription})`).join(', ')}.`,
  );
  await run(member('Kenta'), '/exchange me (ja)', { name: 'exchange', subcommand: 'me', locale: 'ja' });
  await run(member('Sofía'), '/prompt today (es-419)', { name: 'prompt', subcommand: 'today', locale: 'es-419' });
  await run(member('Lukas'), '/exchange pause weeks:20 (de)', {
    name: 'exchange',
    subcommand: 'pause',
    options: { weeks: 20 },
    locale: 'de',
    force: true,
  });

  transcript.heading('Thursday 18:00 in Berlin: the pairing round');
  clock.set('2026-03-26T17:00:00Z');
  await bridges.scheduler.whenIdle();
  const threads = emulator.threads(ids.channels.general).filter((thread) => thread.type === 12);
  for (const thread of threads) {
    const names = thread.memberIds.filter((id) => id !== emulator.botUserId).map((id) => emulator.user(id)?.globalName ?? id);
    transcript.note(`Private thread "${thread.name}" (not invitable) for ${names.join(', ')}:`);
    for (const message of emulator.messages(thread.id)) transcript.post(message);
  }
  const placed = threads.flatMap((thread) => thread.memberIds.filter((id) => id !== emulator.botUserId));
  if (placed.length !== PEOPLE.length || new Set(placed).size !== PEOPLE.length) {
    throw new Error(`expected each of the ${PEOPLE.length} members in exactly one thread, saw ${placed.length}`);
  }
  await run(ids.users.moderator, '/host stats', { name: 'host', subcommand: 'stats' });

  // Member suggestions (issue 10): a moderator opens review, a member suggests, a moderator approves.
  transcript.heading('A member suggests a prompt and a moderator approves it');
  const review = emulator.createChannel(ids.guildId, {
    name: 'suggestion-review',
    permissionOverwrites: [
      { id: ids.guildId, type: 'role', deny: Permissions.VIEW_CHANNEL },
      { id: ids.roles.moderators, type: 'role', allow: Permissions.VIEW_CHANNEL },
      { id: emulator.botUserId, type: 'member', allow: Permissions.VIEW_CHANNEL },
    ],
  });
  await run(ids.users.moderator, '/setup suggestions channel:#suggestion-review', {
    name: 'setup',
    subcommand: 'suggestions',
    options: { channel: review },
  });
  const suggested = 'Which dish from your childhood would you cook for a new friend, and why that one?';
  await run(ids.users.member, `/suggest prompt theme:shared-experiences text:${suggested}`, {
    name: 'suggest',
    subcommand: 'prompt',
    options: { theme: 'shared-experiences', text: suggested },
  });
  const reviewPost = emulator.messages(review).find((message) => message.authorId === emulator.botUserId);
  if (!reviewPost) throw new Error('the suggestion did not appear for review');
  transcript.post(reviewPost);
  const reviewButtons = reviewPost.components.flatMap((row) =>
    (row as { components: { custom_id: string; label?: string }[] }).components.map((button) => button),
  );
  transcript.note(`Buttons for moderators: ${reviewButtons.map((button) => button.label ?? button.custom_id).join(', ')}.`);
  const approve = reviewButtons.find((button) => button.custom_id.startsWith('suggestion:approve:'));
  if (!approve) throw new Error('the review post has no Approve button');
  transcript.note(`Kenji presses ${approve.label ?? 'Approve'}.`);
  const approved = await emulator.clickButton({
    channelId: review,
    messageId: reviewPost.id,
    customId: approve.custom_id,
    userId: ids.users.moderator,
  });
  transcript.reply(approved);
  const threadNote = await emulator.waitFor(
    () =>
      emulator
        .threads(review)
        .flatMap((thread) => emulator.messages(thread.id).filter((message) => message.authorId === emulator.botUserId))[0],
  );
  if (threadNote) transcript.post(threadNote);
  const nextCommand = await run(ids.users.member, '/prompt today', { name: 'prompt', subcommand: 'today' });
  await emulator.waitFor(() => emulator.interaction(nextCommand.interactionId).followUps.length > 0);
  const [notice] = emulator.interaction(nextCommand.interactionId).followUps;
  if (!notice) throw new Error('the member was not told the outcome');
  transcript.note(`With that reply, only Sofía sees the outcome of her suggestion: ${notice.content ?? ''}`);
  const listed = await run(ids.users.moderator, '/prompts list', { name: 'prompts', subcommand: 'list' });
  if (!JSON.stringify(listed.embeds).includes(`Suggested by <@${ids.users.member}>`)) {
    throw new Error('the approved prompt is not listed with its author');
  }

  // The culture map (issue 10): /host map through the bot, and the same image written to var/.
  transcript.heading('The culture map');
  await run(ids.users.moderator, '/host map', { name: 'host', subcommand: 'map' });
  const cultures = await bridges.context.insights.cultureMap(ids.guildId);
  const drawn = cultureMapImage(cultures, translator('en-US'));
  mkdirSync('var', { recursive: true });
  writeFileSync('var/culture-map.png', drawn.png);
  transcript.note(
    `Culture map (${drawn.width}×${drawn.height} px, ${cultures.pairs.length} pairs of cultures shown, ${cultures.conversations} conversations) written to ${resolve('var/culture-map.png')}`,
  );
  // Each member lists a country and a region: countries are unique here, so only region pairs, which repeat, reach 3 members.
  const label = (code: string) => profileEntryPlainLabel('cultures', code, 'en-US');
  const shown = cultures.pairs.map(
    (pair) => `${label(pair.a)}–${label(pair.b)} (${pair.conversations} conversations, ${pair.members} members)`,
  );
  transcript.note(
    `Pairs shown: ${cultures.pairs.length}${shown.length > 0 ? `: ${shown.join('; ')}` : ''}. Merged into "other": ${cultures.other.conversations} meetings of pairs with fewer than ${MIN_MEMBERS_PER_PAIR} members behind them.`,
  );
  if (cultures.pairs.length === 0) throw new Error('the culture map shows no pair of cultures');

  transcript.heading('Done');
  const sends = emulator.requests.filter(
    (request) =>
      (request.method === 'POST' && request.route === '/channels/:channel_id/messages') ||
      (request.method === 'PATCH' && request.route?.startsWith('/webhooks/') === true) ||
      (request.route === '/interactions/:interaction_id/:interaction_token/callback' && (request.body as { type?: number }).type === 4),
  );
  // Only pairing introductions and notes may ping, and then only the users they name.
  const unguarded = sends.filter((request) => {
    const body = request.body as { allowed_mentions?: AllowedMentions; data?: { allowed_mentions?: AllowedMentions } };
    const allowed = body.allowed_mentions ?? body.data?.allowed_mentions;
    return !allowed || !Array.isArray(allowed.parse) || allowed.parse.length > 0 || allowed.roles !== undefined;
  });
  transcript.note(
    `${emulator.requests.length} requests reached the emulator; ${sends.length} messages sent, ${unguarded.length} without explicit allowed mentions.`,
  );
  if (unguarded.length > 0) throw new Error('a message went out without explicit allowed mentions');
} catch (error) {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await bridges?.stop();
  await emulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
