// Renders the tablet's app icons (client/public/icons/*.png) from one SVG drawing through the local Chromium,
// so the 联 glyph comes from an installed CJK font and no icon tool is needed: `npx tsx scripts/pwa-icons.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'client', 'public', 'icons');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A shield on the dark wall colour with 联 in it; `inset` shrinks the drawing into a maskable safe zone. */
function drawing(size: number, inset: number, rounded: boolean): string {
  const r = rounded ? size * 0.18 : 0;
  const s = size * (1 - 2 * inset);
  const o = size * inset;
  const shield = [
    [0.5, 0.1],
    [0.84, 0.22],
    [0.8, 0.58],
    [0.5, 0.9],
    [0.2, 0.58],
    [0.16, 0.22],
  ]
    .map(([x, y]) => `${o + (x ?? 0) * s},${o + (y ?? 0) * s}`)
    .join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="${r}" fill="#0b1220"/>
  <polygon points="${shield}" fill="#13233a" stroke="#4fb3ff" stroke-width="${s * 0.035}" stroke-linejoin="round"/>
  <text x="${o + s * 0.5}" y="${o + s * 0.53}" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
    font-size="${s * 0.4}" fill="#e8eef7" text-anchor="middle" dominant-baseline="middle">联</text>
</svg>`;
}

const ICONS = [
  { file: 'icon-192.png', size: 192, inset: 0, rounded: true },
  { file: 'icon-512.png', size: 512, inset: 0, rounded: true },
  // Maskable: the launcher crops to its own shape, keeping only the central 80 %.
  { file: 'icon-maskable-512.png', size: 512, inset: 0.1, rounded: false },
  { file: 'apple-touch-icon-180.png', size: 180, inset: 0.04, rounded: false },
];

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
try {
  fs.mkdirSync(OUT, { recursive: true });
  for (const icon of ICONS) {
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${drawing(icon.size, icon.inset, icon.rounded)}</body></html>`,
    );
    await page.screenshot({ path: path.join(OUT, icon.file), omitBackground: true });
    await page.close();
    console.log(`${icon.file} ${icon.size}×${icon.size}`);
  }
} finally {
  await browser.close();
}
