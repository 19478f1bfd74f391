// Two agents on one ticket see each other (viewing, then typing); a reply by one appears for the
// other without reloading (SSE).
const test = require('node:test');
const assert = require('node:assert/strict');
const { open, signIn, shot } = require('../lib');

test('collision notice and live thread', async () => {
  const one = await open();
  const two = await open();
  try {
    await signIn(one.page, 'admin@example.com');
    await signIn(two.page, 'lead@example.com');
    await one.page.goto('/?view=all');
    const href = await one.page.locator('table.q tbody tr').first().getAttribute('data-href');
    await one.page.goto(href);
    await two.page.goto(href);

    await one.page.waitForSelector('#collision .who-else', { timeout: 15000 });
    assert.match(await one.page.textContent('#collision'), /Ольга Смирнова/);
    await two.page.waitForSelector('#collision .who-else', { timeout: 15000 });
    assert.match(await two.page.textContent('#collision'), /Alex Morgan/);

    await two.page.click('#reply-body');
    await two.page.keyboard.type('Typing a careful answer');
    await one.page.waitForFunction(() => /typing|пишет/.test(document.querySelector('#collision').textContent), null, { timeout: 15000 });
    await shot(one.page, 'collision');

    // Live: the other agent's note appears in the first agent's thread without a reload.
    await two.page.click('#kind-note');
    await Promise.all([two.page.waitForURL(/done=note/), two.page.click('#send')]);
    await one.page.waitForSelector('.msg.note:has-text("Typing a careful answer")', { timeout: 15000 });
    await shot(one.page, 'live-update');
  } finally {
    await one.close();
    await two.close();
  }
});
