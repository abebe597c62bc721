import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { MAX_PROFILE_ENTRIES, MAX_PROFILE_ENTRY_LENGTH } from '../../src/core/profile.ts';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import { translator } from '../../src/discord/i18n.ts';
import { INPUT_MAX_LENGTH } from '../../src/discord/limits.ts';
import { profileForm } from '../../src/discord/exchangeMessages.ts';
import { loadThemeCatalog } from '../../src/loadThemeCatalog.ts';
import { validateCommandList } from '../support/emulator/validation.ts';

interface Option {
  readonly type: number;
  readonly name: string;
  readonly options?: readonly Option[];
  readonly choices?: readonly { readonly value: string | number }[];
  readonly min_length?: number;
  readonly max_length?: number;
  readonly autocomplete?: boolean;
}

/** Every string option of every command, named as `/command subcommand option`. */
function stringOptions(): { path: string; option: Option }[] {
  const found: { path: string; option: Option }[] = [];
  const visit = (path: string, options: readonly Option[] | undefined) => {
    for (const option of options ?? []) {
      if (option.type === 3) found.push({ path: `${path} ${option.name}`, option });
      visit(`${path} ${option.name}`, option.options);
    }
  };
  for (const command of commands) visit(`/${command.data.name}`, command.data.options as readonly Option[] | undefined);
  return found;
}

describe('slash command definitions', () => {
  it('pass the emulator’s rules for registering commands', () => {
    expect(() => validateCommandList(commands.map((command) => command.data))).not.toThrow();
  });

  it.each(stringOptions().map(({ path, option }) => [path, option] as const))(
    '%s declares a max_length that admits every valid value',
    (_path, option) => {
      expect(option.max_length).toBeTypeOf('number');
      const max = option.max_length ?? 0;
      expect(option.min_length ?? 0).toBeLessThanOrEqual(max);
      for (const choice of option.choices ?? []) expect(String(choice.value).length).toBeLessThanOrEqual(max);
    },
  );

  it('the free-text options admit their longest valid value', async () => {
    const longestZone = Math.max(...Intl.supportedValuesOf('timeZone').map((zone) => zone.length));
    expect(INPUT_MAX_LENGTH.timeZone).toBeGreaterThanOrEqual(longestZone);
    const catalog = await loadThemeCatalog();
    expect(INPUT_MAX_LENGTH.themeList).toBeGreaterThanOrEqual(catalog.themes.map((theme) => theme.title).join(', ').length);
    for (const locale of SUPPORTED_LOCALES) {
      const titles = catalog.themes.map((theme) => catalog.themeText(theme.id, locale)?.title ?? '').join(', ');
      expect([...titles].length, locale).toBeLessThanOrEqual(INPUT_MAX_LENGTH.themeList);
    }
    expect(INPUT_MAX_LENGTH.themeList).toBeGreaterThanOrEqual(catalog.themes.map((theme) => theme.id).join(', ').length);
    expect(INPUT_MAX_LENGTH.profileList).toBeGreaterThanOrEqual(
      MAX_PROFILE_ENTRIES * MAX_PROFILE_ENTRY_LENGTH + (MAX_PROFILE_ENTRIES - 1) * 2,
    );
    const byName = new Map(stringOptions().map(({ path, option }) => [path, option.max_length]));
    expect(byName.get('/setup prompts themes')).toBe(INPUT_MAX_LENGTH.themeList);
    for (const path of ['/setup prompts timezone', '/setup pairing timezone', '/exchange profile timezone'])
      expect(byName.get(path)).toBe(INPUT_MAX_LENGTH.timeZone);
    for (const field of ['languages', 'cultures', 'curious_about', 'interests'])
      expect(byName.get(`/exchange profile ${field}`)).toBe(INPUT_MAX_LENGTH.profileList);
  });

  it('the join form takes as much as /exchange profile does', () => {
    const inputs = JSON.stringify(profileForm(undefined, translator('de')).toJSON());
    for (const max of [INPUT_MAX_LENGTH.profileList, INPUT_MAX_LENGTH.timeZone]) expect(inputs).toContain(`"max_length":${max}`);
  });
});

interface LocalizedNode {
  readonly name: string;
  readonly name_localizations?: Readonly<Record<string, string>> | null;
  readonly description_localizations?: Readonly<Record<string, string>> | null;
  readonly options?: readonly LocalizedNode[];
  readonly choices?: readonly { readonly name: string; readonly name_localizations?: Readonly<Record<string, string>> | null }[];
}

// Discord's rule for chat-input command and option names, in every locale (its documentation once
// listed the apostrophe too, which the API refuses: discord-api-docs#7371).
const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

describe('command localizations', () => {
  /** Every problem with the localized names and descriptions under `node`, as readable strings. */
  function problems(node: LocalizedNode, path: string): string[] {
    const found: string[] = [];
    for (const [locale, name] of Object.entries(node.name_localizations ?? {})) {
      if (!COMMAND_NAME.test(name) || name !== name.toLocaleLowerCase(locale)) found.push(`${path} name in ${locale}: ${name}`);
    }
    for (const [locale, description] of Object.entries(node.description_localizations ?? {})) {
      const length = [...description].length;
      if (length < 1 || length > 100) found.push(`${path} description in ${locale} has ${length} characters`);
    }
    for (const choice of node.choices ?? []) {
      for (const [locale, name] of Object.entries(choice.name_localizations ?? {})) {
        if ([...name].length < 1 || [...name].length > 100) found.push(`${path} choice ${choice.name} in ${locale}: ${name}`);
      }
    }
    const siblings = node.options ?? [];
    for (const locale of SUPPORTED_LOCALES) {
      const names = siblings.map((option) => option.name_localizations?.[locale] ?? option.name);
      if (new Set(names).size !== names.length) found.push(`${path} has two options of one name in ${locale}: ${names.join(', ')}`);
    }
    for (const option of siblings) found.push(...problems(option, `${path} ${option.name}`));
    return found;
  }

  it('are valid Discord names and descriptions in every language', () => {
    expect(commands.flatMap((command) => problems(command.data as LocalizedNode, `/${command.data.name}`))).toEqual([]);
  });
});
