import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { pairCount, type CultureMap } from '../core/cultureMap.ts';
import { drawableText, fontFamiliesFor } from './mapFonts.ts';

/** The words drawn on the map, already in the reader's language. */
export interface CultureMapTexts {
  readonly title: string;
  readonly subtitle: string;
  /** The line about merged pairs, or empty when nothing was merged. */
  readonly other: string;
  /** Each named culture's label, by code. */
  readonly labels: Readonly<Record<string, string>>;
}

/** An opaque card: Discord shows it on its dark and light themes alike, so it brings its own background. */
export const MAP_COLOURS = {
  background: '#F6F7F9',
  text: '#1B1F24',
  muted: '#4A5360',
  grid: '#D5D9E0',
  empty: '#FFFFFF',
  diagonal: '#E3E6EB',
  low: [222, 233, 250],
  high: [23, 64, 160],
} as const;

const CELL = 52;
const MARGIN = 28;
const LABEL_MAX_WIDTH = 210;
const TITLE_SIZE = 26;
const TEXT_SIZE = 15;
const COUNT_SIZE = 16;

export interface RenderedMap {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

/** Draws the map as a heat matrix: one row and one column per culture, conversations in each cell. */
export function renderCultureMap(
  map: CultureMap,
  texts: CultureMapTexts,
  locale: string,
  formatNumber: (n: number) => string,
): RenderedMap {
  const labels = map.cultures.map((code) => drawableText(texts.labels[code] ?? code));
  const title = drawableText(texts.title);
  const subtitle = drawableText(texts.subtitle);
  const other = drawableText(texts.other);
  const families = fontFamiliesFor([title, subtitle, other, ...labels, '0123456789—…'], locale);
  const font = (size: number, weight = '') => `${weight} ${size}px ${families}`.trim();

  const measure = createCanvas(1, 1).getContext('2d');
  measure.font = font(TEXT_SIZE);
  const fitted = labels.map((label) => fitWidth(measure, label, LABEL_MAX_WIDTH));
  const labelWidth = Math.max(60, ...fitted.map((label) => Math.ceil(measure.measureText(label).width)));
  const n = map.cultures.length;
  // Column labels are drawn at 45°, so they need as much height as the longest label is wide, times sin 45°.
  const headerHeight = Math.ceil(labelWidth * Math.SQRT1_2) + 24;
  const top = MARGIN + TITLE_SIZE + 12 + TEXT_SIZE + 18;
  const gridLeft = MARGIN + labelWidth + 12;
  const gridTop = top + headerHeight;
  measure.font = font(TITLE_SIZE, 'bold');
  const titleWidth = measure.measureText(title).width;
  measure.font = font(TEXT_SIZE);
  const textWidth = Math.max(measure.measureText(subtitle).width, measure.measureText(other).width);
  const width = Math.ceil(Math.max(gridLeft + n * CELL + headerHeight, MARGIN * 2 + titleWidth, MARGIN * 2 + textWidth, 480));
  const height = gridTop + n * CELL + (other ? TEXT_SIZE + 24 : 0) + MARGIN;

  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = MAP_COLOURS.background;
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = MAP_COLOURS.text;
  ctx.font = font(TITLE_SIZE, 'bold');
  ctx.fillText(title, MARGIN, MARGIN + TITLE_SIZE);
  ctx.fillStyle = MAP_COLOURS.muted;
  ctx.font = font(TEXT_SIZE);
  ctx.fillText(subtitle, MARGIN, MARGIN + TITLE_SIZE + 12 + TEXT_SIZE);

  const max = Math.max(1, ...map.pairs.map((pair) => pair.conversations));
  ctx.font = font(TEXT_SIZE);
  for (const [row, label] of fitted.entries()) {
    ctx.fillStyle = MAP_COLOURS.text;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(label, gridLeft - 10, gridTop + row * CELL + CELL / 2);
    // Column header, rotated so long names fit above a narrow column.
    ctx.save();
    ctx.translate(gridLeft + row * CELL + CELL / 2, gridTop - 8);
    ctx.rotate(-Math.PI / 4);
    ctx.textAlign = 'left';
    ctx.fillText(label, 0, 0);
    ctx.restore();
  }

  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const [row, rowCode] of map.cultures.entries()) {
    for (const [column, columnCode] of map.cultures.entries()) {
      const x = gridLeft + column * CELL;
      const y = gridTop + row * CELL;
      const count = row === column ? 0 : pairCount(map, rowCode, columnCode);
      const fill = row === column ? MAP_COLOURS.diagonal : count === 0 ? MAP_COLOURS.empty : heat(count / max);
      ctx.fillStyle = fill;
      ctx.fillRect(x, y, CELL, CELL);
      ctx.strokeStyle = MAP_COLOURS.grid;
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, CELL - 1, CELL - 1);
      if (count > 0) {
        ctx.fillStyle = isDark(fill) ? '#FFFFFF' : MAP_COLOURS.text;
        ctx.font = font(COUNT_SIZE, 'bold');
        ctx.fillText(formatNumber(count), x + CELL / 2, y + CELL / 2);
      }
    }
  }

  if (other) {
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillStyle = MAP_COLOURS.muted;
    ctx.font = font(TEXT_SIZE);
    ctx.fillText(other, MARGIN, gridTop + n * CELL + 12 + TEXT_SIZE);
  }
  return { png: canvas.toBuffer('image/png'), width, height };
}

/** The label shortened with an ellipsis to fit `max` pixels. */
function fitWidth(ctx: SKRSContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  const chars = [...text];
  while (chars.length > 1 && ctx.measureText(`${chars.join('')}…`).width > max) chars.pop();
  return `${chars.join('')}…`;
}

/** From light to dark blue as the share of the busiest cell grows. */
export function heat(share: number): string {
  const t = Math.min(1, Math.max(0, share));
  const channel = (i: 0 | 1 | 2) => Math.round(MAP_COLOURS.low[i] + (MAP_COLOURS.high[i] - MAP_COLOURS.low[i]) * t);
  return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
}

function isDark(colour: string): boolean {
  const [r = 255, g = 255, b = 255] = (colour.match(/\d+/g) ?? []).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 140;
}
