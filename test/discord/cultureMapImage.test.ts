import { Image } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { cultureMap, type ConversationCultures } from '../../src/core/cultureMap.ts';
import { REGION_CODES } from '../../src/core/languageCodes.ts';
import { SUPPORTED_LOCALES } from '../../src/core/locales.ts';
import { translator } from '../../src/discord/i18n.ts';
import { cultureMapImage, cultureMapReply, CULTURE_MAP_FILE } from '../../src/discord/mapMessages.ts';
import { drawableText, isDrawable } from '../../src/discord/mapFonts.ts';
import { profileEntryPlainLabel } from '../../src/discord/profileText.ts';

/** Four members from Japan and Brazil meet in three conversations; two from Germany and Mexico twice. */
const HISTORY: ConversationCultures[] = [
  { memberIds: ['u1', 'u2'], cultures: { u1: ['JP'], u2: ['BR'] } },
  { memberIds: ['u3', 'u4'], cultures: { u3: ['JP'], u4: ['BR'] } },
  { memberIds: ['u1', 'u4'], cultures: { u1: ['JP'], u4: ['BR'] } },
  { memberIds: ['u5', 'u6', 'u7'], cultures: { u5: ['UA'], u6: ['JP'], u7: ['IN'] } },
  { memberIds: ['u8', 'u9'], cultures: { u8: ['UA'], u9: ['IN'] } },
  { memberIds: ['u10', 'u11'], cultures: { u10: ['UA'], u11: ['IN'] } },
  { memberIds: ['u12', 'u13'], cultures: { u12: ['DE'], u13: ['MX'] } },
  { memberIds: ['u12', 'u13'], cultures: { u12: ['DE'], u13: ['MX'] } },
];

function decode(png: Buffer): Image {
  const image = new Image();
  image.src = png;
  return image;
}

describe('the culture map image', () => {
  it('is drawn from the counts of a known history, as a PNG that decodes at the size reported', () => {
    const map = cultureMap(HISTORY);
    expect(map.pairs).toEqual([
      { a: 'BR', b: 'JP', conversations: 3, members: 4 },
      { a: 'IN', b: 'UA', conversations: 3, members: 6 },
    ]);
    // UA–JP and JP–IN once each (the trio) and DE–MX twice: two members behind each, five in all.
    expect(map.other).toEqual({ conversations: 4, members: 5 });
    for (const locale of ['en-US', 'ja', 'hi', 'uk'] as const) {
      const { png, width, height } = cultureMapImage(map, translator(locale));
      expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const image = decode(png);
      expect([image.width, image.height]).toEqual([width, height]);
      expect(width).toBeGreaterThanOrEqual(480);
      expect(height).toBeGreaterThan(map.cultures.length * 52);
    }
  });

  it('is sent as an attachment with the counts explained, and not at all when no pair may be shown', () => {
    const tr = translator('en-US');
    const reply = cultureMapReply(cultureMap(HISTORY), tr);
    expect(reply.files).toHaveLength(1);
    expect(reply.files[0]?.name).toBe(CULTURE_MAP_FILE);
    expect(reply.content).toContain('fewer than 3 members');
    expect(reply.allowedMentions).toEqual({ parse: [] });
    const empty = cultureMapReply(cultureMap(HISTORY.slice(6)), tr);
    expect(empty.files).toEqual([]);
    expect(empty.content).toContain('`/exchange profile`');
  });

  it('has a glyph for every culture name in every language Bridges speaks', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const code of REGION_CODES) expect(isDrawable(profileEntryPlainLabel('cultures', code, locale)), `${locale} ${code}`).toBe(true);
    }
  });

  it('draws a question mark for characters no bundled font has, never empty boxes', () => {
    expect(drawableText('🎌 anime')).toBe('? anime');
    expect(drawableText('Україна भारत 日本 한국')).toBe('Україна भारत 日本 한국');
  });
});
