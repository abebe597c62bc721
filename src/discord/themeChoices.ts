import { THEME_IDS } from '../core/themes.ts';

/** The fixed choices of a `theme` option; their names are localized with the rest of the command. */
export const THEME_CHOICES = THEME_IDS.map((id) => ({
  name: id.replace(/-/g, ' ').replace(/^\w/, (first) => first.toUpperCase()),
  value: id,
}));
