import type { ApplicationCommandOptionChoiceData } from 'discord.js';
import { searchTimeZones } from '../core/schedule.ts';
import type { ThemeCatalog } from '../core/themes.ts';
import { matchThemes } from '../services/settingsService.ts';

const MAX_CHOICES = 25;
const MAX_VALUE_LENGTH = 100;

export function timeZoneChoices(typed: string): ApplicationCommandOptionChoiceData<string>[] {
  return searchTimeZones(typed, MAX_CHOICES).map((zone) => ({ name: zone, value: zone }));
}

/**
 * Completes a comma-separated theme list: the finished part is kept and the last, half-typed entry
 * is offered as each theme that matches it.
 */
export function themeListChoices(catalog: ThemeCatalog, typed: string): ApplicationCommandOptionChoiceData<string>[] {
  const parts = typed.split(',').map((part) => part.trim());
  const current = parts.pop() ?? '';
  const chosen = parts.filter((part) => part !== '');
  const chosenIds = new Set(chosen.flatMap((part) => matchThemes(catalog, part).map((theme) => theme.id)));
  const candidates = current === '' ? catalog.themes : matchThemes(catalog, current);
  const choices: ApplicationCommandOptionChoiceData<string>[] = [];
  if (chosen.length === 0 && current === '') choices.push({ name: 'All themes', value: 'all' });
  for (const theme of candidates) {
    if (chosenIds.has(theme.id)) continue;
    const value = [...chosen, theme.id].join(', ');
    if (value.length > MAX_VALUE_LENGTH) continue;
    const name = chosen.length === 0 ? theme.title : `${chosen.join(', ')}, ${theme.title}`;
    choices.push({ name: name.slice(0, MAX_VALUE_LENGTH), value });
  }
  return choices.slice(0, MAX_CHOICES);
}
