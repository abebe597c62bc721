import { REST, Routes, type APIApplication } from 'discord.js';
import dotenv from 'dotenv';
import { commands } from '../commands/index.ts';
import { ConfigError, loadConfig } from './config.ts';
import { putCommands } from './discord/registerCommands.ts';

dotenv.config({ quiet: true });

try {
  const config = loadConfig(process.env);
  const rest = new REST({ api: config.discordApiUrl }).setToken(config.discordToken);
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const definitions = commands.map((command) => command.data);
  await putCommands(rest, { applicationId: application.id, guildId: config.discordGuildId }, definitions);
  console.log(`Registered ${definitions.length} commands ${config.discordGuildId ? `in server ${config.discordGuildId}` : 'globally'}.`);
} catch (error) {
  if (error instanceof ConfigError) for (const problem of error.problems) console.error(`bridges: ${problem}`);
  else console.error(`bridges: could not register commands: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
