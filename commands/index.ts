import { exchangeComponentHandlers } from '../src/discord/exchangeComponents.ts';
import { checkInButtons } from '../src/discord/checkInButtons.ts';
import { forgetServerButtons } from '../src/discord/setupComponents.ts';
import { takeawayComponents } from '../src/discord/takeawayComponents.ts';
import { suggestionButtons } from '../src/discord/suggestionComponents.ts';
import type { ComponentHandler, SlashCommand } from '../src/discord/slashCommand.ts';
import { exchangeCommand } from './exchange.ts';
import { hostCommand } from './host.ts';
import { promptCommand } from './prompt.ts';
import { promptsCommand } from './prompts.ts';
import { setupCommand } from './setup.ts';
import { suggestCommand } from './suggest.ts';
import { themesCommand } from './themes.ts';

/** Every slash command, in the order Discord lists them. Deploying and routing both read this list. */
export const commands: readonly SlashCommand[] = [
  themesCommand,
  promptCommand,
  setupCommand,
  hostCommand,
  exchangeCommand,
  suggestCommand,
  promptsCommand,
];

export const componentHandlers: readonly ComponentHandler[] = [
  ...exchangeComponentHandlers,
  checkInButtons,
  forgetServerButtons,
  takeawayComponents,
  suggestionButtons,
];
