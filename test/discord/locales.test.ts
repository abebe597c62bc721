import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { PROBLEM_CODES } from '../../src/core/problem.ts';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import { commandTextKeys } from '../../src/discord/commandLocalizations.ts';
import { LOCALES_DIRECTORY, readResources, translator } from '../../src/discord/i18n.ts';

const resources = readResources();
const english = resources.en ?? {};
const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every text of a namespace by its dotted key. */
function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  if (typeof tree === 'string') return flat.set(prefix, tree);
  if (typeof tree !== 'object' || tree === null) throw new Error(`${prefix} is neither a text nor a group of texts`);
  for (const [key, value] of Object.entries(tree)) {
    for (const [inner, text] of flatten(value, prefix === '' ? key : `${prefix}.${key}`)) flat.set(inner, text);
  }
  return flat;
}

/** The {{placeholders}} of a text, without their formats. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^},\s]+)[^}]*\}\}/g)].map((match) => match[1] ?? '').sort();
}

/** The slash commands a text names in code spans: command names are never translated inside a text. */
function commandsNamed(text: string): string[] {
  return [...text.matchAll(/`(\/[a-z-]+(?: [a-z-]+)?)/g)].map((match) => match[1] ?? '').sort();
}

/** Keys grouped by plural base: `days_one` and `days_other` are one key `days` with two forms. */
function pluralGroups(flat: Map<string, string>): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  for (const [key, text] of flat) {
    const suffix = PLURAL_SUFFIX.exec(key);
    const base = suffix ? key.slice(0, -suffix[0].length) : key;
    const forms = groups.get(base) ?? new Map<string, string>();
    forms.set(suffix?.[1] ?? '', text);
    groups.set(base, forms);
  }
  return groups;
}

const translatedFolders = Object.keys(resources).filter((folder) => folder !== 'en');

describe('locale files', () => {
  it('hold a folder for every language Bridges speaks, and nothing else', () => {
    const expected = [...new Set(SUPPORTED_LOCALES.map((locale) => (locale.startsWith('en-') ? 'en' : locale)))].sort();
    expect(readdirSync(LOCALES_DIRECTORY).sort()).toEqual(expected);
  });

  it('every problem code has an English message, and every message a code', () => {
    const messages = [...pluralGroups(flatten(english.errors)).keys()];
    expect(messages.filter((key) => key !== 'apology').sort()).toEqual(PROBLEM_CODES.filter((code) => !code.includes(':')).sort());
  });

  it('every namespaced problem code has an English message in its namespace', () => {
    for (const code of PROBLEM_CODES.filter((candidate) => candidate.includes(':'))) {
      const [namespace = '', key = ''] = code.split(':');
      expect(flatten(english[namespace]).has(key), code).toBe(true);
    }
  });

  it("English commands.json holds exactly the definitions' names, descriptions and choices", () => {
    const expected = new Map<string, string>();
    for (const command of commands) for (const [key, text] of commandTextKeys(command.data)) expected.set(key, text);
    expect(Object.fromEntries(flatten(english.commands))).toEqual(Object.fromEntries(expected));
  });

  describe.each(translatedFolders)('%s', (folder) => {
    const locale = SUPPORTED_LOCALES.find((candidate) => candidate === folder) ?? 'en-US';
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;

    it('has every namespace English has, and no other', () => {
      expect(Object.keys(resources[folder] ?? {}).sort()).toEqual(Object.keys(english).sort());
    });

    it.each(Object.keys(english))('%s: the same keys as English, with the plural forms of this language', (namespace) => {
      const source = pluralGroups(flatten(english[namespace]));
      const translated = pluralGroups(flatten(resources[folder]?.[namespace] ?? {}));
      expect([...translated.keys()].sort()).toEqual([...source.keys()].sort());
      for (const [base, forms] of source) {
        const plural = !forms.has('');
        const wanted = plural ? [...categories].sort() : [''];
        expect([...(translated.get(base)?.keys() ?? [])].sort(), `${namespace}:${base}`).toEqual(wanted);
      }
    });

    it.each(Object.keys(english))('%s: the same placeholders and command names as English, and no empty text', (namespace) => {
      const source = pluralGroups(flatten(english[namespace]));
      for (const [base, forms] of pluralGroups(flatten(resources[folder]?.[namespace] ?? {}))) {
        const reference = source.get(base)?.get('other') ?? source.get(base)?.get('') ?? '';
        for (const [form, text] of forms) {
          expect(text.trim(), `${namespace}:${base}`).not.toBe('');
          // A singular form may spell its count out ("un jour"); every other placeholder must be there.
          const needed = placeholders(reference).filter((name) => !(name === 'count' && form !== 'other' && form !== ''));
          const used = placeholders(text);
          for (const name of needed) expect(used, `${namespace}:${base}_${form} lacks {{${name}}}`).toContain(name);
          for (const name of used) expect(placeholders(reference), `${namespace}:${base}_${form} has {{${name}}}`).toContain(name);
          if (namespace !== 'commands') expect(commandsNamed(text), `${namespace}:${base}`).toEqual(commandsNamed(reference));
        }
      }
    });
  });
});

describe('translator', () => {
  it('falls back from Latin American Spanish to Spain’s, then to English', () => {
    const spanish = translator('es-ES').t('common:cancel');
    expect(translator('es-419').t('common:cancel')).toBe(resources['es-419']?.common?.cancel ?? spanish);
  });

  it('formats numbers and lists for the locale', () => {
    expect(translator('de').number(1234567)).toBe('1.234.567');
    expect(translator('en-US').list(['a', 'b', 'c'])).toBe('a, b, and c');
    expect(translator('en-GB').list(['a', 'b', 'c'])).toBe('a, b and c');
    expect(translator('ja').list(['a', 'b'])).toBe('a、b');
  });

  it('picks English plural forms by count', () => {
    const tr = translator('en-US');
    expect(tr.t('host:round.pending', { count: 1 })).toMatch(/^1 more conversation is/);
    expect(tr.t('host:round.pending', { count: 2 })).toMatch(/^2 more conversations are/);
  });
});
