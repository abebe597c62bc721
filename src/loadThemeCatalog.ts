/**
 * Adapter: reads the theme catalog JSON from disk and validates it with the
 * pure parser in src/core/themes.ts.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseThemeCatalog, ThemeDataError } from './core/themes.ts';
import type { ThemeCatalog } from './core/themes.ts';

/** data/themes.json at the repository root, independent of the working directory. */
export const DEFAULT_THEMES_PATH = fileURLToPath(new URL('../data/themes.json', import.meta.url));

/**
 * Loads and validates the theme catalog (data/themes.json unless `path` is given) with its
 * translations (the `prompts` folder beside it, one file per locale).
 * Malformed JSON or invalid content is reported as a ThemeDataError naming the file;
 * file-system errors (such as a missing file) propagate unchanged.
 */
export async function loadThemeCatalog(
  path: string = DEFAULT_THEMES_PATH,
  translationsPath: string = join(dirname(path), 'prompts'),
): Promise<ThemeCatalog> {
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ThemeDataError([`${path}: not valid JSON: ${reason}`], { source: path, cause: error });
  }
  const translations: Record<string, unknown> = {};
  for (const file of (await readdir(translationsPath).catch(() => [])).filter((name) => name.endsWith('.json')).sort()) {
    const location = join(translationsPath, file);
    try {
      translations[file.slice(0, -'.json'.length)] = JSON.parse(await readFile(location, 'utf8'));
    } catch (error) {
      throw new ThemeDataError([`${location}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`], {
        source: location,
        cause: error,
      });
    }
  }
  try {
    return parseThemeCatalog(raw, translations);
  } catch (error) {
    if (error instanceof ThemeDataError) {
      throw new ThemeDataError(error.problems, { source: path, cause: error });
    }
    throw error;
  }
}
