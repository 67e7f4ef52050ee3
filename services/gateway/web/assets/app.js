// The web page of the gateway: sign-in with an API key, a department's
// year (the report as it will print, its status, findings and facts,
// downloads, approval), and the supervising office's dashboard.
//
// It calls the gateway's JSON API (/api/v1/…, the same RPCs the gRPC
// clients call) with the key as an Authorization header. The key lives in
// sessionStorage only: never in a URL, never logged. Everything the server
// sends is put in the page as text (textContent), never as markup; the
// report's own HTML rendering goes into a sandboxed frame without scripts.

import { barChart, groupedBarChart } from './charts.js';
import { dashboardSheetButton, factsSheetButton, templatesCard } from './sheets.js';
import { renderDesk } from './desk.js';
import { renderRecords } from './records.js';

const KEY_STORAGE = 'fazhi.apiKey';

const STATE_NAMES = {
  REPORT_STATE_UNSPECIFIED: '未开始',
  REPORT_STATE_DRAFT: '草稿',
  REPORT_STATE_SUBMITTED: '已报送，待审核',
  REPORT_STATE_APPROVED: '已审核，待发布',
  REPORT_STATE_PUBLISHED: '已发布',
  REPORT_STATE_REJECTED: '已退回',
};
const ROLE_NAMES = {
  reader: '查阅', editor: '编辑', approver: '审核', supervisor: '监督', admin: '管理',
};
const ROLE_GRANTS = {
  reader: ['read'],
  editor: ['read', 'write'],
  approver: ['read', 'approve'],
  supervisor: ['read', 'audit'],
  admin: ['read', 'write', 'approve', 'audit', 'administer'],
};
const METHOD_NAMES = {
  CreateReport: '创建', UpdateReport: '修改', SubmitReport: '报送', ApproveReport: '审核通过',
  RejectReport: '退回', PublishReport: '发布', CreateRevision: '更正',
};
const FORMATS = [
  ['docx', '下载 DOCX'], ['html', '下载 HTML'], ['md', '下载 Markdown'], ['txt', '下载纯文本'],
];
const SERVICE_NAMES = { study: '学法', duty: '执法', report: '报告', gateway: '网关' };
const QUARTERS = ['第一季度', '第二季度', '第三季度', '第四季度'];

let me = null;  // {caller, roles: [{role, orgs}]}

// ---------------------------------------------------------------------------
// Small DOM helpers: text only.

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (id) => document.getElementById(id);

// Replaces a node's children, skipping the absent ones (replaceChildren
// would write "null").
function fill(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

function dateText(date) {
  if (!date || !date.year) return '—';
  return `${date.year}年${date.month}月${date.day}日`;
}

function isoDate(date) {
  if (!date || !date.year) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

function timeText(timestamp) {
  if (!timestamp) return '';
  const t = new Date(timestamp);
  if (Number.isNaN(t.getTime()) || t.getTime() <= 0) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}`;
}

function orgId(name) {
  return String(name || '').replace(/^orgs\//, '');
}

function defaultYear() {
  return new Date().getFullYear() - 1;
}

// ---------------------------------------------------------------------------
// Messages.

function clearMessages() {
  $('message').hidden = true;
  $('message').replaceChildren();
  $('notice').hidden = true;
  $('notice').replaceChildren();
}

function showNotice(text) {
  $('notice').replaceChildren(text);
  $('notice').hidden = false;
}

// The server's own words: HTTP status, status name, message, and each bad
// field a BadRequest names.
function showError(error) {
  const box = $('message');
  const lines = [];
  if (error instanceof ApiError) {
    lines.push(h('p', {},
      h('strong', { text: `请求被拒绝或失败（${error.code} ${error.status}）` }), '：',
      h('span', { class: 'server-message', text: error.message })));
    const violations = (error.details || []).flatMap((d) => d.fieldViolations || []);
    if (violations.length) {
      lines.push(h('ul', {}, violations.map((v) => h('li', {}, h('code', { text: v.field }), '：', v.description))));
    }
  } else {
    lines.push(h('p', { text: `出错了：${error && error.message ? error.message : error}` }));
  }
  fill(box, lines);
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------------------
// The API.

class ApiError extends Error {
  constructor({ code, status, message, details }) {
    super(message || '');
    this.code = code;
    this.status = status || '';
    this.details = details || [];
  }
}

function authorization() {
  return { Authorization: `Bearer ${sessionStorage.getItem(KEY_STORAGE) || ''}` };
}

// google.rpc.Code by number, as the /v1 routes answer (the Status itself).
const RPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND',
  'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED',
  'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

async function errorOf(response) {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body && body.error) return new ApiError(body.error);
    if (body && Number.isInteger(body.code) && typeof body.message === 'string') {
      return new ApiError({ ...body, code: response.status, status: RPC_CODES[body.code] });
    }
  } catch (_) {
    // A plain-text error (the download routes).
  }
  return new ApiError({ code: response.status, status: response.statusText, message: text.trim() });
}

async function send(path, init) {
  const response = await fetch(path, { cache: 'no-store', credentials: 'omit', ...init });
  if (response.ok) return response;
  const error = await errorOf(response);
  if (response.status === 401) signOut('密钥无效、已撤销或已过期，请重新登录。');
  throw error;
}

async function call(path, body) {
  const response = await send(path, {
    method: 'POST',
    headers: { ...authorization(), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

async function whoami(key) {
  const response = await fetch('/api/v1/whoami', {
    cache: 'no-store', credentials: 'omit', headers: { Authorization: `Bearer ${key}` },
  });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

// The caller's permission on an organization, as the server's role table
// grants it. Only to show or hide actions: the server decides.
function may(permission, org) {
  return (me?.roles || []).some((binding) =>
    (ROLE_GRANTS[binding.role] || []).includes(permission) &&
    (binding.orgs.includes('*') || binding.orgs.includes(org)));
}

// ---------------------------------------------------------------------------
// Sign-in.

function signOut(reason) {
  sessionStorage.removeItem(KEY_STORAGE);
  me = null;
  $('nav').hidden = true;
  $('caller').textContent = '';
  showView('signin');
  if (reason) showError(new Error(reason));
}

async function signIn(event) {
  event.preventDefault();
  clearMessages();
  const input = $('api-key');
  const key = input.value.trim();
  if (!key) {
    showError(new Error('请输入 API 密钥。'));
    return;
  }
  try {
    me = await whoami(key);
  } catch (error) {
    showError(error);
    return;
  }
  sessionStorage.setItem(KEY_STORAGE, key);
  input.value = '';
  afterSignIn();
  route();
}

function afterSignIn() {
  $('caller').textContent = me.caller;
  $('nav').hidden = false;
}

// ---------------------------------------------------------------------------
// Views.

function showView(name) {
  for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== `view-${name}`;
  document.body.dataset.view = name;
}

function yearInput(id, year) {
  return h('input', { id, type: 'number', min: 2000, max: 2100, step: 1, value: year, class: 'year' });
}

function renderHome() {
  const view = $('view-home');
  const orgs = new Map();
  for (const binding of me.roles) {
    for (const org of binding.orgs) {
      if (!orgs.has(org)) orgs.set(org, []);
      orgs.get(org).push(binding.role);
    }
  }
  const year = yearInput('home-year', defaultYear());
  const currentYear = () => Number(year.value) || defaultYear();
  const rows = [...orgs.entries()].filter(([org]) => org !== '*').map(([org, roles]) => {
    const supervises = roles.includes('supervisor') || roles.includes('admin');
    return h('tr', { 'data-org': org },
      h('td', {}, h('code', { text: org })),
      h('td', { text: roles.map((r) => ROLE_NAMES[r] || r).join('、') }),
      h('td', { class: 'actions' },
        h('button', {
          type: 'button', class: 'link open-report', onclick: () => go(`#/report/${org}/${currentYear()}`),
        }, '年度报告'),
        supervises ? h('button', {
          type: 'button', class: 'link open-dashboard', onclick: () => go(`#/dashboard/${org}/${currentYear()}`),
        }, '监督看板') : null,
        may('write', org) ? h('button', {
          type: 'button', class: 'link open-write', onclick: () => go(`#/write/${org}/${currentYear()}`),
        }, '撰写报告') : null,
        may('write', org) ? h('button', {
          type: 'button', class: 'link open-records', onclick: () => go(`#/records/${org}/${currentYear()}`),
        }, '台账') : null));
  });
  const other = h('input', { id: 'other-org', type: 'text', placeholder: '单位标识，如 lushan-minzheng', pattern: '[a-z0-9-]+' });
  const openOther = (kind) => {
    const org = other.value.trim();
    if (!/^[a-z0-9-]+$/.test(org)) {
      showError(new Error('单位标识只含小写字母、数字和连字符。'));
      return;
    }
    go(`#/${kind}/${org}/${currentYear()}`);
  };
  fill(view, 
    h('h1', { text: '我的单位' }),
    h('p', { class: 'muted' }, `以 ${me.caller} 登录。可查看的单位及权限如下；选择年度后打开年度报告或监督看板。`),
    h('div', { class: 'toolbar' }, h('label', { for: 'home-year' }, '报告年度'), year),
    rows.length ? h('table', { class: 'grid-table', id: 'my-orgs' },
      h('thead', {}, h('tr', {}, h('th', { text: '单位' }), h('th', { text: '权限' }), h('th', { text: '' }))),
      h('tbody', {}, rows)) : null,
    h('div', { class: 'card other-org' },
      h('label', { for: 'other-org' }, '其他单位'), other,
      h('button', { type: 'button', onclick: () => openOther('report') }, '年度报告'),
      h('button', { type: 'button', onclick: () => openOther('dashboard') }, '监督看板')),
    templatesCard(h));
  showView('home');
}

function statusBadge(state) {
  const name = state || 'REPORT_STATE_UNSPECIFIED';
  return h('span', { class: `badge state-${name.replace('REPORT_STATE_', '').toLowerCase()}`, 'data-state': name },
    STATE_NAMES[name] || name);
}

function decodeBase64Utf8(base64) {
  const binary = atob(base64 || '');
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8').decode(bytes);
}

function download(org, year, format) {
  return save(`/orgs/${encodeURIComponent(org)}/reports/${year}.${format}`, `${org}-${year}.${format}`);
}

// Fetches `path` with the key and saves it as `filename`.
async function save(path, filename) {
  clearMessages();
  try {
    const response = await send(path, { headers: authorization() });
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = h('a', { href: url, download: filename, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    showNotice(`已下载 ${filename}（${Math.round(blob.size / 1024)} KB）`);
  } catch (error) {
    showError(error);
  }
}

function lifecycleRows(composed) {
  const life = composed.lifecycle || {};
  const rows = [];
  const add = (label, who, when) => {
    if (who) rows.push([label, `${who}${when ? `（${when}）` : ''}`]);
  };
  add('报送', life.submittedBy, timeText(life.submitTime));
  add('审核通过', life.approvedBy, timeText(life.approveTime));
  add('发布', life.publishedBy, timeText(life.publishTime));
  const last = life.lastTransition;
  if (last && last.method) {
    const what = METHOD_NAMES[last.method] || last.method;
    rows.push(['最近一步', `${what}：${last.actor}${last.time ? `，${timeText(last.time)}` : ''}` +
      (last.comment ? `。意见：${last.comment}` : '')]);
  }
  return rows;
}

function actionsPanel(org, year, composed, reload) {
  const state = composed.state;
  const comment = h('textarea', { id: 'decision-comment', rows: 3, maxlength: 2000, placeholder: '审核意见（退回时必填）' });
  const act = async (button, path, body, done) => {
    clearMessages();
    button.disabled = true;
    try {
      await call(path, body);
      await reload();
      showNotice(done);
    } catch (error) {
      showError(error);
      button.disabled = false;
    }
  };
  const base = { org: `orgs/${org}`, year };
  const approve = h('button', {
    type: 'button', id: 'approve', class: 'primary', disabled: state !== 'REPORT_STATE_SUBMITTED',
    onclick: (e) => act(e.currentTarget, '/api/v1/approve',
      { ...base, etag: composed.etag, comment: comment.value }, '报告已审核通过。'),
  }, '审核通过');
  const reject = h('button', {
    type: 'button', id: 'reject', class: 'danger',
    disabled: !['REPORT_STATE_SUBMITTED', 'REPORT_STATE_APPROVED'].includes(state),
    onclick: (e) => act(e.currentTarget, '/api/v1/reject',
      { ...base, etag: composed.etag, comment: comment.value }, '报告已退回。'),
  }, '退回修改');
  const publish = h('button', {
    type: 'button', id: 'publish', class: 'primary', disabled: state !== 'REPORT_STATE_APPROVED',
    onclick: (e) => act(e.currentTarget, '/api/v1/publish', base, '报告已发布，文本已冻结。'),
  }, '发布');
  // Present for everyone, shown only to approvers: the server refuses the
  // others anyway (403), and says so here.
  return h('section', { id: 'actions', class: 'card actions-panel', hidden: !may('approve', org) },
    h('h2', { text: '审核与发布' }),
    h('label', { for: 'decision-comment' }, '审核意见'), comment,
    h('div', { class: 'buttons' }, approve, reject, publish),
    h('p', { class: 'hint', text: '两人审核：报送人不能审核自己报送的报告。发布时按当前数据生成全部格式并冻结。' }));
}

// The records a number rests on, folded: resource names the RPC clients
// read back (GetSession, GetPower, GetOfficer…).
function recordsList(records, label) {
  if (!records || records.length === 0) return null;
  return h('details', { class: 'records' },
    h('summary', { text: `${label}（${records.length}条记录）` }),
    h('ul', {}, records.map((r) => h('li', {}, h('code', { text: r })))));
}

function findingsSection(composed) {
  const findings = composed.findings || [];
  const remedy = (f) => [
    f.cause ? h('p', { class: 'cause' }, h('strong', { text: '原因：' }), f.cause) : null,
    f.rectification ? h('p', { class: 'rectification' }, h('strong', { text: '整改：' }), f.rectification) : null,
    h('p', { class: 'owner muted' }, [f.owner ? `责任：${f.owner}` : '', f.dueDate ? `${dateText(f.dueDate)}前完成` : '']
      .filter(Boolean).join('，'),
    f.remedyFromOrganization ? h('span', { class: 'badge muted-badge', text: '本单位设定' }) : null),
  ];
  return h('section', { id: 'findings', class: 'card' },
    h('h2', { text: `数据发现的问题（${findings.length}）` }),
    findings.length === 0 ? h('p', { class: 'muted', text: '数据未发现问题。' }) :
      h('ol', { class: 'findings' }, findings.map((f) => h('li', { class: f.suppressed ? 'suppressed' : '', 'data-id': f.id },
        h('p', {}, f.text, f.suppressed ? h('span', { class: 'badge muted-badge', text: '作者已隐去' }) : null),
        ...remedy(f),
        h('p', { class: 'finding-id' }, h('code', { text: f.id })),
        (f.evidence || []).length ? h('ul', { class: 'evidence' },
          f.evidence.map((e) => h('li', { text: e }))) : null,
        recordsList(f.records, '依据')))));
}

// "同比增加2" / "上年无记录" for a fact with the year before.
function yearOnYear(f) {
  if (!f.hasPrevious) return '';
  if (!f.previousOnRecord) return '上年无记录';
  const now = f.number || 0;
  const before = f.previousNumber || 0;
  if (now === before) return `上年 ${before}，持平`;
  return `上年 ${before}，${now > before ? '增加' : '减少'} ${Math.abs(now - before)}`;
}

function factsSection(catalogue) {
  const facts = catalogue.facts || [];
  const warnings = catalogue.warnings || [];
  const source = (s) => (s ? `${SERVICE_NAMES[s.service] || s.service} · ${s.method} · ${s.resource}` : '');
  const value = (f) => `${f.text}${f.unit && f.isNumber ? ` ${f.unit}` : ''}`;
  const row = (f) => h('tr', { 'data-fact': f.name, class: (f.usedIn || []).length ? 'used' : '' },
    h('td', {}, h('code', { text: f.name })),
    h('td', { text: f.description }),
    h('td', { class: 'value', text: value(f) }),
    h('td', { class: 'previous', text: yearOnYear(f) }),
    h('td', { class: 'source' }, source(f.source), recordsList(f.records, '记录'),
      (f.usedIn || []).length ? h('p', { class: 'used-in', text: `报告引用：${f.usedIn.join('、')}` }) : null));
  // The numbers the report quotes first: each with the records behind it.
  const used = facts.filter((f) => (f.usedIn || []).length);
  const rest = facts.filter((f) => !(f.usedIn || []).length);
  return h('section', { id: 'facts', class: 'card' },
    h('h2', { text: `事实与来源（${facts.length}，报告引用${used.length}）` }),
    (catalogue.missingBackends || []).length ? h('p', { class: 'warning', text: `缺少数据：${catalogue.missingBackends.join('；')}` }) : null,
    warnings.length ? h('div', { id: 'number-warnings', class: 'warning' },
      h('p', { text: `正文中有${warnings.length}处手工填写的数字，没有记录可以印证，建议改为引用事实：` }),
      h('ul', {}, warnings.map((w) => h('li', {}, h('code', { text: w.field }), ' ', w.description)))) : null,
    h('table', { class: 'grid-table facts' },
      h('thead', {}, h('tr', {}, ['名称', '说明', '值', '同比', '来源与记录'].map((t) => h('th', { text: t })))),
      h('tbody', {}, [...used, ...rest].map(row))));
}

async function renderReport(org, year) {
  const view = $('view-report');
  fill(view, h('p', { class: 'muted', text: `正在生成 ${org} ${year} 年度报告……` }));
  showView('report');
  const reload = () => renderReport(org, year);
  let composed;
  let catalogue;
  try {
    [composed, catalogue] = await Promise.all([
      call('/api/v1/compose', { org: `orgs/${org}`, year, formats: ['html'] }),
      call('/api/v1/facts', { org: `orgs/${org}`, year }),
    ]);
  } catch (error) {
    fill(view, h('h1', { text: `${org} · ${year}年度` }), h('p', { class: 'muted', text: '无法打开这份报告。' }));
    showError(error);
    return;
  }
  const html = decodeBase64Utf8((composed.renderings || []).find((r) => r.format === 'html')?.content);
  const frame = h('iframe', { id: 'report-frame', title: '报告全文（打印效果）', sandbox: '', class: 'report-frame' });
  frame.srcdoc = html;
  const due = composed.dueDates || {};
  const facts = [
    ['单位', composed.organ || org],
    ['年度', `${year}年`],
    ['状态', statusBadge(composed.state)],
    ['报送截止', dateText(due.submitBefore)],
    ['公开截止', dateText(due.publishBefore)],
    ['修订版本', composed.revision ? `第 ${composed.revision} 版` : '—'],
    ['数据截至', dateText(composed.asOf)],
    ...lifecycleRows(composed),
  ];
  fill(view, 
    h('nav', { class: 'crumbs' }, h('a', { href: '#/', text: '我的单位' }), ' › ', h('span', { text: `${org} · ${year}年度` })),
    h('h1', { id: 'report-title', text: composed.title }),
    (composed.missingBackends || []).length ? h('p', { class: 'warning', text: `部分数据缺失：${composed.missingBackends.join('；')}` }) : null,
    h('div', { class: 'columns' },
      h('section', { class: 'card', id: 'status' },
        h('h2', { text: '状态与期限' }),
        h('dl', { class: 'facts-list' }, facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
        may('write', org) ? h('p', { class: 'buttons' },
          h('a', { id: 'open-desk', class: 'button', href: `#/write/${org}/${year}`, text: '撰写与修改' }),
          h('a', { class: 'button', href: `#/records/${org}/${year}`, text: '台账' })) : null),
      h('section', { class: 'card', id: 'downloads' },
        h('h2', { text: '下载' }),
        h('div', { class: 'buttons' }, FORMATS.map(([format, label]) => h('button', {
          type: 'button', 'data-format': format, onclick: () => download(org, year, format),
        }, label)), factsSheetButton(h, save, org, year)),
        h('p', { class: 'hint', text: '下载的是按当前数据生成的文本；已发布的版本以报告服务冻结的文件为准。' })),
      actionsPanel(org, year, composed, reload)),
    h('section', { class: 'card', id: 'document' },
      h('h2', { text: '报告全文（打印效果）' }), frame),
    findingsSection(composed),
    factsSection(catalogue));
}

async function renderDashboard(org, year, asOf) {
  const view = $('view-dashboard');
  fill(view, h('p', { class: 'muted', text: '正在汇总各单位……' }));
  showView('dashboard');
  const request = { supervisor: `orgs/${org}`, year };
  if (asOf) {
    const [y, m, d] = asOf.split('-').map(Number);
    request.asOf = { year: y, month: m, day: d };
  }
  let board;
  try {
    board = await call('/api/v1/dashboard', request);
  } catch (error) {
    fill(view, h('h1', { text: `监督看板 · ${org}` }));
    showError(error);
    return;
  }
  const rows = board.rows || [];
  const overdue = rows.filter((r) => r.submissionOverdue || r.publicationOverdue);
  const yearBox = yearInput('dashboard-year', year);
  const asOfBox = h('input', { id: 'dashboard-as-of', type: 'date', value: isoDate(board.asOf) });
  const refresh = h('button', {
    type: 'button', onclick: () => go(`#/dashboard/${org}/${Number(yearBox.value) || year}${asOfBox.value ? `/${asOfBox.value}` : ''}`),
  }, '刷新');
  const dueCell = (date, late, label) => h('td', { class: late ? 'overdue' : '' },
    dateText(date), late ? h('span', { class: 'badge overdue-badge', text: label }) : null);
  const count = (n, bad) => h('td', { class: `number${bad ? ' bad' : ''}`, text: String(n ?? 0) });
  const table = h('table', { class: 'grid-table dashboard', id: 'dashboard-table' },
    h('thead', {}, h('tr', {}, ['单位', '报告状态', '报送截止', '公开截止', '学法次数', '党组学法（季度）',
      '执法事项', '不足两名持证人员', '证件失效', '无法制审核人员的领域', '数据缺失'].map((t) => h('th', { text: t })))),
    h('tbody', {}, rows.map((r) => {
      const id = orgId(r.org);
      const leadershipShort = (r.leadershipQuartersCovered || 0) < (r.leadershipQuartersDue || 0);
      return h('tr', { 'data-org': id, class: r.submissionOverdue || r.publicationOverdue ? 'overdue-row' : '' },
        h('td', {}, h('a', { href: `#/report/${id}/${year}`, text: r.orgName || id }), h('br'), h('code', { text: id })),
        h('td', {}, r.started ? statusBadge(r.state) : h('span', { class: 'badge state-unspecified', 'data-state': 'NOT_STARTED', text: '未开始' })),
        dueCell(r.submitBefore, r.submissionOverdue, '逾期未报送'),
        dueCell(r.publishBefore, r.publicationOverdue, '逾期未公开'),
        count(r.studySessions),
        h('td', { class: `number${leadershipShort ? ' bad' : ''}`, text: `${r.leadershipQuartersCovered || 0} / ${r.leadershipQuartersDue || 0}` }),
        count(r.powers),
        count(r.powersUnderstaffed, r.powersUnderstaffed > 0),
        count(r.certificatesLapsed, r.certificatesLapsed > 0),
        count(r.domainsWithoutLegalReviewer, r.domainsWithoutLegalReviewer > 0),
        h('td', { class: 'missing', text: (r.factsMissing || []).join('；') }));
    })));
  const studyChart = groupedBarChart({
    title: '各季度学法次数',
    categories: QUARTERS,
    series: rows.map((r) => ({ name: r.orgName || orgId(r.org), values: QUARTERS.map((_, q) => (r.sessionsByQuarter || [])[q] || 0) })),
    unit: '次',
  });
  const domains = Object.entries(board.understaffedByDomain || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const gapsChart = barChart({
    title: '各执法领域人员缺口（不足两名持证人员的执法事项）',
    labels: domains.map(([d]) => d), values: domains.map(([, n]) => n), unit: '项', empty: '各领域均已配足持证执法人员',
  });
  fill(view, 
    h('nav', { class: 'crumbs' }, h('a', { href: '#/', text: '我的单位' }), ' › ', h('span', { text: `监督看板 · ${org}` })),
    h('h1', { text: `监督看板：${org} · ${board.year}年度` }),
    h('div', { class: 'toolbar' },
      h('label', { for: 'dashboard-year' }, '年度'), yearBox,
      h('label', { for: 'dashboard-as-of' }, '截至'), asOfBox, refresh,
      dashboardSheetButton(h, save, org, year, asOf)),
    h('p', { id: 'dashboard-summary', class: overdue.length ? 'warning' : 'muted' },
      `截至${dateText(board.asOf)}，共 ${rows.length} 个单位，其中 ${overdue.length} 个逾期` +
      (overdue.length ? `：${overdue.map((r) => r.orgName || orgId(r.org)).join('、')}。` : '。')),
    table,
    h('div', { class: 'charts' },
      h('section', { class: 'card', id: 'chart-study' }, h('h2', { text: '各季度学法次数' }), studyChart),
      h('section', { class: 'card', id: 'chart-gaps' }, h('h2', { text: '各执法领域人员缺口' }), gapsChart)));
}

// ---------------------------------------------------------------------------
// Routing: #/, #/report/{org}/{year}, #/dashboard/{org}/{year}[/{as-of}].

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function route() {
  clearMessages();
  if (!sessionStorage.getItem(KEY_STORAGE)) {
    showView('signin');
    $('api-key').focus();
    return;
  }
  if (!me) {
    try {
      me = await whoami(sessionStorage.getItem(KEY_STORAGE));
    } catch (error) {
      signOut();
      showError(error);
      return;
    }
    afterSignIn();
  }
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const org = parts[1];
  const year = Number(parts[2]);
  const valid = /^[a-z0-9-]+$/.test(org || '') && Number.isInteger(year) && year >= 2000 && year <= 2100;
  if (parts[0] === 'report' && valid) return renderReport(org, year);
  if (parts[0] === 'write' && valid) return renderDesk(org, year);
  if (parts[0] === 'records' && valid) return renderRecords(org, year, parts[3] || '');
  if (parts[0] === 'dashboard' && valid) {
    const asOf = /^\d{4}-\d{2}-\d{2}$/.test(parts[3] || '') ? parts[3] : '';
    return renderDashboard(org, year, asOf);
  }
  return renderHome();
}

$('signin-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => {
  signOut();
  clearMessages();
  history.replaceState(null, '', '/');
});
window.addEventListener('hashchange', route);
route();

// For the writer's desk (desk.js, records.js).
export {
  h, $, fill, dateText, isoDate, timeText, clearMessages, showNotice, showError, ApiError,
  authorization, send, call, may, statusBadge, decodeBase64Utf8, go, showView, yearInput,
  SERVICE_NAMES,
};
