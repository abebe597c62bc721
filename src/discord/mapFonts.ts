import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GlobalFonts } from '@napi-rs/canvas';

/**
 * Fonts for drawn images, from npm packages (the machine may have no system fonts): Noto Sans for
 * Latin, Greek, Cyrillic, Vietnamese and Devanagari; Noto Sans SC and KR for Chinese, Japanese kana
 * and Korean. Fontsource splits each font into files by Unicode range (its CSS says which), so only
 * the files that hold the characters of a text are registered, once each.
 */
const FONT_PACKAGES = ['@fontsource/noto-sans', '@fontsource/noto-sans-sc', '@fontsource/noto-sans-kr'] as const;
type FontPackage = (typeof FONT_PACKAGES)[number];

interface FontFile {
  readonly path: string;
  readonly alias: string;
  readonly ranges: readonly (readonly [number, number])[];
}

const require = createRequire(import.meta.url);
let files: ReadonlyMap<FontPackage, readonly FontFile[]> | undefined;
const registered = new Set<string>();

function fontFiles(): ReadonlyMap<FontPackage, readonly FontFile[]> {
  if (files) return files;
  const loaded = new Map<FontPackage, FontFile[]>();
  for (const pkg of FONT_PACKAGES) {
    const css = require.resolve(`${pkg}/400.css`);
    const text = readFileSync(css, 'utf8');
    const list: FontFile[] = [];
    for (const block of text.split('@font-face').slice(1)) {
      const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
      const ranges = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
      if (!file || !ranges) continue;
      list.push({ path: join(dirname(css), 'files', file), alias: `bridges-${file.replace(/\.woff2$/, '')}`, ranges: parseRanges(ranges) });
    }
    loaded.set(pkg, list);
  }
  files = loaded;
  return loaded;
}

function parseRanges(text: string): [number, number][] {
  return text.split(',').map((part) => {
    const [from = '0', to] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(from, 16);
    return [start, to === undefined ? start : parseInt(to, 16)];
  });
}

function covers(file: FontFile, codePoint: number): boolean {
  return file.ranges.some(([from, to]) => codePoint >= from && codePoint <= to);
}

/** Korean readers see Han characters in Korean shapes; everyone else in the Chinese ones. */
function packageOrder(locale: string): readonly FontPackage[] {
  return locale === 'ko'
    ? ['@fontsource/noto-sans', '@fontsource/noto-sans-kr', '@fontsource/noto-sans-sc']
    : ['@fontsource/noto-sans', '@fontsource/noto-sans-sc', '@fontsource/noto-sans-kr'];
}

/** Whether a bundled font has a glyph for every character (spaces aside). */
export function isDrawable(text: string): boolean {
  const all = [...fontFiles().values()].flat();
  return [...text].every((char) => /\s/.test(char) || all.some((file) => covers(file, char.codePointAt(0) ?? 0)));
}

/** Characters no bundled font can draw become `?`, so a label never shows as empty boxes. */
export function drawableText(text: string): string {
  return [...text].map((char) => (isDrawable(char) ? char : '?')).join('');
}

/**
 * Registers the font files the texts need and returns the CSS font-family list for them, in
 * fallback order; the canvas picks, for each character, the first family that has it.
 */
export function fontFamiliesFor(texts: readonly string[], locale: string): string {
  const codePoints = new Set<number>();
  for (const text of texts) for (const char of text) codePoints.add(char.codePointAt(0) ?? 0);
  const byPackage = fontFiles();
  const families: string[] = [];
  for (const pkg of packageOrder(locale)) {
    for (const file of byPackage.get(pkg) ?? []) {
      // The Latin file always: digits and punctuation of the figures are drawn with it.
      const needed = file.alias === 'bridges-noto-sans-latin-400-normal' || [...codePoints].some((codePoint) => covers(file, codePoint));
      if (!needed) continue;
      if (!registered.has(file.alias)) {
        GlobalFonts.registerFromPath(file.path, file.alias);
        registered.add(file.alias);
      }
      families.push(`"${file.alias}"`);
    }
  }
  return families.join(', ');
}
