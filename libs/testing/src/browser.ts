import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig, projectRoot } from '../../core/src/index.js';

/** Debian's Chromium, headless, with software WebGL (SwiftShader) and no background traffic. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: loadConfig().CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Where browser specs keep a screenshot per view. */
export function screenshotPath(name: string): string {
  const dir = join(projectRoot(), 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
