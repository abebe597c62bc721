import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import { resolveRegion, searchLanguages, searchRegions } from '../core/languageCodes.ts';
import type { ProfileListField } from '../core/profile.ts';
import { searchTimeZones } from '../core/schedule.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import { matchThemes } from '../services/settingsService.ts';
import type { Translator } from './i18n.ts';
import { DISCORD_LIMITS, fitText } from './limits.ts';

type Choice = ApplicationCommandOptionChoiceData<string>;

/** IANA names are at most about 30 characters, well inside a choice's 100. */
export function timeZoneChoices(typed: string): Choice[] {
  return searchTimeZones(typed, DISCORD_LIMITS.choices).map((zone) => ({ name: zone, value: zone }));
}

/**
 * Completes a comma-separated theme list: the finished part is kept and the last, half-typed entry
 * is offered as each theme that matches it. The finished part is what was typed, so a choice whose
 * value would pass Discord's 100 characters is left out, and the finished part of its name is
 * shortened to fit.
 */
export function themeListChoices(catalog: ThemeCatalog, typed: string, tr: Translator): Choice[] {
  const parts = typed.split(',').map((part) => part.trim());
  const current = parts.pop() ?? '';
  const chosen = parts.filter((part) => part !== '');
  const chosenIds = new Set(chosen.flatMap((part) => matchThemes(catalog, part).map((theme) => theme.id)));
  const candidates = current === '' ? catalog.themes : matchThemes(catalog, current);
  const choices: Choice[] = [];
  if (chosen.length === 0 && current === '') choices.push({ name: tr.t('setup:all-themes-choice'), value: 'all' });
  for (const theme of candidates) {
    if (chosenIds.has(theme.id)) continue;
    const title = catalog.themeText(theme.id, tr.locale)?.title ?? theme.title;
    const value = [...chosen, theme.id].join(', ');
    if (value.length > DISCORD_LIMITS.choiceValue) continue;
    // The theme offered is what tells the choices apart, so it is the finished part that gets shortened.
    const finished = fitText(chosen.join(', '), DISCORD_LIMITS.choiceName - title.length - 2);
    choices.push({ name: chosen.length === 0 ? title : `${finished}, ${title}`, value });
  }
  return choices.slice(0, DISCORD_LIMITS.choices);
}

/**
 * Completes a comma-separated profile list of languages (as ISO 639-1 codes) or of cultures and
 * curiosities (countries and regions as ISO 3166-1 codes), found by their name in the reader's
 * language, in English or in their own language and shown in the reader's language. The finished
 * part is kept as typed. A culture may be any text, so what is being typed is offered as it is too when it names no region.
 */
export function profileListChoices(field: Exclude<ProfileListField, 'interests'>, typed: string, tr: Translator): Choice[] {
  const parts = typed.split(/[,\n]/).map((part) => part.trim());
  const current = parts.pop() ?? '';
  const finished = parts.filter((part) => part !== '').join(', ');
  const found = field === 'languages' ? searchLanguages(current, tr.locale) : searchRegions(current, tr.locale);
  const offers = found.map(({ code, name }) => ({ name, value: code }));
  if (field !== 'languages' && current !== '' && resolveRegion(current) === undefined) {
    // Last, so a half-typed name offers its regions first, but always within the 25 shown.
    offers.splice(DISCORD_LIMITS.choices - 1, Infinity, { name: current, value: current });
  }
  const choices: Choice[] = [];
  for (const offer of offers) {
    const value = finished === '' ? offer.value : `${finished}, ${offer.value}`;
    if (value.length > DISCORD_LIMITS.choiceValue) continue;
    const shown = fitText(offer.name, DISCORD_LIMITS.choiceName);
    const head = fitText(finished, DISCORD_LIMITS.choiceName - shown.length - 2);
    choices.push({ name: finished === '' ? shown : `${head}, ${shown}`, value });
    if (choices.length === DISCORD_LIMITS.choices) break;
  }
  return choices;
}
