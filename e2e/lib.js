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
    const src = fs.readFileSync(path.join(__dirname, '../crates/web-shell/locales', lang, 'main.ftl'), 'utf8');
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

const MAIL_DIR = process.env.FERRODESK_MAIL_DIR || '/tmp/ferrodesk-mailserver';

/** A fresh address that the test mail server delivers (to the customer@ mailbox). */
function customerAddress(tag) {
  return `customer+${tag}-${Date.now()}@example.test`;
}

/** The body of a MIME part as text (quoted-printable or base64 undone). */
function decodeBody(raw) {
  const split = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split).trim();
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body, 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  return body;
}

/** Waits for the mail to `to` in the test mail server's Maildir and returns its first link. */
async function mailedLink(to, timeoutMs = 20000) {
  const root = path.join(MAIL_DIR, 'mail', 'customer', 'Maildir');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const sub of ['new', 'cur']) {
      const dir = path.join(root, sub);
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir)) {
        const raw = fs.readFileSync(path.join(dir, f), 'utf8');
        if (!raw.toLowerCase().includes(to.toLowerCase())) continue;
        const link = decodeBody(raw).match(/https?:\/\/\S+/);
        if (link) return link[0];
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no mail with a link reached ${to} in ${MAIL_DIR} within ${timeoutMs} ms`);
}

/** Signs a customer up on the portal: the form, then the link from the mail it sends. */
async function portalSignUp(page, { name, email, password }) {
  if (!page.url().includes('/portal/signup')) await page.goto('/portal/signup');
  await page.fill('#name', name);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('#portal-sign-up');
  await page.waitForSelector('p.notice');
  const link = await mailedLink(email);
  await page.goto(link);
  await page.waitForURL(/\/portal$/);
}

module.exports = { BASE, PASSWORD, open, signIn, shot, englishLeftovers, customerAddress, mailedLink, portalSignUp };
