// A customer submits a request in the portal, sees the agent's reply, and answers.
const test = require('node:test');
const assert = require('node:assert/strict');
const { open, signIn, shot, PASSWORD, customerAddress, portalSignUp } = require('../lib');

test('customer request, agent reply, customer answer', async () => {
  const customer = await open();
  const agent = await open();
  const email = customerAddress('e2e');
  try {
    const c = customer.page;
    await c.goto('/portal');
    await shot(c, 'portal-login');
    await c.click('text=Create an account');
    await portalSignUp(c, { name: 'Erin Example', email, password: 'erin-secret-1' });
    await c.click('#new-request');
    await c.fill('#subject', 'My kettle does not boil (e2e)');
    await c.fill('#category', 'hardware');
    await c.fill('#body', 'It switches off after two seconds.');
    await shot(c, 'portal-new');
    await Promise.all([c.waitForURL(/\/portal\/requests\/\d+/), c.click('#submit-request')]);
    const id = c.url().match(/requests\/(\d+)/)[1];
    assert.ok(await c.locator('#conversation', { hasText: 'two seconds' }).count());

    // The agent (admin sees every queue) replies publicly.
    const a = agent.page;
    await signIn(a, 'admin@example.com');
    await a.goto(`/tickets/${id}`);
    await a.fill('#reply-body', 'Please try descaling it with citric acid.');
    await Promise.all([a.waitForURL(/done=reply/), a.click('#send')]);

    // The customer sees the reply and answers.
    await c.reload();
    assert.ok(await c.locator('.msg.agent', { hasText: 'citric acid' }).count());
    await c.fill('#reply-body', 'That worked, thank you!');
    await Promise.all([c.waitForURL(new RegExp(`/portal/requests/${id}$`)), c.click('#portal-send')]);
    assert.ok(await c.locator('.msg.customer', { hasText: 'That worked' }).count());
    await shot(c, 'portal-request');

    // The agent sees the answer.
    await a.goto(`/tickets/${id}`);
    assert.ok(await a.locator('.msg.customer', { hasText: 'That worked' }).count());

    // Admin pages (the agent here is the admin).
    await a.goto('/admin/agents');
    assert.ok(await a.locator('text=john@example.com').count());
    await shot(a, 'admin-agents');
    await a.goto('/admin/teams');
    await shot(a, 'admin-teams');
    await a.goto('/admin/settings/sla');
    await shot(a, 'admin-sla');

    // The list of my requests.
    await c.goto('/portal');
    assert.ok(await c.locator('table.list', { hasText: 'My kettle' }).count());
    await shot(c, 'portal-home');

    // The embeddable form.
    await c.goto('/portal/form');
    await shot(c, 'portal-web-form');
    assert.ok(PASSWORD);
  } finally {
    await customer.close();
    await agent.close();
  }
});
