import { afterEach, describe, expect, it } from 'vitest';
import type { Problem } from '../../src/core/problem.ts';
import { seededRandom } from '../../src/core/random.ts';
import { exportPack, MAX_SERVER_PROMPTS } from '../../src/core/serverPrompts.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { KeyedLock } from '../../src/services/keyedLock.ts';
import { MAX_PENDING_PER_MEMBER, PackRefused, ServerPromptService } from '../../src/services/serverPromptService.ts';
import { UserError } from '../../src/services/userError.ts';
import type { Store } from '../../src/store/openStore.ts';
import { ServerPromptStore } from '../../src/store/serverPromptStore.ts';
import { FakeClock } from '../support/fakeClock.ts';
import { tempStore } from '../support/tempStore.ts';

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const GUILD = '100000000000000001';
const ANA = '300000000000000001';
const BEN = '300000000000000002';
const MOD = '300000000000000009';
const REVIEW = '200000000000000001';
const TEXT = 'Which dish from your childhood would you cook for a new friend?';

async function rig() {
  const store = await tempStore('bridges-packs-');
  opened.push(store);
  const prompts = new ServerPromptStore(store.keyv);
  const catalog = await loadThemeCatalog();
  const service = new ServerPromptService({
    store: prompts,
    catalog,
    clock: new FakeClock('2026-01-15T06:00:00Z'),
    locks: new KeyedLock(),
  });
  return { prompts, service, catalog };
}

async function refusal(promise: Promise<unknown>): Promise<Problem> {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof UserError)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error.problem;
}

const suggestion = (text: string, authorId = ANA, anonymous = false) => ({ authorId, themeId: 'shared-experiences', text, anonymous });

describe('suggestions', () => {
  it('are refused until a review channel is chosen, and nothing is stored', async () => {
    const { service, prompts } = await rig();
    expect((await refusal(service.suggest(GUILD, suggestion(TEXT), ['en-US']))).code).toBe('suggestions-not-set-up');
    expect((await prompts.book(GUILD)).items).toEqual([]);
  });

  it('store the cleaned text as pending, at most three per member', async () => {
    const { service, prompts } = await rig();
    await service.setReviewChannel(GUILD, REVIEW);
    const { suggestion: first, reviewChannelId } = await service.suggest(GUILD, suggestion(`  ${TEXT}\n@here `), ['en-US']);
    expect(reviewChannelId).toBe(REVIEW);
    expect(first).toMatchObject({ number: 1, status: 'pending', text: `${TEXT} ＠here`, authorNotified: false });
    await service.suggest(GUILD, suggestion('Tell us about a song your grandparents loved.'), ['en-US']);
    await service.suggest(GUILD, suggestion('Tell us about a proverb you grew up hearing.'), ['en-US']);
    const fourth = await refusal(service.suggest(GUILD, suggestion('Which word in your language has no translation?'), ['en-US']));
    expect(fourth).toEqual({ code: 'suggestions-too-many-pending', values: { max: MAX_PENDING_PER_MEMBER } });
    expect((await prompts.book(GUILD)).items).toHaveLength(3);
    await service.suggest(GUILD, suggestion('Which word in your language has no translation?', BEN), ['en-US']);
  });

  it('refuses near duplicates of the server’s prompts, built-in ones in its languages, and pending suggestions', async () => {
    const { service, catalog } = await rig();
    await service.setReviewChannel(GUILD, REVIEW);
    const builtIn = catalog.themes[2]?.prompts[3];
    if (!builtIn) throw new Error('no prompt');
    expect((await refusal(service.suggest(GUILD, suggestion(builtIn.text.toLowerCase()), ['en-US']))).code).toBe('packs-duplicate');
    const german = catalog.promptText(builtIn.id, 'de') ?? '';
    expect((await refusal(service.suggest(GUILD, suggestion(german), ['en-US', 'de']))).code).toBe('packs-duplicate');
    await service.suggest(GUILD, suggestion(german), ['en-US']);
    await service.add(GUILD, 'mutual-respect', 'How do people greet elders where you grew up?', ['en-US']);
    expect((await refusal(service.suggest(GUILD, suggestion('how do people greet elders where you grew up'), ['en-US']))).code).toBe(
      'packs-duplicate',
    );
    expect((await refusal(service.suggest(GUILD, suggestion(german.toUpperCase(), BEN), ['en-US']))).code).toBe('packs-duplicate');
  });

  it('a decision is taken once: the second is refused and the bank gets one prompt', async () => {
    const { service, prompts } = await rig();
    await service.setReviewChannel(GUILD, REVIEW);
    await service.suggest(GUILD, suggestion(TEXT), ['en-US']);
    const [first, second] = await Promise.allSettled([
      service.decide(GUILD, 1, MOD, { kind: 'approve' }, ['en-US']),
      service.decide(GUILD, 1, BEN, { kind: 'reject', reason: 'no' }, ['en-US']),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { status: 'approved', decidedBy: MOD, promptId: 's1' } });
    expect(second.status).toBe('rejected');
    expect(second.status === 'rejected' && second.reason instanceof UserError && second.reason.problem.code).toBe(
      'suggestion-already-decided',
    );
    expect((await prompts.bank(GUILD)).prompts).toEqual([{ id: 's1', themeId: 'shared-experiences', text: TEXT, authorId: ANA }]);
  });

  it('an anonymous suggestion is approved without its author; an edit is validated', async () => {
    const { service, prompts } = await rig();
    await service.setReviewChannel(GUILD, REVIEW);
    await service.suggest(GUILD, suggestion(TEXT, ANA, true), ['en-US']);
    expect((await refusal(service.decide(GUILD, 1, MOD, { kind: 'approve', text: 'Too short' }, ['en-US']))).code).toBe(
      'packs-text-too-short',
    );
    expect((await prompts.book(GUILD)).items[0]?.status).toBe('pending');
    await service.decide(GUILD, 1, MOD, { kind: 'approve', text: `${TEXT} Why?` }, ['en-US']);
    expect((await prompts.bank(GUILD)).prompts).toEqual([{ id: 's1', themeId: 'shared-experiences', text: `${TEXT} Why?` }]);
  });

  it('the author is told each outcome once', async () => {
    const { service } = await rig();
    await service.setReviewChannel(GUILD, REVIEW);
    await service.suggest(GUILD, suggestion(TEXT), ['en-US']);
    expect(await service.takeOutcomes(GUILD, ANA)).toEqual([]);
    await service.decide(GUILD, 1, MOD, { kind: 'reject', reason: 'We have a **food** week' }, ['en-US']);
    expect(await service.takeOutcomes(GUILD, BEN)).toEqual([]);
    const told = await service.takeOutcomes(GUILD, ANA);
    expect(told.map((item) => [item.number, item.status, item.reason])).toEqual([[1, 'rejected', 'We have a **food** week']]);
    expect(await service.takeOutcomes(GUILD, ANA)).toEqual([]);
  });

  it('a suggestion that could not be posted is withdrawn and does not count', async () => {
    const { service, prompts } = await rig();
    await service.setReviewChannel(GUILD, REVIEW);
    await service.suggest(GUILD, suggestion(TEXT), ['en-US']);
    await service.withdraw(GUILD, 1);
    expect((await prompts.book(GUILD)).items).toEqual([]);
  });
});

describe('server prompts', () => {
  it('remove deletes own prompts and switches built-in ones off; restore switches them on', async () => {
    const { service, prompts, catalog } = await rig();
    const added = await service.add(GUILD, 'building-bridges', TEXT, ['en-US']);
    expect(await service.remove(GUILD, added.id)).toEqual({ kind: 'deleted', prompt: added });
    const id = catalog.themes[0]?.prompts[0]?.id ?? '';
    expect(await service.remove(GUILD, id)).toEqual({ kind: 'disabled', id });
    expect((await refusal(service.remove(GUILD, id))).code).toBe('packs-already-off');
    expect((await refusal(service.remove(GUILD, 'nothing'))).code).toBe('packs-unknown-prompt');
    expect((await service.catalogFor(GUILD)).theme(catalog.themes[0]?.id ?? '')?.prompts.some((prompt) => prompt.id === id)).toBe(false);
    expect(await service.restore(GUILD, id)).toBe(id);
    expect((await refusal(service.restore(GUILD, id))).code).toBe('packs-not-off');
    expect(await prompts.bank(GUILD)).toEqual({ prompts: [], disabledBuiltInIds: [], nextNumber: 2 });
  });

  it('a server has at most 500 prompts of its own', async () => {
    const { service, prompts } = await rig();
    // Random letters: no two of them are near duplicates.
    const random = seededRandom('distinct prompts');
    const word = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
    const texts = Array.from({ length: MAX_SERVER_PROMPTS }, () => `${word()} ${word()} ${word()} ${word()}?`);
    const full = new TextEncoder().encode(
      JSON.stringify({ version: 1, prompts: texts.map((text) => ({ theme: 'self-reflection', text })) }),
    );
    await service.importPack(GUILD, full, ['en-US']);
    const before = await prompts.bank(GUILD);
    expect(before.prompts).toHaveLength(MAX_SERVER_PROMPTS);
    expect((await refusal(service.add(GUILD, 'building-bridges', TEXT, ['en-US']))).code).toBe('packs-full');
    await service.setReviewChannel(GUILD, REVIEW);
    await service.suggest(GUILD, suggestion(TEXT), ['en-US']);
    expect((await refusal(service.decide(GUILD, 1, MOD, { kind: 'approve' }, ['en-US']))).code).toBe('packs-full');
    expect(await prompts.bank(GUILD)).toEqual(before);
    expect((await prompts.book(GUILD)).items[0]?.status).toBe('pending');
  });

  it('an import is all or nothing', async () => {
    const { service, prompts } = await rig();
    await service.add(GUILD, 'building-bridges', TEXT, ['en-US']);
    const before = await prompts.bank(GUILD);
    const bad = new TextEncoder().encode(
      JSON.stringify({
        version: 1,
        prompts: [
          { theme: 'self-reflection', text: 'A perfectly good question about you?' },
          { theme: 'x', text: 'y' },
        ],
      }),
    );
    await expect(service.importPack(GUILD, bad, ['en-US'])).rejects.toBeInstanceOf(PackRefused);
    expect(await prompts.bank(GUILD)).toEqual(before);
    const good = new TextEncoder().encode(JSON.stringify(exportPack(before)));
    expect(await service.importPack(GUILD, good, ['en-US'])).toEqual(before);
  });
});
