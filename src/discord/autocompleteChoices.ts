import type { ApplicationCommandOptionChoiceData } from 'discord.js';
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
