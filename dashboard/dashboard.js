// The dashboard: plain DOM over the JSON API. Every value is set as text, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const PATHWAYS = ['parentInfant', 'frontDoor', 'reconnect', 'enhancedReconnect'];
const ukTime = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/London',
});
const when = (iso) => (iso ? ukTime.format(new Date(iso)) : '');

// Forms whose content survives a session that ends mid-way: kept in this tab until signed in again.
const DRAFT_FORMS = ['action', 'refer'];
const DRAFT_KEY = 'reconnect-cases:drafts';

function keepDrafts() {
  const drafts = { caseId: current && current.caseId };
  for (const id of DRAFT_FORMS) {
    drafts[id] = Object.fromEntries([...$(id).elements].filter((e) => e.name).map((e) => [e.name, e.value]));
  }
  sessionStorage.setItem(DRAFT_KEY, JSON.stringify(drafts));
}

async function restoreDrafts() {
  const saved = sessionStorage.getItem(DRAFT_KEY);
  if (!saved) return;
  sessionStorage.removeItem(DRAFT_KEY);
  const drafts = JSON.parse(saved);
  if (drafts.caseId) await openCase(drafts.caseId);
  for (const id of DRAFT_FORMS) {
    for (const [name, value] of Object.entries(drafts[id] || {})) {
      const field = $(id).elements.namedItem(name);
      if (field) field.value = value;
    }
  }
  show('action-result', 'What you typed before signing in again is back: check it and record it.');
}

class SessionEnded extends Error {}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (res.status === 401) {
    keepDrafts();
    $('session-ended').hidden = false;
    throw new SessionEnded('Your session has ended: sign in again. What you typed is kept.');
  }
  if (!res.ok) {
    const issues = (data.issues || []).map((i) => `${[].concat(i.path).join('.')}: ${i.message}`);
    throw new Error([data.detail || res.statusText, ...issues].join('\n'));
  }
  return data;
}

async function whoAmI() {
  try {
    const me = await api('GET', '/me');
    $('signed-in-as').textContent =
      `Signed in as ${me.id} (${me.roles.join(', ')}; ${me.teams.join(', ') || 'all teams'})`;
    $('sign-out').hidden = false;
    $('session-ended').hidden = true;
    return true;
  } catch {
    $('signed-in-as').textContent = 'Not signed in.';
    $('sign-in').hidden = false;
    $('session-ended').hidden = true;
    return false;
  }
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function options(select, values, blank) {
  select.replaceChildren(
    ...(blank ? [el('option', blank, { value: '' })] : []),
    ...values.map((v) => el('option', v, { value: v })),
  );
}

async function loadCaseload() {
  const f = $('filters');
  const q = new URLSearchParams({ open: 'true' });
  for (const k of ['pathway', 'state', 'team', 'worker']) if (f[k].value) q.set(k, f[k].value);
  const rows = await api('GET', `/cases?${q}`);
  $('caseload').tBodies[0].replaceChildren(
    ...rows.map((r) => {
      const tr = el('tr', undefined, { tabindex: '0', 'data-case': r.caseId });
      const overdue = r.nextDeadline && new Date(r.nextDeadline) < new Date();
      for (const value of [r.caseId.slice(0, 22), r.pathway, r.state, r.namedWorker || '—'])
        tr.append(el('td', value));
      tr.append(el('td', when(r.nextDeadline), overdue ? { class: 'overdue' } : {}));
      for (const value of [r.releaseDate || '', r.priorityGroup || '']) tr.append(el('td', value));
      tr.addEventListener('click', () => openCase(r.caseId));
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && openCase(r.caseId));
      return tr;
    }),
  );
  const agenda = await api('GET', '/agenda');
  $('agenda').replaceChildren(
    ...agenda.map((m) =>
      el('li', `${when(m.meetingAt)}: ${m.cases.map((c) => c.caseId.slice(0, 22)).join(', ')}`),
    ),
  );
}

let current;
async function openCase(caseId) {
  const [view, timeline] = await Promise.all([
    api('GET', `/cases/${caseId}`),
    api('GET', `/cases/${caseId}/timeline`),
  ]);
  current = view;
  $('case').hidden = false;
  $('case-title').textContent = `Case ${view.caseId}`;
  const summary = [
    ['Pathway', view.pathway],
    ['State', view.state],
    ['Team', view.team],
    ['Named worker', view.namedWorker || '—'],
    ['Closure', view.closure ? `${view.closure.reason} (${when(view.closure.at)})` : '—'],
  ];
  $('case-summary').replaceChildren(...summary.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  $('case-deadlines').replaceChildren(
    ...view.deadlines.map((d) =>
      el('li', `${when(d.at)} — ${d.label}${d.notify ? ` (to ${d.notify})` : ''}`),
    ),
  );
  options($('action').type, view.allowedActions);
  $('case-timeline').replaceChildren(
    ...timeline.map((t) =>
      el(
        'li',
        `${when(t.at)} · ${t.actor.id} (${t.actor.role}) · ${t.type} · ${t.to}${t.restricted ? ' — (free text withheld)' : ''}`,
      ),
    ),
  );
}

function show(id, text, isError) {
  $(id).textContent = text;
  $(id).className = isError ? 'result error' : 'result';
}

$('action').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target;
  show('action-result', 'Saving…');
  try {
    const fields = JSON.parse(f.fields.value || '{}');
    const view = await api('POST', `/cases/${current.caseId}/actions`, {
      ...fields,
      type: f.type.value,
      ...(f.reason.value ? { reason: f.reason.value } : {}),
    });
    f.reason.value = '';
    await Promise.all([openCase(view.caseId), loadCaseload()]);
    show('action-result', `Recorded. Now: ${view.state}.`);
  } catch (err) {
    show('action-result', err.message, true);
  }
});

$('refer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.target;
  show('refer-result', 'Sending…');
  try {
    const view = await api('POST', '/cases', {
      pathway: f.pathway.value,
      referral: JSON.parse(f.referral.value),
    });
    await Promise.all([openCase(view.caseId), loadCaseload()]);
    show('refer-result', `Case ${view.caseId} opened: ${view.state}.`);
  } catch (err) {
    show('refer-result', err.message, true);
  }
});

$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  whoAmI()
    .then(async (signedIn) => {
      if (!signedIn) return;
      await restoreDrafts();
      await loadCaseload();
    })
    .catch((err) => show('refer-result', err.message, true));
});

options($('filters').pathway, PATHWAYS, 'any');
options($('refer').pathway, PATHWAYS);
$('notice').textContent =
  'This is not an emergency service. If anyone is in immediate danger, call 999 (or 111), or the emergency duty service.';
whoAmI()
  .then(async (signedIn) => {
    if (!signedIn) return;
    await restoreDrafts();
    await loadCaseload();
  })
  .catch((err) => show('refer-result', err.message, true));
