import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinExchangeMessage } from '../../src/discord/exchangeMessages.ts';
import { translator } from '../../src/discord/i18n.ts';
import type { InteractionResult, OptionValue } from '../support/emulator.ts';
import { createRig, type Rig } from './rig.ts';

let rig: Rig;

beforeEach(async () => {
  rig = await createRig('2026-01-15T06:00:00Z');
  await rig.startBot();
});

afterEach(async () => {
  await rig.close();
});

function exchange(subcommand: string, options: Record<string, OptionValue> = {}, userId = rig.ids.users.member) {
  return rig.emulator.runCommand({ channelId: rig.ids.channels.general, userId, name: 'exchange', subcommand, options });
}

function submitProfile(fields: Record<string, string>, userId = rig.ids.users.member) {
  return rig.emulator.submitModal({ channelId: rig.ids.channels.general, userId, customId: 'exchange-profile:join', fields });
}

function description(result: InteractionResult): string {
  return (result.embeds[0] as { description?: string } | undefined)?.description ?? '';
}

async function me(userId = rig.ids.users.member): Promise<string> {
  return description(await exchange('me', {}, userId));
}

/** Joins through the form, as a first-time member would. */
async function joinWithProfile(
  fields: Record<string, string> = { languages: 'en, es', cultures: 'Mexico', timezone: 'America/Mexico_City' },
) {
  const form = await exchange('join');
  expect(form.callbackType).toBe(9);
  return submitProfile(fields);
}

function buttonIds(result: InteractionResult): string[] {
  return result.components.flatMap((row) => (row as { components: { custom_id: string }[] }).components.map((button) => button.custom_id));
}

describe('/exchange join', () => {
  it('asks for a profile in a form the first time, then saves it and opts in', async () => {
    const form = await exchange('join');
    expect(form.callbackType).toBe(9);
    expect(form.modal?.custom_id).toBe('exchange-profile:join');
    const inputs = form.modal?.components as {
      type: number;
      label: string;
      description?: string;
      component: { custom_id: string; value?: string };
    }[];
    expect(inputs.map((label) => label.component.custom_id)).toEqual(['languages', 'cultures', 'curious_about', 'interests', 'timezone']);
    expect(inputs.slice(0, 4).every((label) => label.description?.includes('Separate with commas'))).toBe(true);
    // Suggested from the member's Discord language.
    expect(inputs[0]?.component.value).toBe('English');

    const saved = await submitProfile({
      languages: 'English, pt-BR',
      cultures: 'Brazil,  São Paulo',
      curious_about: 'Japan',
      interests: 'samba, Football, football',
      timezone: 'america/sao_paulo',
    });
    expect(saved.ephemeral).toBe(true);
    expect(saved.content).toContain('Profile saved.');
    expect(saved.content).toContain("You're in the exchange");
    expect(description(saved)).toContain('**Languages:** English and Portuguese');
    expect(saved.allowedMentions).toEqual({ parse: [] });

    const overview = await me();
    expect(overview).toContain(`**Exchange:** in since <t:${Date.parse('2026-01-15T06:00:00Z') / 1000}:F>`);
    expect(overview).toContain('**Cultures you can share about:** Brazil and são paulo');
    expect(overview).toContain('**Curious about:** Japan');
    expect(overview).toContain('**Interests:** samba and football');
    expect(overview).toContain('**Time zone:** America/Sao_Paulo');
    expect(overview).toContain('**Pairing rounds:** not set up in this server yet');
  });

  it('says so when the member is already in', async () => {
    await joinWithProfile();
    const again = await exchange('join');
    expect(again.callbackType).toBe(5);
    expect(again.ephemeral).toBe(true);
    expect(again.content).toContain("You're already in the exchange");
  });

  it('refuses an invalid form whole, and asks again on the next join', async () => {
    await exchange('join');
    const refused = await submitProfile({ languages: 'en', interests: '@everyone' });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain("`interests` can't contain mentions");
    expect(refused.content).toContain('Nothing was changed.');
    expect(await me()).toContain('Bridges stores nothing about you');
    expect((await exchange('join')).callbackType).toBe(9);
  });

  it('opts in directly, without a form, when the profile was set before joining', async () => {
    const set = await exchange('profile', { languages: 'de' });
    expect(set.content).toContain('You are not in the pairing rounds yet');
    expect(await me()).toContain('**Exchange:** not in');
    const joined = await exchange('join');
    expect(joined.callbackType).toBe(5);
    expect(joined.content).toContain("You're in the exchange");
  });
});

describe('/exchange profile', () => {
  it('changes only the given fields and shows the profile without options', async () => {
    await joinWithProfile();
    const changed = await exchange('profile', { interests: 'Chess, Tacos', timezone: 'Europe/Madrid' });
    expect(changed.ephemeral).toBe(true);
    expect(changed.content).toBe('Profile saved.');
    expect(description(changed)).toContain('**Interests:** chess and tacos');

    const shown = await exchange('profile');
    expect(description(shown)).toContain('**Languages:** English and Spanish');
    expect(description(shown)).toContain('**Cultures you can share about:** Mexico');
    expect(description(shown)).toContain('**Time zone:** Europe/Madrid');

    const cleared = await exchange('profile', { cultures: '-', timezone: 'none' });
    expect(description(cleared)).toContain('**Cultures you can share about:** none given');
    expect(description(cleared)).toContain('**Time zone:** not set');
  });

  it('tells a member without a profile how to make one', async () => {
    const shown = await exchange('profile');
    expect(shown.content).toContain('You have no profile in this server yet');
  });

  it.each([
    ['nine languages', { languages: 'en, es, fr, de, it, pt, ja, ko, zh' }, '`languages` can list at most 8 entries; you gave 9'],
    ['a 41-character entry', { cultures: 'x'.repeat(41) }, 'Each `cultures` entry can be at most 40 characters'],
    ['@everyone in a list', { interests: 'jazz, @everyone' }, "`interests` can't contain mentions"],
    ['a link', { curious_about: 'https://example.com' }, "`curious_about` can't contain mentions"],
    ['an unknown time zone', { timezone: 'Mars/Olympus' }, '`Mars/Olympus` is not a time zone'],
  ])('refuses %s, says how to fix it, and changes nothing', async (_label, options, message) => {
    await joinWithProfile();
    const before = await me();
    const refused = await exchange('profile', { interests: 'chess', ...options });
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain(message);
    expect(refused.content).toContain('Nothing was changed.');
    expect(refused.allowedMentions).toEqual({ parse: [] });
    expect(await me()).toBe(before);
  });

  it('completes time zones', async () => {
    const choices = (await rig.emulator.autocomplete({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.member,
      name: 'exchange',
      subcommand: 'profile',
      focused: 'timezone',
      value: 'sao',
    })) as { value: string }[];
    expect(choices.map((choice) => choice.value)).toContain('America/Sao_Paulo');
    expect(choices.length).toBeLessThanOrEqual(25);
  });
});

describe('/exchange pause', () => {
  it('pauses until a Discord timestamp, shows it in /exchange me, and join ends it', async () => {
    await joinWithProfile();
    const until = Date.parse('2026-01-15T06:00:00Z') / 1000 + 2 * 7 * 86_400;
    const paused = await exchange('pause', { weeks: 2 });
    expect(paused.ephemeral).toBe(true);
    expect(paused.content).toContain(`<t:${until}:F>`);
    expect(paused.content).toContain(`<t:${until}:R>`);
    expect(await me()).toContain(`**paused** until <t:${until}:F>`);
    expect(await me()).toContain('because you paused yourself');

    const back = await exchange('join');
    expect(back.content).toContain('your pause is over');
    expect(await me()).toContain('you take part in the next round');
  });

  it('ends by itself when its time has passed', async () => {
    await joinWithProfile();
    await exchange('pause', { weeks: 1 });
    rig.clock.set('2026-01-22T06:00:00Z');
    expect(await me()).toContain('you take part in the next round');
  });

  it('refuses a member who is not in the exchange', async () => {
    const refused = await exchange('pause', { weeks: 1 });
    expect(refused.content).toContain('Join with `/exchange join`');
    expect(await me()).toContain('Bridges stores nothing about you');
  });

  it('refuses a number of weeks outside 1–12 even if Discord let it through', async () => {
    await joinWithProfile();
    const refused = await rig.emulator.runCommand({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.member,
      name: 'exchange',
      subcommand: 'pause',
      options: { weeks: 13 },
      force: true,
    });
    expect(refused.content).toContain('from 1 to 12');
    expect(await me()).not.toContain('paused');
  });
});

describe('/exchange leave', () => {
  it('opts out, keeps the profile and points to /exchange forget', async () => {
    await joinWithProfile();
    const left = await exchange('leave');
    expect(left.ephemeral).toBe(true);
    expect(left.content).toContain("You've left the exchange");
    expect(left.content).toContain('`/exchange forget`');
    const overview = await me();
    expect(overview).toContain('**Exchange:** not in');
    expect(overview).toContain('**Languages:** English and Spanish');
    expect((await exchange('leave')).content).toContain("You're not in the exchange");
  });
});

describe('/exchange forget', () => {
  it('deletes everything after the confirm button', async () => {
    await joinWithProfile();
    const asked = await exchange('forget');
    expect(asked.ephemeral).toBe(true);
    expect(buttonIds(asked)).toEqual(['exchange-forget:confirm', 'exchange-forget:cancel']);
    const done = await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.member,
      messageId: asked.message!.id,
      customId: 'exchange-forget:confirm',
    });
    expect(done.content).toContain('Done: your profile, opt-in and pairing history in this server are deleted');
    expect(done.components).toEqual([]);
    expect(await me()).toContain('Bridges stores nothing about you in this server');
    expect((await exchange('join')).callbackType).toBe(9);
  });

  it('keeps everything after the cancel button', async () => {
    await joinWithProfile();
    const asked = await exchange('forget');
    const cancelled = await rig.emulator.clickButton({
      channelId: rig.ids.channels.general,
      userId: rig.ids.users.member,
      messageId: asked.message!.id,
      customId: 'exchange-forget:cancel',
    });
    expect(cancelled.callbackType).toBe(7);
    expect(cancelled.content).toContain('nothing was deleted');
    expect(await me()).toContain('**Languages:** English and Spanish');
  });

  it('says there is nothing to forget when nothing is stored', async () => {
    const reply = await exchange('forget');
    expect(reply.content).toContain('nothing to forget');
    expect(reply.components).toEqual([]);
  });
});

describe('the join message', () => {
  async function postJoinMessage(): Promise<string> {
    const channel = await rig.bot.client.channels.fetch(rig.ids.channels.general);
    if (!channel?.isSendable()) throw new Error('general is not sendable');
    return (await channel.send(joinExchangeMessage(translator('en-US')))).id;
  }

  function clickJoin(messageId: string, userId: string) {
    return rig.emulator.clickButton({ channelId: rig.ids.channels.general, userId, messageId, customId: 'exchange-join' });
  }

  it('asks a newcomer for a profile and joins an existing member directly', async () => {
    const messageId = await postJoinMessage();
    expect(rig.emulator.message(messageId)?.allowedMentions).toEqual({ parse: [] });

    const newcomer = rig.emulator.createUser({ username: 'amara', globalName: 'Amara' });
    rig.emulator.addMember(rig.ids.guildId, newcomer);
    const form = await clickJoin(messageId, newcomer);
    expect(form.callbackType).toBe(9);
    const saved = await submitProfile({ languages: 'yo, en', cultures: 'Yoruba' }, newcomer);
    expect(saved.content).toContain("You're in the exchange");
    expect(await me(newcomer)).toContain('**Languages:** Yoruba and English');

    const again = await clickJoin(messageId, newcomer);
    expect(again.ephemeral).toBe(true);
    expect(again.content).toContain("You're already in the exchange");
  });
});

describe('every exchange message', () => {
  it('sets allowed mentions explicitly', async () => {
    await joinWithProfile();
    await exchange('profile', { interests: 'a, b' });
    await exchange('profile', { interests: '@here' });
    await exchange('pause', { weeks: 3 });
    await exchange('me');
    await exchange('leave');
    await exchange('forget');
    const sends = rig.emulator.requests.filter(
      (request) =>
        (request.method === 'PATCH' && request.route?.startsWith('/webhooks/')) ||
        (request.method === 'POST' &&
          request.route === '/interactions/:interaction_id/:interaction_token/callback' &&
          [4, 7].includes((request.body as { type?: number }).type ?? 0)),
    );
    expect(sends.length).toBeGreaterThanOrEqual(7);
    for (const send of sends) {
      const body = send.body as { allowed_mentions?: unknown; data?: { allowed_mentions?: unknown } };
      expect(body.allowed_mentions ?? body.data?.allowed_mentions).toEqual({ parse: [] });
    }
  });
});
