// The routes the writer's desk calls: the gateway's HTTP/JSON mapping of
// the backends' RPCs (AIP-127: GET /v1/orgs/{org}/sessions, PATCH
// /v1/{session.name}, POST …/sessions:import with JSON Lines), sent with
// the caller's own Authorization header. Every path the desk uses is here,
// so a change of the mapping touches this file only.

import { authorization, send } from './app.js';

// Records by kind: the collection under orgs/{org}, and the repeated field
// of its list response and import request.
export const COLLECTIONS = {
  sessions: { collection: 'sessions', list: 'sessions' },
  events: { collection: 'publicityEvents', list: 'publicityEvents' },
  powers: { collection: 'powers', list: 'powers' },
  officers: { collection: 'officers', list: 'officers' },
};

function queryString(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value === undefined || value === null || value === '' || value === 0) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

// One call; resolves to the parsed JSON answer ({} for an empty one) or
// throws the server's ApiError.
async function api(method, path, { query, body, text, contentType } = {}) {
  const headers = { ...authorization() };
  let payload;
  if (text !== undefined) {
    headers['Content-Type'] = contentType;
    payload = text;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await send(`${path}${queryString(query)}`, { method, headers, body: payload });
  const answer = await response.text();
  return answer ? JSON.parse(answer) : {};
}

// Resource names go into paths segment by segment (a name is
// orgs/{org}/kind/{id}: only [a-z0-9-] and '/').
const path = (name) => `/v1/${String(name).split('/').map(encodeURIComponent).join('/')}`;

export const reports = {
  get: (org, year) => api('GET', path(`orgs/${org}/reports/${year}`)),
  create: (org, year) => api('POST', path(`orgs/${org}/reports`), { query: { year }, body: {} }),
  update: (report, fields) => api('PATCH', path(report.name), {
    query: { updateMask: fields.join(',') }, body: report,
  }),
  submit: (name, etag, comment) => api('POST', `${path(name)}:submit`, { body: { etag, comment } }),
};

export const records = {
  list: (kind, org, query) => api('GET', path(`orgs/${org}/${COLLECTIONS[kind].collection}`), { query }),
  create: (kind, org, record) => api('POST', path(`orgs/${org}/${COLLECTIONS[kind].collection}`), {
    query: { requestId: crypto.randomUUID() }, body: record,
  }),
  // `fields`: the update mask (JSON names of top-level fields), so that a
  // field emptied in the form is emptied on the server too.
  update: (record, fields) => api('PATCH', path(record.name), {
    query: { updateMask: fields.join(',') }, body: record,
  }),
  remove: (name, etag) => api('DELETE', path(name), { query: { etag } }),
  // Rows through the streaming import RPC, whose route takes JSON Lines of
  // request messages: one line, one batch (stored in one transaction).
  // Answers the ImportReport; its row numbers count from 0 in `rows`.
  import: (kind, org, rows) => api('POST', `${path(`orgs/${org}/${COLLECTIONS[kind].collection}`)}:import`, {
    text: `${JSON.stringify({ [COLLECTIONS[kind].list]: rows })}\n`, contentType: 'application/x-ndjson',
  }),
};

export const plans = {
  get: (org, year) => api('GET', path(`orgs/${org}/studyPlans/${year}`)),
  // Creates the plan when there is none (AIP-134 allow_missing).
  put: (plan, fields) => api('PATCH', path(plan.name), {
    query: { allowMissing: true, updateMask: fields.join(',') }, body: plan,
  }),
  remove: (name, etag) => api('DELETE', path(name), { query: { etag } }),
};
