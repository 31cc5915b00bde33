// Opens an SVG file in headless Chromium (Debian's, driven by playwright-core) and prints, as
// JSON, every <text> the browser drew with its box on the page; with a third argument, a
// screenshot of the page as PNG. Run inside a test sandbox (its own network namespace with
// only lo), so the browser reaches nothing: `node render-svg.js FILE.svg PROFILE_DIR [SHOT.png]`.
import { chromium } from 'playwright-core';

export interface DrawnText {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  visible: boolean;
}

const [svgPath, profile, shot] = process.argv.slice(2);
// a fresh profile directory each run (playwright passes it as --user-data-dir)
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(`file://${svgPath}`);
  const texts: DrawnText[] = await page.evaluate(() =>
    [...document.querySelectorAll('text')].map((t) => {
      const r = t.getBoundingClientRect();
      const style = getComputedStyle(t);
      return { text: t.textContent ?? '', x: r.x, y: r.y, width: r.width, height: r.height, visible: style.visibility !== 'hidden' && style.display !== 'none' && r.width > 0 && r.height > 0 };
    }),
  );
  if (shot) {
    // a full-page screenshot of a bare SVG document never settles: the viewport is made its size
    const size = await page.evaluate(() => {
      const r = document.documentElement.getBoundingClientRect();
      return { width: Math.ceil(r.width), height: Math.ceil(r.height) };
    });
    await page.setViewportSize(size);
    await page.screenshot({ path: shot });
  }
  process.stdout.write(JSON.stringify(texts));
} finally {
  await browser.close();
}
