// An agent signs in, opens a queue, opens a ticket, replies, adds a note, changes status and
// assignee; keyboard shortcuts and the help overlay; the queue on a phone.
const test = require('node:test');
const assert = require('node:assert/strict');
const { open, signIn, shot } = require('../lib');

test('agent works a ticket from the queue', async () => {
  const b = await open();
  const page = b.page;
  try {
    await page.goto('/login');
    await shot(page, 'login');
    await page.fill('#email', 'john@example.com');
    await page.fill('#password', 'wrong-password');
    await page.click('#sign-in');
    assert.match(await page.textContent('#login-error'), /wrong/);
    await signIn(page, 'john@example.com');

    // Views with counts; open the team queue.
    const teamLink = page.locator('.views a', { hasText: 'Line 1' });
    await teamLink.click();
    await page.waitForURL(/view=team-/);
    assert.ok((await page.locator('table.q tbody tr').count()) > 0, 'the queue has tickets');
    await shot(page, 'queue');

    // Keyboard: j selects the first row, Enter opens it.
    await page.keyboard.press('j');
    await Promise.all([page.waitForURL(/\/tickets\/\d+/), page.keyboard.press('Enter')]);
    const ticketUrl = page.url();

    // Help overlay.
    await page.keyboard.press('?');
    assert.equal(await page.isVisible('#help'), true);
    await shot(page, 'help-overlay');
    await page.keyboard.press('Escape');
    assert.equal(await page.isVisible('#help'), false);

    // Reply.
    await page.keyboard.press('r');
    await page.keyboard.type('Hello! We are looking into it. (e2e reply)');
    await Promise.all([page.waitForURL(/done=reply/), page.click('#send')]);
    assert.ok(await page.locator('.msg.agent', { hasText: 'e2e reply' }).count());

    // Internal note, sent with Ctrl+Enter.
    await page.keyboard.press('n');
    await page.keyboard.type('Checked the logs, nothing unusual. (e2e note)');
    await Promise.all([page.waitForURL(/done=note/), page.keyboard.press('Control+Enter')]);
    assert.ok(await page.locator('.msg.note', { hasText: 'e2e note' }).count());

    // Status and assignee.
    await page.selectOption('#f-status', 'on_hold');
    await page.selectOption('#f-assignee', { label: 'Анна Кузнецова' });
    await Promise.all([page.waitForURL(/done=saved/), page.click('#save-fields')]);
    assert.equal((await page.textContent('#ticket-status')).trim(), 'On hold');
    assert.equal(await page.locator('#f-assignee option:checked').textContent(), 'Анна Кузнецова');
    assert.ok(await page.locator('.history li', { hasText: 'Status: ' }).count());

    // Assign to me with the keyboard.
    await page.goto(ticketUrl);
    await Promise.all([page.waitForURL(/done=saved/), page.keyboard.press('a')]);
    assert.equal(await page.locator('#f-assignee option:checked').textContent(), 'John Carter');
    await page.locator('details.card summary').click();
    await shot(page, 'ticket');
    assert.ok(ticketUrl.includes('/tickets/'));

    // Page weight: HTML + CSS + JS under 100 KB.
    const weight = await page.evaluate(() =>
      performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
        .filter((e) => /\.(css|js)(\?|$)/.test(e.name) || e.entryType === 'navigation')
        .reduce((n, e) => n + (e.decodedBodySize || 0), 0));
    assert.ok(weight < 100 * 1024, `page weight ${weight} bytes`);
  } finally {
    await b.close();
  }
});

test('the queue is readable on a phone', async () => {
  const b = await open({ viewport: { width: 390, height: 844 } });
  try {
    await signIn(b.page, 'john@example.com');
    const overflow = await b.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 2, `no horizontal scrolling (overflow ${overflow}px)`);
    await shot(b.page, 'queue-phone');
    await b.page.locator('table.q tbody tr a').first().click();
    await b.page.waitForURL(/\/tickets\//);
    await shot(b.page, 'ticket-phone');
  } finally {
    await b.close();
  }
});
