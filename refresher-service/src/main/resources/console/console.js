'use strict';
// The operator console: renders the server's pushed view (server-sent events), runs countdowns between pushes,
// and sends refresh commands. Every value goes in through textContent: nothing from the server is parsed as HTML.
(function () {
  let session = null;
  let view = null;
  let offset = 0; // server clock minus this browser's clock, from the last push

  const $ = (id) => document.getElementById(id);

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    const negative = ms < 0;
    let s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    const text = (h > 0 ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(s).padStart(2, '0');
    return negative ? '−' + text : text;
  }

  function time(ms) {
    return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
  }

  function now() { return Date.now() + offset; }

  function tick() {
    if (!view) return;
    document.querySelectorAll('[data-until]').forEach((cell) => {
      cell.textContent = duration(Number(cell.dataset.until) - now());
    });
  }

  function quotaCell(quota, force) {
    const cell = el('td', null, 'quota');
    if (quota) cell.appendChild(quotaLine('', quota));
    if (force) cell.appendChild(quotaLine('force ', force));
    return cell;
  }

  function quotaLine(label, quota) {
    const cell = el('div');
    const bar = el('span', null, 'bar' + (quota.limit > 0 && quota.used / quota.limit > 0.8 ? ' high' : ''));
    const fill = el('span');
    fill.style.width = Math.min(100, quota.limit > 0 ? (100 * quota.used) / quota.limit : 100) + '%';
    bar.appendChild(fill);
    cell.appendChild(bar);
    cell.appendChild(el('span', ' ' + label + quota.used + ' used, ' + Math.max(0, quota.limit - quota.used) + ' left', 'quota-text'));
    return cell;
  }

  function renderTokens() {
    const body = $('tokens').tBodies[0];
    body.replaceChildren();
    for (const t of view.tokens) {
      const row = el('tr');
      row.dataset.key = t.key;
      const key = el('td', t.key, 'key');
      key.addEventListener('click', () => showHistory(t.key));
      row.appendChild(key);
      row.appendChild(el('td', t.api));
      row.appendChild(el('td', t.version ? 'v' + t.version : '–', 'num version'));
      row.appendChild(el('td', t.state + (t.retrying ? ' · ' + t.retrying : ''), 'state state-' + t.state));
      const expires = el('td', null, 'num expires-in');
      if (t.expiresAt) expires.dataset.until = t.expiresAt;
      row.appendChild(expires);
      const next = el('td', null, 'num next-refresh-in');
      if (t.nextRefreshAt) next.dataset.until = t.nextRefreshAt;
      row.appendChild(next);
      const o = t.lastOutcome;
      row.appendChild(el('td', o ? o.outcome + (o.errorCode ? ' ' + o.errorCode : '') + ' · ' + time(o.at) : '–',
        'last-outcome' + (o ? ' outcome-' + o.outcome : '')));
      row.appendChild(quotaCell(t.quota, t.forceQuota));
      const fleet = el('td', null, 'fleet');
      fleet.appendChild(el('span', t.fleet.current + ' current', 'current'));
      for (const l of t.fleet.behind) {
        fleet.appendChild(el('div', l.instanceId + ' behind on v' + l.heldVersion + ' for ' + duration(l.behindForMs), 'laggard'));
      }
      row.appendChild(fleet);
      const actions = el('td');
      const refresh = el('button', 'Refresh', 'refresh');
      refresh.type = 'button';
      refresh.addEventListener('click', () => send(t.key, false));
      actions.appendChild(refresh);
      if (t.forceQuota) {
        const force = el('button', 'Force…', 'force');
        force.type = 'button';
        force.addEventListener('click', () => confirmForce(t));
        actions.appendChild(force);
      }
      row.appendChild(actions);
      body.appendChild(row);
    }
    $('not-shown').textContent = view.tokensNotShown > 0 ? view.tokensNotShown + ' more keys not shown' : '';
  }

  // Whether an instance verifies records' signatures; a library older than signing does not say.
  function signatures(s) {
    if (!s) return 'not reported';
    return s.verified ? 'verified (' + s.kids.join(', ') + ')' : 'OFF';
  }

  function renderInstances() {
    const behind = new Map();
    for (const t of view.tokens) for (const l of t.fleet.behind) behind.set(l.instanceId, (behind.get(l.instanceId) || []).concat(t.key));
    const body = $('instances').tBodies[0];
    body.replaceChildren();
    if (view.instances.length === 0) {
      const none = el('td', 'no consumer has sent a heartbeat yet', 'muted');
      none.colSpan = 8;
      body.appendChild(el('tr')).appendChild(none);
    }
    for (const i of view.instances) {
      const lagging = behind.get(i.instanceId);
      const row = el('tr', null, lagging ? 'behind' : '');
      row.dataset.instance = i.instanceId;
      row.appendChild(el('td', i.instanceId));
      row.appendChild(el('td', i.service));
      row.appendChild(el('td', i.host));
      row.appendChild(el('td', i.libraryVersion));
      row.appendChild(el('td', signatures(i.signatures), 'signatures'));
      row.appendChild(el('td', time(i.lastSeen)));
      row.appendChild(el('td', i.held, 'num'));
      let status = i.live ? (lagging ? 'BEHIND on ' + lagging.join(', ') : 'current') : 'silent';
      if (i.brokerContactLost) status += ' · broker contact lost';
      row.appendChild(el('td', status, 'status' + (lagging ? ' laggard' : '')));
      body.appendChild(row);
    }
  }

  function renderDeadLetters() {
    const body = $('dead-letters').tBodies[0];
    body.replaceChildren();
    if (view.deadLetters.length === 0) {
      const none = el('td', 'none in the last 7 days', 'muted');
      none.colSpan = 5;
      body.appendChild(el('tr')).appendChild(none);
    }
    for (const d of view.deadLetters) {
      const row = el('tr');
      [time(d.at), d.problem, d.message, d.from, d.valueSize].forEach((v) => row.appendChild(el('td', v)));
      body.appendChild(row);
    }
  }

  function render() {
    $('served-by').textContent = view.servedBy;
    $('leader').textContent = view.leader || 'none';
    $('replicas').textContent = view.replicas.map((r) => r.instanceId).join(', ') || 'none seen';
    $('problems').textContent = view.problems.join(' · ');
    renderTokens();
    renderInstances();
    renderDeadLetters();
    tick();
  }

  async function showHistory(key) {
    const [kind, account] = key.split('/');
    const answer = await fetch('/console/api/keys/' + encodeURIComponent(kind) + '/' + encodeURIComponent(account) + '/history');
    if (!answer.ok) return;
    const history = await answer.json();
    $('history').hidden = false;
    $('history-key').textContent = key;
    const body = $('history-table').tBodies[0];
    body.replaceChildren();
    for (const h of history) {
      const row = el('tr');
      const who = h.onBehalfOf ? h.requestedBy + ' for ' + h.onBehalfOf : h.requestedBy;
      [time(h.at), h.outcome, h.reason, h.version, h.fingerprint, who,
        [h.errorCode, h.errorMessage].filter(Boolean).join(' '), h.durationMs, h.refresher]
        .forEach((v) => row.appendChild(el('td', v === null || v === undefined ? '' : v)));
      body.appendChild(row);
    }
  }

  function confirmForce(token) {
    $('confirm-text').textContent = 'Force a new ' + token.key + '? WeChat invalidates the current token and counts it against the force budget.';
    $('confirm-quota').textContent = Math.max(0, token.forceQuota.limit - token.forceQuota.used) + ' of ' + token.forceQuota.limit;
    $('confirm').hidden = false;
    $('confirm-yes').onclick = () => { $('confirm').hidden = true; send(token.key, true); };
    $('confirm-no').onclick = () => { $('confirm').hidden = true; };
  }

  async function send(key, force) {
    const [kind, account] = key.split('/');
    const headers = { 'Content-Type': 'application/json' };
    headers[session.csrfHeader] = session.csrfToken;
    const answer = await fetch('/console/api/keys/' + encodeURIComponent(kind) + '/' + encodeURIComponent(account) + '/refresh',
      { method: 'POST', headers, body: JSON.stringify({ force }) });
    const result = await answer.json().catch(() => ({}));
    $('command-result').textContent = answer.ok
      ? (force ? 'Force refresh' : 'Refresh') + ' of ' + key + ' sent as ' + session.operator + ' (command ' + result.commandId + ')'
      : 'Refused: ' + (result.error || answer.status);
  }

  function connect() {
    const events = new EventSource('/console/events');
    events.addEventListener('state', (event) => {
      view = JSON.parse(event.data);
      offset = view.now - Date.now();
      $('live').textContent = 'live';
      $('live').className = 'badge on';
      render();
    });
    events.onerror = () => { $('live').textContent = 'reconnecting…'; $('live').className = 'badge off'; };
  }

  async function start() {
    const answer = await fetch('/console/api/session');
    if (answer.status === 401) { window.location = '/login'; return; }
    session = await answer.json();
    $('operator').textContent = session.operator;
    const csrf = $('logout-csrf');
    csrf.name = '_csrf';
    csrf.value = session.csrfToken;
    connect();
    setInterval(tick, 250);
  }

  start();
})();
