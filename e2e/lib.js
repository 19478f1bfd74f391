// Shared helpers for the browser tests: a fresh Chromium profile per user, sign-in, screenshots.
const { chromium } = require('playwright-core');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BASE = process.env.FERRODESK_URL || 'http://127.0.0.1:8080';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'ferrodesk-demo';
const SHOTS = path.join(__dirname, 'screenshots');

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** A browser with its own fresh user-data-dir; returns { context, page, close }. */
async function open(options = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fd-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: options.viewport || { width: 1280, height: 860 },
    locale: options.locale || 'en-US',
    baseURL: BASE,
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] || (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function signIn(page, email) {
  await page.goto('/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#sign-in')]);
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The English interface strings (those Russian translates differently) found in `text`. */
function englishLeftovers(text) {
  const bundle = (lang) => {
    const src = fs.readFileSync(path.join(__dirname, '../crates/web/locales', lang, 'main.ftl'), 'utf8');
    const out = {};
    for (const line of src.split('\n')) {
      const m = line.match(/^([a-z][a-z0-9-]*) = (.+)$/);
      if (m && !m[2].includes('{')) out[m[1]] = m[2].trim();
    }
    return out;
  };
  const en = bundle('en');
  const ru = bundle('ru');
  const esc = (v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Object.entries(en)
    .filter(([k, v]) => ru[k] !== v && v.length >= 3)
    .filter(([, v]) => new RegExp(`(^|[^A-Za-z])${esc(v)}([^A-Za-z]|$)`).test(text))
    .map(([k, v]) => `${k}: ${v}`);
}

module.exports = { BASE, PASSWORD, open, signIn, shot, englishLeftovers };
