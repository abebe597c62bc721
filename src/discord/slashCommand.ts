import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Client,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { ThemeCatalog } from '../core/themes.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../services/clock.ts';
import type { ExchangeService } from '../services/exchangeService.ts';
import type { InsightsService } from '../services/insightsService.ts';
import type { LifecycleService } from '../services/lifecycleService.ts';
import type { PromptService } from '../services/promptService.ts';
import type { RoundService } from '../services/roundService.ts';
import type { ServerPromptService } from '../services/serverPromptService.ts';
import type { SettingsService } from '../services/settingsService.ts';
import type { TakeawayService } from '../services/takeawayService.ts';
import type { RequiredPermission } from './botPermissions.ts';
import type { Translator } from './i18n.ts';

/** Everything a command handler may call: services, never stores. */
export interface BridgesContext {
  readonly client: Client<true>;
  readonly catalog: ThemeCatalog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly prompts: PromptService;
  readonly exchange: ExchangeService;
  readonly rounds: RoundService;
  readonly settings: SettingsService;
  readonly lifecycle: LifecycleService;
  readonly insights: InsightsService;
  readonly takeaways: TakeawayService;
  /** The server's own prompts and members' suggestions. */
  readonly packs: ServerPromptService;
}

export interface SlashCommand {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Checked again in the router, whatever Discord's default_member_permissions let through. */
  readonly requiresPermission?: RequiredPermission;
  /** `tr` writes in the member's language (else the server's, else English). */
  execute(interaction: ChatInputCommandInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction<'cached'>, context: BridgesContext, tr: Translator): Promise<void>;
}

export type ComponentInteraction = ButtonInteraction<'cached'> | ModalSubmitInteraction<'cached'> | StringSelectMenuInteraction<'cached'>;

/** Buttons, menus and modals, routed by the part of their custom id before the first ':'. */
export interface ComponentHandler {
  readonly prefix: string;
  handle(interaction: ComponentInteraction, argument: string, context: BridgesContext, tr: Translator): Promise<void>;
}
