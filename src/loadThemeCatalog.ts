/**
 * Adapter: reads the theme catalog JSON from disk and validates it with the
 * pure parser in src/core/themes.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseThemeCatalog, ThemeDataError } from './core/themes.ts';
import type { ThemeCatalog } from './core/themes.ts';

/** data/themes.json at the repository root, independent of the working directory. */
export const DEFAULT_THEMES_PATH = fileURLToPath(new URL('../data/themes.json', import.meta.url));

/**
 * Loads and validates the theme catalog (data/themes.json unless `path` is given).
 * Malformed JSON or invalid content is reported as a ThemeDataError naming the file;
 * file-system errors (such as a missing file) propagate unchanged.
 */
export async function loadThemeCatalog(path: string = DEFAULT_THEMES_PATH): Promise<ThemeCatalog> {
  const text = await readFile(path, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ThemeDataError([`${path}: not valid JSON: ${reason}`], { source: path, cause: error });
  }
  try {
    return parseThemeCatalog(raw);
  } catch (error) {
    if (error instanceof ThemeDataError) {
      throw new ThemeDataError(error.problems, { source: path, cause: error });
    }
    throw error;
  }
}
