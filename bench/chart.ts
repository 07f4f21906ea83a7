import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import type { LoadStep } from './load';

/** One line per server and side: p99 latency against offered load, with the 200 ms line. */
export async function drawLoadChart(
  series: { server: string; steps: LoadStep[] }[],
  file: string,
): Promise<void> {
  const colours = ['#1d70b8', '#d4351c', '#00703c', '#f47738'];
  const datasets = series.flatMap(({ server, steps }, s) =>
    (['case', 'baseline'] as const).map((side, i) => ({
      label: `${server}: ${side === 'case' ? 'case action' : 'bare update'} p99`,
      data: steps.map((st) => ({ x: st.offeredPerSecond, y: st[side].p99 })),
      borderColor: colours[(s * 2 + i) % colours.length],
      borderDash: side === 'baseline' ? [6, 4] : [],
      fill: false,
    })),
  );
  datasets.push({
    label: 'p99 limit (200 ms)',
    data: series[0]!.steps.map((st) => ({ x: st.offeredPerSecond, y: 200 })),
    borderColor: '#505a5f',
    borderDash: [2, 2],
    fill: false,
  });
  const config = {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: false,
      scales: {
        x: { type: 'logarithmic', title: { display: true, text: 'offered actions per second (open loop)' } },
        y: { type: 'logarithmic', title: { display: true, text: 'p99 latency (ms)' } },
      },
      plugins: { title: { display: true, text: 'Case action against a bare update, under load' } },
    },
  };
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 960, height: 560 } });
    await page.setContent('<canvas id="c" width="940" height="540"></canvas>');
    await page.addScriptTag({
      content: readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8'),
    });
    // Runs in the page, where chart.js has put `Chart` on the global object.
    await page.evaluate((c) => {
      const g = globalThis as unknown as {
        Chart: new (el: unknown, cfg: unknown) => unknown;
        document: { getElementById(id: string): unknown };
      };
      new g.Chart(g.document.getElementById('c'), c);
    }, config);
    await page.locator('#c').screenshot({ path: file });
  } finally {
    await browser.close();
  }
}
