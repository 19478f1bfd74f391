// The API docs page: lists the endpoints of /api/v1/openapi.json, grouped by tag.
(async () => {
  const root = document.getElementById('root');
  const spec = await (await fetch('/api/v1/openapi.json')).json();
  const schemas = (spec.components && spec.components.schemas) || {};
  const resolve = (s, depth = 0) => {
    if (!s || depth > 4) return s;
    if (s.$ref) return resolve(schemas[s.$ref.split('/').pop()], depth + 1);
    return s;
  };
  const show = (s) => {
    const r = resolve(s);
    if (!r) return '';
    if (r.properties) {
      const o = {};
      for (const [k, v] of Object.entries(r.properties)) {
        const t = resolve(v) || {};
        o[k] = t.enum ? t.enum.join(' | ') : (Array.isArray(t.type) ? t.type.join('|') : (t.type || (v.$ref ? v.$ref.split('/').pop() : 'object')));
      }
      return JSON.stringify(o, null, 2);
    }
    return JSON.stringify(r, null, 2);
  };
  const esc = (t) => String(t).replace(/[&<>]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
  const byTag = {};
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags && op.tags[0]) || 'other';
      (byTag[tag] = byTag[tag] || []).push({path, method, op});
    }
  }
  let html = `<p>${esc(spec.info.description || '')}</p>`;
  for (const [tag, ops] of Object.entries(byTag)) {
    html += `<h2>${esc(tag)}</h2>`;
    for (const {path, method, op} of ops) {
      html += `<details><summary><span class="m ${method}">${method.toUpperCase()}</span><code>${esc(path)}</code><span>${esc(op.summary || '')}</span></summary><div class="body">`;
      if (op.description) html += `<p>${esc(op.description)}</p>`;
      if (op.parameters) html += '<p>Parameters: ' + op.parameters.map(p => `<code>${esc(p.name)}</code> (${esc(p.in)})`).join(', ') + '</p>';
      const body = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
      if (body) html += `<p>Request body:</p><pre>${esc(show(body.schema))}</pre>`;
      for (const [code, res] of Object.entries(op.responses || {})) {
        const c = res.content && res.content['application/json'];
        html += `<p>Response <b>${esc(code)}</b> ${esc(res.description || '')}</p>` + (c ? `<pre>${esc(show(c.schema))}</pre>` : '');
      }
      html += '</div></details>';
    }
  }
  root.innerHTML = html;
})();
