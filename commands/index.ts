import { exchangeComponentHandlers } from '../src/discord/exchangeComponents.ts';
import { checkInButtons } from '../src/discord/checkInButtons.ts';
import { forgetServerButtons } from '../src/discord/setupComponents.ts';
import { takeawayComponents } from '../src/discord/takeawayComponents.ts';
import type { ComponentHandler, SlashCommand } from '../src/discord/slashCommand.ts';
import { exchangeCommand } from './exchange.ts';
import { hostCommand } from './host.ts';
import { promptCommand } from './prompt.ts';
import { setupCommand } from './setup.ts';
import { themesCommand } from './themes.ts';

/** Every slash command, in the order Discord lists them. Deploying and routing both read this list. */
export const commands: readonly SlashCommand[] = [themesCommand, promptCommand, setupCommand, hostCommand, exchangeCommand];

export const componentHandlers: readonly ComponentHandler[] = [
  ...exchangeComponentHandlers,
  checkInButtons,
  forgetServerButtons,
  takeawayComponents,
];
