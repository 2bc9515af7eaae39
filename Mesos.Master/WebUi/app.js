// The master's web UI: plain ES module, no build step, nothing fetched from outside the master.
// Every page reads /ui/api/*; a global "as of" position shows the cluster as it was; Server-Sent Events
// re-render the page after each commit while the UI is live.

const main = document.getElementById('main');
const banner = document.getElementById('banner');
const liveStatus = document.getElementById('live-status');
const asofInput = document.getElementById('asof-input');

let asOf = null;          // null: live; else a log position
let livePosition = 0;     // last position the stream announced
let renderSeq = 0;        // drops renders overtaken by newer ones
let refresh = null;       // re-renders the current page on a new position (live only)
let tail = null;          // timer of the sandbox tail, stopped when the page changes

// ---------- helpers ----------

const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const num = (v, d = 2) => (v == null ? '' : Number(v).toLocaleString('en-US', { maximumFractionDigits: d }));
const mem = (mb) => (mb >= 1024 ? `${num(mb / 1024, 1)} GB` : `${num(mb, 0)} MB`);
const time = (t) => (t ? new Date(t).toLocaleString('en-GB', { hour12: false }) : '');
const enc = encodeURIComponent;

function withAt(url) {
  if (asOf == null) return url;
  return url + (url.includes('?') ? '&' : '?') + 'at=' + asOf;
}

async function api(url, { at = true } = {}) {
  const response = await fetch(at ? withAt(url) : url, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function bar(used, total) {
  const pct = total > 0 ? Math.min(100, (100 * used) / total) : 0;
  return `<span class="bar" aria-hidden="true"><span style="width:${pct.toFixed(1)}%"></span></span>`;
}

function usedOf(used, total, fmt = (x) => num(x)) {
  return `${bar(used, total)}${fmt(used)} / ${fmt(total)}`;
}

const agentLink = (id, label) => `<a href="#/agents/${enc(id)}">${esc(label ?? id)}</a>`;
const frameworkLink = (id, label) => `<a href="#/frameworks/${enc(id)}">${esc(label ?? id)}</a>`;
const taskLink = (t) => `<a href="#/tasks/${enc(t.framework_id)}/${enc(t.id)}">${esc(t.id)}</a>`;
const stateCell = (s) => `<span class="${esc(s)}">${esc(s)}</span>`;

function table(headers, rows, empty = 'None.') {
  if (!rows.length) return `<p class="muted">${esc(empty)}</p>`;
  const head = headers.map((h) => `<th scope="col"${h.startsWith('#') ? ' class="num"' : ''}>${esc(h.replace(/^#/, ''))}</th>`).join('');
  const numeric = headers.map((h) => h.startsWith('#'));
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function kv(pairs) {
  return `<dl class="kv">${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function pager(total, offset, limit, go) {
  const id = 'p' + Math.random().toString(36).slice(2);
  const last = Math.min(total, offset + limit);
  setTimeout(() => {
    document.getElementById(id + 'prev')?.addEventListener('click', () => go(Math.max(0, offset - limit)));
    document.getElementById(id + 'next')?.addEventListener('click', () => go(offset + limit));
  });
  return `<div class="pager"><button id="${id}prev" ${offset <= 0 ? 'disabled' : ''}>← Previous</button>
    <span>${total ? `${offset + 1}–${last} of ${num(total, 0)}` : '0 of 0'}</span>
    <button id="${id}next" ${last >= total ? 'disabled' : ''}>Next →</button></div>`;
}

function setAsOf(position) {
  asOf = position == null || position === '' ? null : Number(position);
  asofInput.value = asOf == null ? '' : String(asOf);
  sessionStorage.setItem('mesos.asOf', asOf == null ? '' : String(asOf));
  updateStatus();
  route();
}

function updateStatus() {
  if (asOf == null) {
    liveStatus.textContent = `live · position ${livePosition}`;
    liveStatus.className = 'live-status live';
    banner.hidden = true;
  } else {
    liveStatus.textContent = `as of ${asOf}`;
    liveStatus.className = 'live-status past';
    banner.hidden = false;
    banner.innerHTML = `Showing the cluster as it was at log position <strong>${asOf}</strong> (the log is at ${livePosition}). <button type="button" id="banner-live">Back to live</button>`;
    document.getElementById('banner-live').addEventListener('click', () => setAsOf(null));
  }
}

// ---------- pages ----------

function utilisationChart(samples) {
  if (samples.length < 2) return '<p class="muted">Not enough history for a chart yet.</p>';
  const w = 900, h = 200, pad = 28;
  const t0 = Date.parse(samples[0].at), t1 = Date.parse(samples[samples.length - 1].at) || t0 + 1;
  const x = (s) => pad + ((Date.parse(s.at) - t0) / Math.max(1, t1 - t0)) * (w - 2 * pad);
  const y = (v) => h - pad - v * (h - 2 * pad);
  const line = (f) => samples.map((s, i) => `${i ? 'L' : 'M'}${x(s).toFixed(1)},${y(f(s)).toFixed(1)}`).join(' ');
  const frac = (u, t) => (t > 0 ? u / t : 0);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) => `<line class="grid" x1="${pad}" x2="${w - pad}" y1="${y(v)}" y2="${y(v)}"/><text x="2" y="${y(v) + 3}">${v * 100}%</text>`).join('');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" role="img" aria-label="CPU and memory utilisation over time">${grid}
    <path class="cpus" fill="none" stroke-width="2" d="${line((s) => frac(s.cpus_used, s.cpus_total))}"/>
    <path class="mem" fill="none" stroke-width="2" d="${line((s) => frac(s.mem_used, s.mem_total))}"/>
    <text x="${pad}" y="${h - 8}">${esc(time(samples[0].at))}</text><text x="${w - pad}" y="${h - 8}" text-anchor="end">${esc(time(samples[samples.length - 1].at))}</text></svg>
    <div class="legend"><span class="c">■ CPUs used</span><span class="m">■ memory used</span></div>`;
}

function counts(obj) {
  const entries = Object.entries(obj || {});
  return entries.length ? entries.map(([k, v]) => `${stateCell(k)} ${num(v, 0)}`).join(' · ') : '<span class="muted">none</span>';
}

async function overview() {
  const o = await api('/ui/api/overview');
  const t = o.totals;
  const card = (n, l) => `<div class="card"><div class="n">${n}</div><div class="l">${esc(l)}</div></div>`;
  return `<h2>Overview</h2>
  <div class="cards">
    ${card(num(o.agents, 0), 'agents')}${card(num(o.frameworks, 0), 'frameworks')}${card(num(o.active_tasks, 0), 'active tasks')}
    ${card(num(t.used.cpus) + ' / ' + num(t.total.cpus), 'CPUs used')}${card(mem(t.used.mem) + ' / ' + mem(t.total.mem), 'memory used')}
    ${card(num(o.position, 0), o.live ? 'log position (live)' : 'log position (past)')}
  </div>
  <div class="grid">
    <section><h3>Utilisation over time</h3>${utilisationChart(o.samples)}</section>
    <section><h3>Cluster</h3>${kv([
      ['Cluster', esc(o.cluster)],
      ['Leader', o.master ? `${esc(o.master.id)} (${esc(o.master.hostname)}:${o.master.port})` : 'none'],
      ['Version', esc(o.version)],
      ['Agents by state', counts(t.agents_by_state)],
      ['Frameworks by state', counts(t.frameworks_by_state)],
      ['Tasks by state', counts(t.tasks_by_state)],
      ['Read models', `${num(o.lag_events, 0)} events behind the log, last applied ${num(o.lag_seconds, 3)} s after commit`],
    ])}</section>
  </div>
  <h3>Resources</h3>
  ${table(['Resource', 'Used', 'Offered', 'Total'], [
    ['CPUs', usedOf(t.used.cpus, t.total.cpus), num(t.offered.cpus), num(t.total.cpus)],
    ['Memory', usedOf(t.used.mem, t.total.mem, mem), mem(t.offered.mem), mem(t.total.mem)],
    ['Disk', usedOf(t.used.disk, t.total.disk, mem), mem(t.offered.disk), mem(t.total.disk)],
    ['GPUs', usedOf(t.used.gpus, t.total.gpus), num(t.offered.gpus), num(t.total.gpus)],
  ])}
  <h3>Read models</h3>
  ${table(['Projection', '#Version', '#Position', 'Status'], o.projections.map((p) => [esc(p.name), p.version, num(p.position, 0),
    p.failure ? `<span class="error">stopped at event ${p.failure.position} (${esc(p.failure.event_type)}): ${esc(p.failure.message)}</span>` : 'live']))}`;
}

const agentState = { offset: 0, limit: 50, filter: '', state: '' };

async function agents() {
  const q = `/ui/api/agents?offset=${agentState.offset}&limit=${agentState.limit}&filter=${enc(agentState.filter)}&state=${enc(agentState.state)}`;
  const r = await api(q);
  const rows = r.agents.map((a) => [
    agentLink(a.id), esc(a.hostname), usedOf(a.used.cpus, a.total.cpus), usedOf(a.used.mem, a.total.mem, mem),
    usedOf(a.used.disk, a.total.disk, mem), usedOf(a.used.gpus, a.total.gpus), `<span class="mono">${esc(a.attributes)}</span>`,
    esc(time(a.registered_at)), stateCell(a.state)]);
  return `<h2>Agents</h2>
  <div class="controls">
    <label for="agent-filter">Filter</label><input id="agent-filter" class="page-filter" type="search" value="${esc(agentState.filter)}" placeholder="id, hostname, attribute">
    <label for="agent-state">State</label><select id="agent-state">${['', 'ACTIVE', 'DISCONNECTED', 'UNREACHABLE', 'REMOVED'].map((s) => `<option value="${s}" ${s === agentState.state ? 'selected' : ''}>${s || 'any'}</option>`).join('')}</select>
  </div>
  ${table(['ID', 'Host', 'CPUs (used / total)', 'Mem (used / total)', 'Disk (used / total)', 'GPUs (used / total)', 'Attributes', 'Registered', 'State'], rows, 'No agents match.')}
  ${pager(r.total, r.offset, r.limit, (o) => { agentState.offset = o; route(); })}`;
}

function bindAgents() {
  const filter = document.getElementById('agent-filter');
  let timer;
  filter?.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => { agentState.filter = filter.value; agentState.offset = 0; await route(); const f = document.getElementById('agent-filter'); f.focus(); f.setSelectionRange(f.value.length, f.value.length); }, 250);
  });
  document.getElementById('agent-state')?.addEventListener('change', (e) => { agentState.state = e.target.value; agentState.offset = 0; route(); });
}

function taskRows(tasks) {
  return tasks.map((t) => [taskLink(t), esc(t.name), stateCell(t.state), frameworkLink(t.framework_id), agentLink(t.agent_id),
    `${num(t.resources.cpus)} CPUs, ${mem(t.resources.mem)}`, esc(time(t.launched_at))]);
}
const taskHeaders = ['ID', 'Name', 'State', 'Framework', 'Agent', 'Resources', 'Launched'];

async function agent(id) {
  const r = await api(`/ui/api/agents/${enc(id)}`);
  const a = r.agent;
  return `<h2>Agent ${esc(a.hostname)} <span class="muted mono">${esc(a.id)}</span></h2>
  <div class="grid"><section>${kv([
    ['State', stateCell(a.state) + (a.deactivated ? ' <span class="muted">deactivated by the operator: no offers</span>' : '')], ['Address', `${esc(a.hostname)}:${a.port}`], ['Registered', esc(time(a.registered_at))],
    ['Re-registered', esc(time(a.reregistered_at)) || '—'], ['Last seen', esc(time(a.last_seen))], ['Attributes', `<span class="mono">${esc(a.attributes) || '—'}</span>`],
    ['History', `<a href="#/history?agent=${enc(a.id)}">events of this agent</a>`]])}</section>
  <section>${table(['Resource', 'Used', 'Offered', 'Reserved', 'Total'], [
    ['CPUs', usedOf(a.used.cpus, a.total.cpus), num(a.offered.cpus), num(a.reserved.cpus), num(a.total.cpus)],
    ['Memory', usedOf(a.used.mem, a.total.mem, mem), mem(a.offered.mem), mem(a.reserved.mem), mem(a.total.mem)],
    ['Disk', usedOf(a.used.disk, a.total.disk, mem), mem(a.offered.disk), mem(a.reserved.disk), mem(a.total.disk)],
    ['GPUs', usedOf(a.used.gpus, a.total.gpus), num(a.offered.gpus), num(a.reserved.gpus), num(a.total.gpus)],
    ['Ports', esc(a.used.ports), esc(a.offered.ports), '', esc(a.total.ports)]])}</section></div>
  <h3>Outstanding offers</h3>${offersTable(r.offers, 'framework', 'agent-offers')}
  <h3>Executors</h3>${table(['Executor', 'Framework'], r.executors.map((e) => [`<span class="mono">${esc(e.id)}</span>`, frameworkLink(e.framework_id)]))}
  <h3>Active tasks</h3>${table(taskHeaders, taskRows(r.active_tasks))}
  <h3>Completed tasks</h3>${table(taskHeaders, taskRows(r.completed_tasks))}`;
}

// Offers not yet accepted, declined or rescinded; `other` names the column that is not the page's own subject.
function offersTable(offers, other, id) {
  const rows = offers.map((o) => [`<span class="mono">${esc(o.id)}</span>`,
    other === 'agent' ? `${agentLink(o.agent_id)} <span class="muted">${esc(o.hostname)}</span>` : frameworkLink(o.framework_id),
    esc(o.role), res(o.resources), esc(o.resources.ports) || '—', esc(time(o.made_at))]);
  return `<div id="${id}">${table(['Offer', other === 'agent' ? 'Agent' : 'Framework', 'Role', 'Resources', 'Ports', 'Made'], rows, 'No outstanding offers.')}</div>`;
}

function res(r) { return `${num(r.cpus)} CPUs, ${mem(r.mem)}${r.disk ? ', ' + mem(r.disk) + ' disk' : ''}${r.gpus ? ', ' + num(r.gpus) + ' GPUs' : ''}`; }

function rolesTable(roles) {
  return table(['Role', '#Weight', 'Guarantees', 'Limits', 'Allocated', 'Offered', '#Dominant share', 'Frameworks'], roles.map((r) => [
    esc(r.name), num(r.weight), r.guarantees.text ? esc(r.guarantees.text) : '—', r.limits.text ? esc(r.limits.text) : '—',
    res(r.allocated), res(r.offered), `${num(100 * r.dominant_share, 1)}%`, r.frameworks.map((f) => frameworkLink(f)).join(', ')]));
}

async function frameworks() {
  const r = await api('/ui/api/frameworks');
  return `<h2>Frameworks</h2>${table(['ID', 'Name', 'User', 'Roles', 'State', 'Active tasks', 'Used', 'Offered', 'Registered'], r.frameworks.map((f) => [
    frameworkLink(f.id), esc(f.name), esc(f.user), esc(f.roles.join(', ')), stateCell(f.state), num(f.active_tasks, 0), res(f.used), res(f.offered), esc(time(f.registered_at))]), 'No frameworks.')}
  <h2>Roles</h2>${rolesTable(r.roles)}`;
}

async function framework(id) {
  const r = await api(`/ui/api/frameworks/${enc(id)}`);
  const f = r.framework;
  let explain;
  try {
    const response = await fetch(r.explain_url, { headers: { accept: 'application/json' } });
    if (response.ok) {
      const x = await response.json();
      const cycle = x.cycle ? `Allocation cycle at log position ${x.cycle.log_position} (${esc(time(x.cycle.time * 1000))}), ${x.cycle.offers_made} offers made.` : 'No allocation cycle yet.';
      explain = `<div id="allocator-explain"><p>${cycle}</p>${table(['Reason', 'Role', 'Agent'], (x.reasons || []).map((reason) => [
        esc(reason.text), esc(reason.role ?? ''), reason.agent_id ? agentLink(reason.agent_id) : '']), 'No reasons recorded for this framework.')}</div>`;
    } else {
      explain = `<p class="muted" id="allocator-explain">${esc(await response.text())} (from <code>${esc(r.explain_url)}</code>, ${response.status}).</p>`;
    }
  } catch {
    explain = `<p class="muted" id="allocator-explain">Allocator explanations are not available (hook: <code>${esc(r.explain_url)}</code>).</p>`;
  }
  return `<h2>Framework ${esc(f.name)} <span class="muted mono">${esc(f.id)}</span></h2>
  ${kv([['State', stateCell(f.state)], ['User', esc(f.user)], ['Principal', esc(f.principal) || '—'], ['Roles', esc(f.roles.join(', '))],
    ['Suppressed roles', esc(f.suppressed_roles.join(', ')) || '—'], ['Registered', esc(time(f.registered_at))], ['Disconnected', esc(time(f.disconnected_at)) || '—'],
    ['Used', res(f.used)], ['Offered', res(f.offered)], ['Web UI', f.web_ui_url ? `<a href="${esc(f.web_ui_url)}">${esc(f.web_ui_url)}</a>` : '—'],
    ['History', `<a href="#/history?framework=${enc(f.id)}">events of this framework</a>`]])}
  <h3>Roles</h3>${rolesTable(r.roles)}
  <h3>Outstanding offers</h3>${offersTable(r.offers, 'agent', 'framework-offers')}
  <h3>Why it was (not) offered: the allocator's latest reasons</h3>${explain}
  <h3>Active tasks</h3>${table(taskHeaders, taskRows(r.active_tasks))}
  <h3>Completed tasks</h3>${table(taskHeaders, taskRows(r.completed_tasks))}`;
}

const taskState = { offset: 0, limit: 50, filter: '', state: 'active' };

async function tasks() {
  const r = await api(`/ui/api/tasks?offset=${taskState.offset}&limit=${taskState.limit}&filter=${enc(taskState.filter)}&state=${enc(taskState.state)}`);
  const states = ['active', 'completed', '', 'TASK_STAGING', 'TASK_RUNNING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_LOST'];
  return `<h2>Tasks</h2>
  <div class="controls">
    <label for="task-state">Show</label><select id="task-state">${states.map((s) => `<option value="${s}" ${s === taskState.state ? 'selected' : ''}>${s || 'all'}</option>`).join('')}</select>
    <label for="task-filter">Filter</label><input id="task-filter" class="page-filter" type="search" value="${esc(taskState.filter)}" placeholder="id, name, agent, framework">
  </div>
  <div id="tasks-table">${table(taskHeaders, taskRows(r.tasks), 'No tasks match.')}</div>
  ${pager(r.total, r.offset, r.limit, (o) => { taskState.offset = o; route(); })}`;
}

function bindTasks() {
  const filter = document.getElementById('task-filter');
  let timer;
  filter?.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => { taskState.filter = filter.value; taskState.offset = 0; await route(); const f = document.getElementById('task-filter'); f.focus(); f.setSelectionRange(f.value.length, f.value.length); }, 250);
  });
  document.getElementById('task-state')?.addEventListener('change', (e) => { taskState.state = e.target.value; taskState.offset = 0; route(); });
}

async function task(frameworkId, taskId) {
  const r = await api(`/ui/api/tasks/${enc(frameworkId)}/${enc(taskId)}`);
  const t = r.task;
  return `<h2>Task ${esc(t.id)} ${stateCell(t.state)}</h2>
  <div class="grid"><section>${kv([
    ['Name', esc(t.name)], ['Framework', frameworkLink(t.framework_id, r.framework?.name ?? t.framework_id)],
    ['Agent', agentLink(t.agent_id, r.agent?.hostname ?? t.agent_id)], ['Executor', `<span class="mono">${esc(t.executor_id)}</span>`],
    ['Role', esc(t.role)], ['Resources', esc(t.resources.text)], ['Command', `<span class="mono">${esc(t.command)}</span>`],
    ['Offer', t.offer_id ? `<span class="mono">${esc(t.offer_id)}</span>` : '—'], ['Launched', `${esc(time(t.launched_at))} (position ${t.launched_position ?? '?'})`],
    ['Kill requested', t.kill_requested ? 'yes' : 'no']])}</section>
  <section><h3 style="margin-top:0">Status history</h3>${table(['State', 'Time', 'Source', 'Reason', 'Message', 'Healthy'], t.statuses.map((s) => [
    stateCell(s.state), esc(time(s.timestamp)), esc(s.source), esc(s.reason ?? ''), esc(s.message), s.healthy == null ? '' : String(s.healthy)]))}</section></div>
  <h3>Sandbox</h3><div id="sandbox" data-agent="${esc(t.agent_id)}" data-framework="${esc(t.framework_id)}" data-task="${esc(t.id)}"><p class="muted">Looking for the sandbox…</p></div>
  <h3>The story, from the offer to the last status</h3>
  ${table(['#Position', 'Time', 'Event', 'What happened'], r.story.map((e) => [num(e.position, 0), esc(time(e.at)), esc(e.type), esc(e.summary)]))}`;
}

function findSandbox(state, frameworkId, taskId) {
  let byExecutor = null;
  for (const fl of ['frameworks', 'completed_frameworks']) {
    for (const f of state[fl] || []) {
      if (f.id !== frameworkId) continue;
      for (const el of ['executors', 'completed_executors']) {
        for (const e of f[el] || []) {
          const lists = ['tasks', 'queued_tasks', 'completed_tasks'].flatMap((l) => e[l] || []);
          if (lists.some((x) => x.id === taskId)) return e.directory;
          if (e.id === taskId) byExecutor ??= e.directory;
        }
      }
    }
  }
  return byExecutor;
}

async function bindSandbox() {
  const box = document.getElementById('sandbox');
  if (!box) return;
  const agentId = box.dataset.agent;
  const proxy = (path, query) => `/ui/api/agents/${enc(agentId)}/proxy/${path}?${query}`;
  let directory;
  try {
    directory = findSandbox(await api(proxy('state', ''), { at: false }), box.dataset.framework, box.dataset.task);
  } catch (e) {
    box.innerHTML = `<p class="error">The agent did not answer: ${esc(e.message)}</p>`;
    return;
  }
  if (!directory) { box.innerHTML = '<p class="muted">The agent does not know this task\'s sandbox (any more).</p>'; return; }
  const list = async (path) => {
    const entries = await api(proxy('files/browse', `path=${enc(path)}`), { at: false });
    return table(['Name', '#Size', 'Modified', ''], entries.map((e) => {
      const name = e.path.split('/').pop();
      const isDir = e.mode?.startsWith('d');
      return [isDir ? esc(name) + '/' : `<button type="button" class="open-file" data-path="${esc(e.path)}">${esc(name)}</button>`,
        num(e.size, 0), esc(time(e.mtime * 1000)), ''];
    }));
  };
  box.innerHTML = `<p class="muted mono">${esc(directory)}</p><div id="sandbox-files">${await list(directory)}</div>
    <div class="controls"><button type="button" data-file="stdout">stdout</button><button type="button" data-file="stderr">stderr</button>
    <label><input type="checkbox" id="follow" checked> follow (live tail)</label> <span id="file-name" class="muted"></span></div>
    <pre class="log" id="file-view" tabindex="0" aria-label="file contents"></pre>`;
  const view = document.getElementById('file-view');
  const open = (path) => {
    if (tail) clearInterval(tail);
    let offset = 0;
    view.textContent = '';
    document.getElementById('file-name').textContent = path.split('/').pop();
    const read = async () => {
      try {
        const r = await api(proxy('files/read', `path=${enc(path)}&offset=${offset}&length=65536`), { at: false });
        if (r.data) { view.textContent += r.data; offset = r.offset + new TextEncoder().encode(r.data).length; view.scrollTop = view.scrollHeight; }
      } catch (e) { view.textContent += `\n[${e.message}]`; clearInterval(tail); }
    };
    read();
    tail = setInterval(() => { if (document.getElementById('follow')?.checked) read(); }, 1000);
  };
  box.querySelectorAll('button[data-file]').forEach((b) => b.addEventListener('click', () => open(directory + '/' + b.dataset.file)));
  box.querySelectorAll('button.open-file').forEach((b) => b.addEventListener('click', () => open(b.dataset.path)));
  open(directory + '/stdout');
}

async function history(params) {
  const q = new URLSearchParams(params);
  const r = await api(`/ui/api/history?${q.toString()}&limit=100`, { at: false });
  const field = (name, label) => `<label for="h-${name}">${label}</label><input id="h-${name}" name="${name}" type="text" value="${esc(q.get(name) ?? '')}" size="14">`;
  return `<h2>History</h2>
  <form id="history-filter" class="controls" aria-label="Filter the timeline">
    ${field('agent', 'Agent')}${field('framework', 'Framework')}${field('task', 'Task')}
    <label for="h-type">Type</label><select id="h-type" name="type"><option value="">any</option>${r.types.map((t) => `<option ${t === q.get('type') ? 'selected' : ''}>${esc(t)}</option>`).join('')}</select>
    <button type="submit">Filter</button>
  </form>
  <form id="diff-form" class="controls" aria-label="Compare two moments">
    <label for="d-from">Compare position</label><input id="d-from" name="from" size="7" inputmode="numeric">
    <label for="d-to">with</label><input id="d-to" name="to" size="7" inputmode="numeric" placeholder="live"><button type="submit">Diff</button>
  </form>
  <div id="diff"></div>
  ${table(['#Position', 'Time', 'Event', 'What happened', 'By', ''], r.entries.map((e) => [
    num(e.position, 0), esc(time(e.at)), esc(e.type), esc(e.summary), esc(e.principal),
    `<button type="button" class="travel" data-position="${e.position - 1}" title="Show the cluster just before this event">before</button> <button type="button" class="travel" data-position="${e.position}" title="Show the cluster as of this event">as of</button>`]), 'No events match.')}
  ${r.next_before ? `<div class="pager"><a href="#/history?${new URLSearchParams({ ...Object.fromEntries(q), before: r.next_before })}">Older events →</a></div>` : ''}`;
}

function bindHistory() {
  document.getElementById('history-filter')?.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams([...new FormData(e.target)].filter(([, v]) => v));
    location.hash = `#/history?${q}`;
  });
  document.getElementById('diff-form')?.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = new FormData(e.target);
    const out = document.getElementById('diff');
    try {
      const d = await api(`/ui/api/diff?from=${enc(f.get('from'))}${f.get('to') ? '&to=' + enc(f.get('to')) : ''}`, { at: false });
      const list = (xs, fmt) => (xs.length ? xs.map(fmt).join(', ') : '—');
      out.innerHTML = `<h3>From position ${d.from} to ${d.to}</h3>${kv([
        ['Agents added', list(d.agents_added, (a) => agentLink(a.id, a.hostname))],
        ['Agents removed', list(d.agents_removed, (a) => agentLink(a))],
        ['Agents changed state', list(d.agents_changed_state, (a) => `${agentLink(a.id)} ${esc(a.from)} → ${esc(a.to)}`)],
        ['Frameworks added', list(d.frameworks_added, (f) => frameworkLink(f.id, f.name))],
        ['Frameworks removed', list(d.frameworks_removed, (f) => esc(f.name))],
        ['Tasks started', list(d.tasks_started, (t) => `${taskLink(t)} ${stateCell(t.state)}`)],
        ['Tasks ended', list(d.tasks_ended, (t) => `${taskLink(t)} ${stateCell(t.state)}`)],
        ['CPUs used', `${num(d.used_before.cpus)} → ${num(d.used_after.cpus)}`], ['Memory used', `${mem(d.used_before.mem)} → ${mem(d.used_after.mem)}`]])}`;
    } catch (err) { out.innerHTML = `<p class="error">${esc(err.message)}</p>`; }
  });
  document.querySelectorAll('button.travel').forEach((b) => b.addEventListener('click', () => { setAsOf(b.dataset.position); location.hash = '#/overview'; }));
}

// ---------- routing ----------

async function route() {
  const seq = ++renderSeq;
  if (tail) { clearInterval(tail); tail = null; }
  const [path, query] = (location.hash.replace(/^#/, '') || '/overview').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const page = parts[0] || 'overview';
  document.querySelectorAll('nav a').forEach((a) => { if (a.dataset.page === page) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current'); });
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  let render, bind = () => {};
  switch (page) {
    case 'agents': render = parts[1] ? () => agent(parts[1]) : agents; bind = parts[1] ? () => {} : bindAgents; break;
    case 'frameworks': render = parts[1] ? () => framework(parts[1]) : frameworks; break;
    case 'tasks': render = parts[2] ? () => task(parts[1], parts[2]) : tasks; bind = parts[2] ? bindSandbox : bindTasks; break;
    case 'history': render = () => history(params); bind = bindHistory; break;
    default: render = overview;
  }
  // Pages with inputs of their own are not re-rendered under the operator's cursor, nor is the sandbox.
  refresh = page === 'history' || (page === 'tasks' && parts[2]) ? null : () => route();
  let html;
  try {
    html = await render();
  } catch (e) {
    html = `<p class="error" role="alert">${esc(e.message)}</p>`;
  }
  if (seq !== renderSeq) return;
  const focused = document.activeElement?.id;
  main.innerHTML = html;
  main.dataset.page = page;
  main.dataset.position = asOf ?? livePosition;
  await bind();
  if (focused && document.getElementById(focused) && !['agent-filter', 'task-filter'].includes(focused)) document.getElementById(focused).focus();
}

function connect() {
  const source = new EventSource('/ui/api/stream');
  let pending = false;
  source.addEventListener('position', async (e) => {
    livePosition = JSON.parse(e.data).position;
    document.body.dataset.livePosition = String(livePosition);
    updateStatus();
    if (asOf != null || !refresh || pending) return;
    pending = true;
    try { await refresh(); } finally { pending = false; }
  });
  source.onerror = () => { liveStatus.textContent = 'reconnecting…'; };
}

document.getElementById('asof').addEventListener('submit', (e) => { e.preventDefault(); setAsOf(asofInput.value.trim() || null); });
document.getElementById('asof-live').addEventListener('click', () => setAsOf(null));
// The picker gives local wall-clock time; the server finds the last event at or before that instant.
document.getElementById('asof-time').addEventListener('change', async (e) => {
  if (!e.target.value) return;
  const when = new Date(e.target.value);
  if (Number.isNaN(when.getTime())) return;
  const r = await api(`/ui/api/position?time=${enc(when.toISOString())}`, { at: false });
  setAsOf(r.position);
});
window.addEventListener('hashchange', route);

let leader = false;
document.addEventListener('keydown', (e) => {
  if (e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === '/') { const f = document.querySelector('.page-filter'); if (f) { e.preventDefault(); f.focus(); } return; }
  if (e.key === 'l') { setAsOf(null); return; }
  if (leader) {
    leader = false;
    const to = { o: 'overview', a: 'agents', f: 'frameworks', t: 'tasks', h: 'history' }[e.key];
    if (to) { location.hash = '#/' + to; main.focus(); }
    return;
  }
  if (e.key === 'g') { leader = true; setTimeout(() => { leader = false; }, 1500); }
});

const saved = sessionStorage.getItem('mesos.asOf');
if (saved) { asOf = Number(saved); asofInput.value = saved; }
updateStatus();
connect();
route();
