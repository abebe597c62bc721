import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { localizations } from './i18n.ts';

/** The parts of a command definition that carry text: the command, its options, their choices. */
interface LocalizableChoice {
  readonly name: string;
  readonly value: string | number;
}
interface LocalizableNode {
  readonly name: string;
  readonly description?: string;
  readonly options?: readonly LocalizableNode[];
  readonly choices?: readonly LocalizableChoice[];
}

/**
 * A command definition with `name_localizations` and `description_localizations` for every
 * supported locale, on the command, each option and each choice. The texts live in
 * `locales/<locale>/commands.json` under the path of names: `setup.pairing.frequency.description`,
 * `setup.pairing.frequency.choices.weekly`. English stays in the definition itself.
 */
export function localizeCommand<T extends RESTPostAPIChatInputApplicationCommandsJSONBody>(definition: T): T {
  return localizeNode(definition, definition.name) as T;
}

function localizeNode<N extends LocalizableNode>(node: N, path: string): N {
  return Object.assign({}, node, {
    name_localizations: localizations(`commands:${path}.name`),
    ...(node.description === undefined ? {} : { description_localizations: localizations(`commands:${path}.description`) }),
    ...(node.options ? { options: node.options.map((option) => localizeNode(option, `${path}.${option.name}`)) } : {}),
    ...(node.choices
      ? {
          choices: node.choices.map((choice) => ({
            ...choice,
            name_localizations: localizations(`commands:${path}.choices.${String(choice.value)}`),
          })),
        }
      : {}),
  });
}

/** Every text key a definition uses, with its English text: what locales/en/commands.json must hold. */
export function commandTextKeys(definition: LocalizableNode, path = definition.name): Map<string, string> {
  const keys = new Map<string, string>([[`${path}.name`, definition.name]]);
  if (definition.description !== undefined) keys.set(`${path}.description`, definition.description);
  for (const option of definition.options ?? []) {
    for (const [key, text] of commandTextKeys(option, `${path}.${option.name}`)) keys.set(key, text);
  }
  for (const choice of definition.choices ?? []) keys.set(`${path}.choices.${String(choice.value)}`, choice.name);
  return keys;
}
