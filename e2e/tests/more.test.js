// Attachments in the portal and the agent reply box, the history in words, and editing a
// calendar in the admin pages.
const test = require('node:test');
const assert = require('node:assert/strict');
const { open, signIn, shot, englishLeftovers, customerAddress, portalSignUp } = require('../lib');

const file = (name, text) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

test('attachments in the portal and the reply box; history lines by name', async () => {
  const customer = await open();
  const agent = await open();
  const email = customerAddress('e2e-files');
  try {
    const c = customer.page;
    await portalSignUp(c, { name: 'Fiona Files', email, password: 'fiona-secret-1' });
    await c.goto('/portal/new');
    await c.fill('#subject', 'Invoice is wrong (e2e files)');
    await c.fill('#body', 'The scan of the invoice is attached.');
    await c.setInputFiles('#files', [file('invoice-scan.txt', 'INVOICE 42 EUR')]);
    await shot(c, 'portal-new-attachment');
    await Promise.all([c.waitForURL(/\/portal\/requests\/\d+/), c.click('#submit-request')]);
    const id = c.url().match(/requests\/(\d+)/)[1];
    const link = c.locator('.files a', { hasText: 'invoice-scan.txt' });
    assert.equal(await link.count(), 1);
    const got = await customer.context.request.get(await link.getAttribute('href'));
    assert.equal(got.status(), 200);
    assert.equal(await got.text(), 'INVOICE 42 EUR');

    // The agent sees the file, answers with one and adds a note with another.
    const a = agent.page;
    await signIn(a, 'admin@example.com');
    await a.goto(`/tickets/${id}`);
    assert.equal(await a.locator('.msg .files a', { hasText: 'invoice-scan.txt' }).count(), 1);
    await a.fill('#reply-body', 'Here is the corrected invoice.');
    await a.setInputFiles('#reply-files', [file('invoice-fixed.txt', 'INVOICE 40 EUR')]);
    await Promise.all([a.waitForURL(/done=reply/), a.click('#send')]);
    await a.check('#kind-note');
    await a.fill('#reply-body', 'Ledger for colleagues.');
    await a.setInputFiles('#reply-files', [file('ledger.txt', 'secret')]);
    await Promise.all([a.waitForURL(/done=note/), a.click('#send')]);
    assert.equal(await a.locator('.msg.note .files a', { hasText: 'ledger.txt' }).count(), 1);

    // The history names what happened, SLA clocks included, with no raw event kinds.
    await a.locator('details.card summary', { hasText: 'History' }).click();
    const history = await a.locator('.history').innerText();
    assert.match(history, /SLA clock started: first response, due \d{4}-\d\d-\d\d \d\d:\d\d/);
    assert.match(history, /SLA target met: first response/);
    assert.match(history, /file attached: invoice-scan\.txt/);
    assert.doesNotMatch(history, /sla\.|message\.created|other change/);
    await shot(a, 'ticket-attachments-history');

    // The customer gets the reply's file, not the note's.
    await c.reload();
    assert.equal(await c.locator('.files a', { hasText: 'invoice-fixed.txt' }).count(), 1);
    assert.equal(await c.locator('text=ledger.txt').count(), 0);
    await c.fill('#reply-body', 'Thanks, a photo of the receipt too.');
    await c.setInputFiles('#reply-files', [file('receipt.txt', 'RECEIPT')]);
    // A file dropped on the form joins the chosen ones.
    const dropped = await c.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['DROPPED'], 'dropped.txt', { type: 'text/plain' }));
      return dt;
    });
    await c.dispatchEvent('#reply-body', 'drop', { dataTransfer: dropped });
    assert.equal(await c.evaluate(() => document.querySelector('#reply-files').files.length), 2);
    await Promise.all([c.waitForURL(new RegExp(`/portal/requests/${id}$`)), c.click('#portal-send')]);
    assert.equal(await c.locator('.msg.customer .files a', { hasText: 'receipt.txt' }).count(), 1);
    assert.equal(await c.locator('.msg.customer .files a', { hasText: 'dropped.txt' }).count(), 1);
    await shot(c, 'portal-request-attachments');
    const noteHref = await a.locator('.msg.note .files a').getAttribute('href');
    const refused = await customer.context.request.get(`/portal${noteHref}`);
    assert.equal(refused.status(), 404);
  } finally {
    await customer.close();
    await agent.close();
  }
});

test('an admin edits a calendar and is told why it cannot be deleted', async () => {
  const b = await open();
  try {
    const p = b.page;
    await signIn(p, 'admin@example.com');
    await p.goto('/admin/settings/calendars');
    const area = p.locator('textarea[id^="j-"]').first();
    const json = JSON.parse(await area.inputValue());
    json.name = `${json.name} (edited)`;
    await area.fill(JSON.stringify(json, null, 2));
    await Promise.all([
      p.waitForURL(/done=1/),
      p.locator('.card', { has: area }).locator('button[type=submit]').first().click(),
    ]);
    assert.ok(await p.locator('h2', { hasText: '(edited)' }).count());
    await shot(p, 'admin-calendars-edited');
    // In use by SLA policies: deleting it is refused with an explanation.
    p.once('dialog', (d) => d.accept());
    await Promise.all([
      p.waitForURL(/error=calendar_in_use/),
      p.locator('.card', { has: p.locator('h2', { hasText: '(edited)' }) }).locator('button', { hasText: 'Delete' }).click(),
    ]);
    assert.ok(await p.locator('.error', { hasText: 'SLA policies use this calendar' }).count());
    await p.goto('/admin/tags');
    await shot(p, 'admin-tags');
  } finally {
    await b.close();
  }
});

test('a Russian supervisor: admin pages, notifications and settings have no English UI words', async () => {
  const b = await open({ locale: 'ru-RU' });
  try {
    const p = b.page;
    await signIn(p, 'lead@example.com'); // Ольга, supervisor, works in Russian
    // Content, not interface: a demo organisation is called "Open Data Foundation".
    const text = async () => (await page()).replace(/Open Data Foundation/g, ' ');
    const page = () => p.evaluate(() => document.body.innerText + ' ' + [...document.querySelectorAll('[placeholder],[aria-label],[data-confirm]')]
      .map((e) => ['placeholder', 'aria-label', 'data-confirm'].map((a) => e.getAttribute(a) || '').join(' ')).join(' '));
    await p.goto('/admin');
    await p.waitForURL(/\/admin\/settings\/macros/);
    for (const path of ['/admin/settings/macros', '/admin/settings/triggers', '/admin/tags', '/admin/categories', '/admin/customers', '/admin/organizations', '/notifications', '/settings']) {
      await p.goto(path);
      assert.deepEqual(englishLeftovers(await text()), [], path);
    }
    await p.goto('/admin/customers');
    await p.locator('table.list tbody a').first().click();
    assert.deepEqual(englishLeftovers(await text()), [], 'customer page');
    await shot(p, 'ru-admin-customer');
    await p.goto('/admin/tags');
    await shot(p, 'ru-admin-tags');
    await p.goto('/notifications');
    await shot(p, 'ru-notifications');
  } finally {
    await b.close();
  }
});

test('a canned response goes into the reply box with a keystroke, to edit before sending', async () => {
  const b = await open();
  try {
    const p = b.page;
    await signIn(p, 'lead@example.com');
    await p.goto('/admin/settings/macros');
    await p.fill('#canned-name', 'Thanks for waiting');
    await p.fill('#canned-body', 'Thank you for waiting, {{customer.name}}.');
    await Promise.all([p.waitForURL(/done=1/), p.locator('#canned-form button[type=submit]').click()]);
    await p.goto('/');
    await p.locator('table.q tbody tr a').first().click();
    await p.waitForURL(/\/tickets\//);
    await p.selectOption('#macro', { label: 'Thanks for waiting' });
    await p.locator('body').click({ position: { x: 5, y: 5 } });
    await p.keyboard.press('c');
    const text = await p.inputValue('#reply-body');
    assert.match(text, /^Thank you for waiting, .+\.$/);
    assert.ok(!text.includes('{{'), 'placeholders are filled for this ticket');
  } finally {
    await b.close();
  }
});
