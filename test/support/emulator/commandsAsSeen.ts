import type { DiscordLocale } from './locales.ts';
import { shownText } from './locales.ts';
import type { CommandRecord } from './state.ts';
import { isRecord } from './util.ts';

export interface ChoiceAsSeen {
  /** The choice's default name. */
  name: string;
  /** The name the member's client shows. */
  shownName: string;
  value: unknown;
}

export interface OptionAsSeen {
  type: number;
  /** The default name, which is what interactions carry whatever the member's locale. */
  name: string;
  shownName: string;
  shownDescription: string;
  required: boolean;
  choices?: ChoiceAsSeen[];
  /** Subcommands of a group, options of a subcommand. */
  options?: OptionAsSeen[];
}

export interface CommandAsSeen {
  id: string;
  type: number;
  guildId: string | null;
  /** The default name, to pass to runCommand. */
  name: string;
  shownName: string;
  /** Empty for context-menu commands, which have no description. */
  shownDescription: string;
  options: OptionAsSeen[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function optionAsSeen(option: Record<string, unknown>, locale: DiscordLocale): OptionAsSeen {
  const choices = Array.isArray(option.choices) ? option.choices.filter(isRecord) : undefined;
  const options = Array.isArray(option.options) ? option.options.filter(isRecord) : undefined;
  return {
    type: typeof option.type === 'number' ? option.type : 0,
    name: text(option.name),
    shownName: shownText(text(option.name), option.name_localizations, locale),
    shownDescription: shownText(text(option.description), option.description_localizations, locale),
    required: option.required === true,
    ...(choices
      ? {
          choices: choices.map((choice) => ({
            name: text(choice.name),
            shownName: shownText(text(choice.name), choice.name_localizations, locale),
            value: choice.value,
          })),
        }
      : {}),
    ...(options ? { options: options.map((o) => optionAsSeen(o, locale)) } : {}),
  };
}

/** A registered command as a Discord client set to `locale` shows it (with the clients' locale fallbacks). */
export function commandAsSeen(command: CommandRecord, locale: DiscordLocale): CommandAsSeen {
  const d = command.definition;
  const options = Array.isArray(d.options) ? d.options.filter(isRecord) : [];
  return {
    id: command.id,
    type: typeof d.type === 'number' ? d.type : 1,
    guildId: command.guildId,
    name: text(d.name),
    shownName: shownText(text(d.name), d.name_localizations, locale),
    shownDescription: shownText(text(d.description), d.description_localizations, locale),
    options: options.map((o) => optionAsSeen(o, locale)),
  };
}
