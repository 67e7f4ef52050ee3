// Records by form (#/records/{org}/{year}[/{kind}]): study sessions,
// publicity events, the study plan, powers and officers — listed (paged,
// filtered by year and kind), created, edited and deleted, each bad field
// named beside its input by the server's own message; attendees picked
// from the department's roster (its officers). A CSV file dropped on the
// page becomes JSON Lines for the same streaming import RPC the CLI uses,
// with a progress bar and the rejected rows in a table that can be saved.
//
// One description per kind (KINDS) drives the table, the form and the CSV
// columns, which may be named by the field's proto or JSON name (as the
// CLI's CSV import reads them) or by its Chinese label.

import {
  h, $, fill, dateText, clearMessages, showNotice, showError, ApiError, may, showView, go,
} from './app.js';
import { COLLECTIONS, plans, records } from './desk_api.js';
import { csvRecords, setPath, splitList } from './desk_text.js';

const STUDY_KINDS = [
  ['STUDY_KIND_LEADERSHIP_GROUP', '党组（中心组）学法'], ['STUDY_KIND_PRE_MEETING', '会前学法'],
  ['STUDY_KIND_ALL_STAFF', '集中学法'], ['STUDY_KIND_LECTURE', '专题法治讲座'], ['STUDY_KIND_TRAINING', '业务培训'],
  ['STUDY_KIND_CONSTITUTIONAL_OATH', '宪法宣誓'], ['STUDY_KIND_LAW_EXAM', '学法考试'],
  ['STUDY_KIND_DUTY_STATEMENT', '述法'], ['STUDY_KIND_OTHER', '其他'],
];
const PUBLICITY_KINDS = [
  ['PUBLICITY_KIND_CONSTITUTION_DAY', '国家宪法日'], ['PUBLICITY_KIND_CONSTITUTION_WEEK', '宪法宣传周'],
  ['PUBLICITY_KIND_CIVIL_CODE_MONTH', '民法典宣传月'], ['PUBLICITY_KIND_SERVICE_SITE', '进机构（服务场所）'],
  ['PUBLICITY_KIND_PUBLIC_SPACE', '街头广场社区'], ['PUBLICITY_KIND_ONLINE', '网络'], ['PUBLICITY_KIND_OTHER', '其他'],
];
const POWER_TYPES = [
  ['POWER_TYPE_LICENSING', '行政许可'], ['POWER_TYPE_PENALTY', '行政处罚'], ['POWER_TYPE_COERCION', '行政强制'],
  ['POWER_TYPE_LEVY', '行政征收'], ['POWER_TYPE_PAYMENT', '行政给付'], ['POWER_TYPE_INSPECTION', '行政检查'],
  ['POWER_TYPE_CONFIRMATION', '行政确认'], ['POWER_TYPE_REWARD', '行政奖励'], ['POWER_TYPE_ADJUDICATION', '行政裁决'],
  ['POWER_TYPE_OTHER', '其他行政权力'],
];
const CERTIFICATE_STATUSES = [
  ['CERTIFICATE_STATUS_VALID', '有效'], ['CERTIFICATE_STATUS_SUSPENDED', '暂扣'], ['CERTIFICATE_STATUS_REVOKED', '吊销/注销'],
];
const RULE_PERIODS = [['RULE_PERIOD_MONTH', '每月'], ['RULE_PERIOD_QUARTER', '每季度'], ['RULE_PERIOD_YEAR', '每年']];

// A field: key (JSON name; dotted for a nested message), proto (the name
// the server's field violations use, derived), label, type: text | long |
// number | date | enum | list | bool | attendees; `column` marks the
// table's columns, `options` an enum's values.
function fieldSpec(key, label, type, extra = {}) {
  const proto = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return { key, proto, label, type, ...extra };
}
const EXTERNAL_ID = fieldSpec('externalId', '本单位编号', 'text');
const NOTES = fieldSpec('notes', '备注', 'long');
const RECORD_TAIL = [EXTERNAL_ID, fieldSpec('evidence', '佐证材料', 'list'), NOTES];

export const KINDS = {
  sessions: {
    label: '学法记录', resource: 'session', importable: true, filter: { year: true, field: 'kind', options: STUDY_KINDS },
    fields: [
      fieldSpec('date', '日期', 'date', { column: true }),
      fieldSpec('kind', '类型', 'enum', { options: STUDY_KINDS, column: true }),
      fieldSpec('title', '主题', 'text', { column: true }),
      fieldSpec('laws', '学习的法律', 'list', { column: true, hint: '多部用“、”或“；”分隔，不加书名号' }),
      fieldSpec('durationMinutes', '时长（分钟）', 'number', { column: true }),
      fieldSpec('location', '地点', 'text'),
      fieldSpec('attendees', '参加人员', 'attendees'),
      fieldSpec('attendeeCount', '参加人数', 'number', { column: true, hint: '0 表示按所选人员计' }),
      fieldSpec('headAttended', '主要负责人参加', 'bool', { hint: '选了参加人员时按其中是否有主要负责人' }),
      ...RECORD_TAIL,
    ],
  },
  events: {
    label: '普法活动', resource: 'publicity_event', importable: true, filter: { year: true, field: 'kind', options: PUBLICITY_KINDS },
    fields: [
      fieldSpec('date', '日期', 'date', { column: true }),
      fieldSpec('kind', '类型', 'enum', { options: PUBLICITY_KINDS, column: true }),
      fieldSpec('title', '名称', 'text', { column: true }),
      fieldSpec('place', '地点', 'text', { column: true }),
      fieldSpec('laws', '宣传的法律', 'list'),
      fieldSpec('displayBoards', '展板（块）', 'number'),
      fieldSpec('leaflets', '宣传资料（份）', 'number'),
      fieldSpec('peopleReached', '受众（人次）', 'number', { column: true }),
      fieldSpec('consultations', '接受咨询（人次）', 'number'),
      ...RECORD_TAIL,
    ],
  },
  plan: { label: '学法计划', resource: 'study_plan' },
  powers: {
    label: '权责清单', resource: 'power', importable: true, filter: { year: false, field: 'type', options: POWER_TYPES },
    fields: [
      fieldSpec('code', '权力编码', 'text', { column: true }),
      fieldSpec('itemName', '事项名称（大项）', 'text', { column: true }),
      fieldSpec('subItemName', '子项', 'text'),
      fieldSpec('type', '权力类型', 'enum', { options: POWER_TYPES, column: true }),
      fieldSpec('domain', '执法领域', 'text', { column: true }),
      fieldSpec('settingBasis', '设定依据', 'list'),
      fieldSpec('implementingBasis', '实施依据', 'list'),
      fieldSpec('implementingUnit', '实施科室', 'text'),
      fieldSpec('accountabilityCases', '追责情形', 'list'),
      fieldSpec('requiredOfficers', '所需执法人员', 'number', { hint: '0 表示默认 2 人' }),
      fieldSpec('needsLegalReview', '需法制审核', 'bool', { column: true }),
      EXTERNAL_ID, NOTES,
    ],
  },
  officers: {
    label: '执法人员', resource: 'officer', importable: true, filter: { year: false, field: 'certificateStatus', options: CERTIFICATE_STATUSES },
    fields: [
      fieldSpec('personId', '人员编号', 'text', { column: true }),
      fieldSpec('displayName', '姓名', 'text', { column: true }),
      fieldSpec('certificate.number', '执法证号', 'text', { column: true }),
      fieldSpec('certificate.issuedDate', '发证日期', 'date'),
      fieldSpec('certificate.expiryDate', '有效期至', 'date', { column: true }),
      fieldSpec('certificate.status', '证件状态', 'enum', { options: CERTIFICATE_STATUSES }),
      fieldSpec('domains', '执法领域', 'list', { column: true }),
      fieldSpec('legalQualification', '法律职业资格', 'bool', { column: true }),
      fieldSpec('established', '在编在岗', 'bool'),
      fieldSpec('maxLoad', '最多承担事项', 'number', { hint: '0 表示默认 30' }),
      EXTERNAL_ID, NOTES,
    ],
  },
};
const PAGE_SIZE = 20;
const IMPORT_BATCH_ROWS = 100;

let view = null;  // {org, year, kind, pageTokens, filter…}

// ---------------------------------------------------------------------------
// Values.

function getPath(object, key) {
  return key.split('.').reduce((o, part) => (o == null ? undefined : o[part]), object);
}

function isoOf(date) {
  if (!date || !date.year) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}


function optionName(options, value) {
  return (options.find(([v]) => v === value) || [null, value || ''])[1];
}

function cellText(field, value) {
  switch (field.type) {
    case 'date': return value ? dateText(value) : '';
    case 'enum': return optionName(field.options, value);
    case 'list': return (value || []).join('、');
    case 'bool': return value ? '是' : '否';
    case 'number': return String(value ?? 0);
    default: return value || '';
  }
}

// ---------------------------------------------------------------------------
// The list.

function kindTabs() {
  return h('nav', { class: 'tabs record-tabs', 'aria-label': '台账类别' }, Object.entries(KINDS).map(([kind, spec]) =>
    h('a', {
      href: `#/records/${view.org}/${view.year}/${kind}`, class: kind === view.kind ? 'current' : '',
      'aria-current': kind === view.kind ? 'page' : false, text: spec.label,
    })));
}

async function renderList() {
  const spec = KINDS[view.kind];
  const box = $('records-body');
  const filter = spec.filter;
  const kindSelect = h('select', { id: 'records-filter', 'aria-label': '按类型筛选' },
    h('option', { value: '', text: '全部类型' }), filter.options.map(([value, text]) => h('option', { value, text })));
  kindSelect.value = view.filterValue || '';
  kindSelect.addEventListener('change', () => { view.filterValue = kindSelect.value; view.pageTokens = ['']; renderList(); });
  const query = { pageSize: PAGE_SIZE, pageToken: view.pageTokens[view.pageTokens.length - 1] };
  if (filter.year) query.year = view.year;
  if (view.filterValue) query[filter.field] = view.filterValue;
  let answer;
  try {
    answer = await records.list(view.kind, view.org, query);
  } catch (error) {
    showError(error);
    fill(box, h('p', { class: 'muted', text: '无法读取台账。' }));
    return;
  }
  const items = answer[COLLECTIONS[view.kind].list] || [];
  const columns = spec.fields.filter((f) => f.column);
  const writable = may('write', view.org);
  const table = h('table', { class: 'grid-table records-table', id: 'records-table' },
    h('thead', {}, h('tr', {}, columns.map((f) => h('th', { text: f.label })), writable ? h('th', { text: '' }) : null)),
    h('tbody', {}, items.map((record) => h('tr', { 'data-name': record.name },
      columns.map((f) => h('td', { text: cellText(f, getPath(record, f.key)) })),
      writable ? h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'link edit', onclick: () => renderForm(record) }, '修改'),
        h('button', { type: 'button', class: 'link danger delete', onclick: () => remove(record) }, '删除')) : null))));
  const page = view.pageTokens.length;
  fill(box,
    h('div', { class: 'toolbar' },
      filter.year ? h('span', { class: 'muted', text: `${view.year}年` }) : null,
      kindSelect,
      writable ? h('button', { type: 'button', id: 'record-new', class: 'primary', onclick: () => renderForm(null) }, `新增${spec.label}`) : null),
    items.length ? table : h('p', { class: 'muted', id: 'records-empty', text: '没有符合条件的记录。' }),
    h('div', { class: 'pager' },
      h('button', {
        type: 'button', id: 'page-prev', disabled: page <= 1, onclick: () => { view.pageTokens.pop(); renderList(); },
      }, '上一页'),
      h('span', { text: `第 ${page} 页` }),
      h('button', {
        type: 'button', id: 'page-next', disabled: !answer.nextPageToken,
        onclick: () => { view.pageTokens.push(answer.nextPageToken); renderList(); },
      }, '下一页')),
    writable && spec.importable ? importPanel() : null);
}

async function remove(record) {
  clearMessages();
  const spec = KINDS[view.kind];
  const label = cellText(spec.fields[2], getPath(record, spec.fields[2].key)) || record.name;
  if (!window.confirm(`删除${spec.label}“${label}”？删除后不能恢复。`)) return;
  try {
    await records.remove(record.name, record.etag);
    showNotice(`已删除${spec.label}“${label}”。`);
    renderList();
  } catch (error) {
    showError(error);
  }
}

// ---------------------------------------------------------------------------
// The form.

async function roster() {
  if (view.roster) return view.roster;
  const people = [];
  let pageToken = '';
  do {
    const answer = await records.list('officers', view.org, { pageSize: 1000, pageToken });
    people.push(...(answer.officers || []));
    pageToken = answer.nextPageToken || '';
  } while (pageToken);
  view.roster = people.map((o) => ({ personId: o.personId, displayName: o.displayName }));
  return view.roster;
}

function attendeesControl(record, id) {
  const chosen = new Map((record.attendees || []).map((a) => [a.personId || a.displayName, a]));
  const box = h('div', { class: 'attendees', id, tabindex: -1 });
  const head = h('select', { class: 'head-select', 'aria-label': '其中主要负责人' });
  const refreshHead = () => {
    const current = [...chosen.values()].find((a) => a.isHead);
    fill(head, h('option', { value: '', text: '（无主要负责人）' }),
      [...chosen.values()].map((a) => h('option', { value: a.personId || a.displayName, text: a.displayName || a.personId })));
    head.value = current ? current.personId || current.displayName : '';
  };
  head.addEventListener('change', () => {
    for (const [key, a] of chosen) a.isHead = key === head.value;
  });
  roster().then((people) => {
    const known = new Set(people.map((p) => p.personId));
    const extra = [...chosen.values()].filter((a) => !known.has(a.personId));
    fill(box,
      people.length ? h('div', { class: 'roster' }, [...people, ...extra].map((p) => {
        const key = p.personId || p.displayName;
        const check = h('input', { type: 'checkbox', value: key, checked: chosen.has(key) });
        check.addEventListener('change', () => {
          if (check.checked) chosen.set(key, { personId: p.personId, displayName: p.displayName, isHead: false });
          else chosen.delete(key);
          refreshHead();
        });
        return h('label', { class: 'person' }, check, ` ${p.displayName || p.personId}`);
      })) : h('p', { class: 'muted', text: '本单位还没有执法人员名册；可只填参加人数。' }),
      h('label', {}, '其中主要负责人 ', head));
    refreshHead();
  }).catch((error) => showError(error));
  return { node: box, value: () => [...chosen.values()] };
}

function inputFor(field, value, id) {
  switch (field.type) {
    case 'long': {
      const c = h('textarea', { id, rows: 2 });
      c.value = value || '';
      return { node: c, value: () => c.value.trim() };
    }
    case 'number': {
      const c = h('input', { id, type: 'number', step: 1, min: 0 });
      c.value = value ?? '';
      return { node: c, value: () => (c.value === '' ? 0 : Number(c.value)) };
    }
    case 'date': {
      const c = h('input', { id, type: 'date' });
      c.value = isoOf(value);
      return {
        node: c,
        value: () => {
          const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(c.value);
          return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
        },
      };
    }
    case 'enum': {
      const c = h('select', { id }, h('option', { value: '', text: '（请选择）' }),
        field.options.map(([v, text]) => h('option', { value: v, text })));
      c.value = value || '';
      return { node: c, value: () => c.value || undefined };
    }
    case 'list': {
      const c = h('input', { id, type: 'text' });
      c.value = (value || []).join('、');
      return { node: c, value: () => splitList(c.value) };
    }
    case 'bool': {
      const c = h('input', { id, type: 'checkbox', checked: Boolean(value) });
      return { node: c, value: () => c.checked };
    }
    default: {
      const c = h('input', { id, type: 'text' });
      c.value = value || '';
      return { node: c, value: () => c.value.trim() };
    }
  }
}

// The field a violation names ("session.attendees[1].person_id" → the
// attendees input).
function fieldOfViolation(spec, name) {
  const path = name.replace(new RegExp(`^${spec.resource}\\.`), '').replace(/\[\d+\].*$/, '');
  return spec.fields.find((f) => f.proto === path || path.startsWith(`${f.proto}.`)) ||
    spec.fields.find((f) => f.proto.startsWith(`${path}.`));
}

function renderForm(existing) {
  clearMessages();
  const spec = KINDS[view.kind];
  const record = structuredClone(existing || {});
  const controls = spec.fields.map((field) => {
    const id = `field-${field.proto.replace(/\W/g, '-')}`;
    const control = field.type === 'attendees' ? attendeesControl(record, id) : inputFor(field, getPath(record, field.key), id);
    const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert', hidden: true });
    control.node.setAttribute('aria-describedby', `${id}-error`);
    return {
      field, control, error,
      node: h('div', { class: `form-field type-${field.type}`, 'data-field': field.proto },
        h('label', { for: id, text: field.label }), control.node,
        field.hint ? h('p', { class: 'hint', text: field.hint }) : null, error),
    };
  });
  const form = h('form', { class: 'card record-form', id: 'record-form', novalidate: true },
    h('h2', { text: existing ? `修改${spec.label}` : `新增${spec.label}` }),
    h('div', { class: 'form-grid' }, controls.map((c) => c.node)),
    h('div', { class: 'buttons' },
      h('button', { type: 'submit', class: 'primary', id: 'record-save' }, '保存'),
      h('button', { type: 'button', id: 'record-cancel', onclick: () => renderList() }, '取消')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMessages();
    for (const c of controls) { c.error.hidden = true; c.node.classList.remove('invalid'); }
    for (const c of controls) setPath(record, c.field.key, c.control.value());
    const button = $('record-save');
    button.disabled = true;
    try {
      if (existing) await records.update(record, [...new Set(spec.fields.map((f) => f.key.split('.')[0]))]);
      else await records.create(view.kind, view.org, record);
      showNotice(`${spec.label}已保存。`);
      renderList();
    } catch (error) {
      button.disabled = false;
      const violations = error instanceof ApiError ? (error.details || []).flatMap((d) => d.fieldViolations || []) : [];
      for (const v of violations) {
        const field = fieldOfViolation(spec, v.field);
        const c = controls.find((x) => x.field === field);
        if (!c) continue;
        c.error.textContent = [c.error.hidden ? '' : c.error.textContent, `${v.field}：${v.description}`].filter(Boolean).join('；');
        c.error.hidden = false;
        c.node.classList.add('invalid');
      }
      showError(error);
      controls.find((c) => !c.error.hidden)?.control.node.focus();
    }
  });
  fill($('records-body'), form);
  controls[0].control.node.focus();
}

// ---------------------------------------------------------------------------
// The study plan: one per year.

async function renderPlan() {
  const box = $('records-body');
  const name = `orgs/${view.org}/studyPlans/${view.year}`;
  let plan = { name, rules: [] };
  try {
    plan = await plans.get(view.org, view.year);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 'NOT_FOUND')) {
      showError(error);
      return;
    }
  }
  plan.rules = plan.rules || [];
  const writable = may('write', view.org);
  const basics = [
    fieldSpec('title', '计划名称', 'text'),
    fieldSpec('adoptedDate', '印发日期', 'date'),
    fieldSpec('eligibleStaff', '应参加宪法宣誓等的在编人数', 'number'),
    fieldSpec('plannedLaws', '计划学习的法律', 'list'),
    NOTES,
  ].map((spec) => {
    const id = `plan-${spec.proto.replace(/\W/g, '-')}`;
    const control = inputFor(spec, plan[spec.key], id);
    const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
    return { field: spec, control, error, node: h('div', { class: 'form-field', 'data-field': spec.proto }, h('label', { for: id, text: spec.label }), control.node, error) };
  });
  const ruleRows = h('tbody', {});
  const addRule = (rule) => {
    const kind = inputFor({ type: 'enum', options: STUDY_KINDS }, rule.kind, undefined);
    const period = inputFor({ type: 'enum', options: RULE_PERIODS }, rule.period, undefined);
    const sessions = inputFor({ type: 'number' }, rule.minSessions, undefined);
    const minutes = inputFor({ type: 'number' }, rule.minMinutes, undefined);
    const row = h('tr', {}, [kind, period, sessions, minutes].map((c) => h('td', {}, c.node)),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => row.remove() }, '删除')));
    row.value = () => ({ kind: kind.value(), period: period.value(), minSessions: sessions.value(), minMinutes: minutes.value() });
    ruleRows.append(row);
  };
  plan.rules.forEach(addRule);
  const form = h('form', { class: 'card record-form', id: 'plan-form', novalidate: true },
    h('h2', { text: `${view.year}年学法计划` }),
    h('div', { class: 'form-grid' }, basics.map((b) => b.node)),
    h('h3', { text: '学法规则' }),
    h('table', { class: 'grid-table' }, h('thead', {}, h('tr', {}, ['类型', '周期', '至少次数', '每次至少分钟', ''].map((t) => h('th', { text: t })))), ruleRows),
    h('p', { class: 'field-error', id: 'plan-rules-error', role: 'alert', hidden: true }),
    writable ? h('div', { class: 'buttons' },
      h('button', { type: 'button', onclick: () => addRule({}) }, '＋ 添加规则'),
      h('button', { type: 'submit', class: 'primary', id: 'plan-save' }, '保存计划')) : null);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMessages();
    for (const b of basics) plan[b.field.key] = b.control.value();
    plan.rules = [...ruleRows.children].map((row) => row.value());
    try {
      plan = await plans.put(plan, [...basics.map((b) => b.field.key), 'rules']);
      showNotice('学法计划已保存。');
      renderPlan();
    } catch (error) {
      const violations = error instanceof ApiError ? (error.details || []).flatMap((d) => d.fieldViolations || []) : [];
      for (const v of violations) {
        const path = v.field.replace(/^study_plan\./, '').replace(/\[\d+\].*$/, '');
        const b = basics.find((x) => x.field.proto === path);
        const target = b ? b.error : path === 'rules' ? $('plan-rules-error') : null;
        if (target) { target.textContent = `${v.field}：${v.description}`; target.hidden = false; }
      }
      showError(error);
    }
  });
  fill(box, form);
}

// ---------------------------------------------------------------------------
// Import by upload.

function importPanel() {
  const spec = KINDS[view.kind];
  const input = h('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv' });
  const zone = h('div', { class: 'drop-zone', id: 'drop-zone', tabindex: 0, role: 'button', 'aria-label': '选择或拖入 CSV 文件' },
    h('p', { text: `把${spec.label}的 CSV 文件拖到这里，或` }), h('label', { class: 'button', for: 'import-file' }, '选择文件'), input);
  const start = (file) => file && importFile(file);
  input.addEventListener('change', () => start(input.files[0]));
  zone.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); start(e.dataTransfer.files[0]); });
  const columns = spec.fields.filter((f) => f.type !== 'attendees').map((f) => f.proto).join(', ');
  return h('section', { class: 'card import-panel', id: 'import-panel' },
    h('h2', { text: `从 CSV 文件导入${spec.label}` }),
    zone,
    h('p', { class: 'hint' }, '第一行为列名，可用中文名称或字段名：', h('code', { text: columns }),
      '。日期写作 2024-03-15，多项用“、”分隔，是否写“是/否”。每行单独校验，有错的行不保存，其余照常导入。Excel 文件请先另存为 CSV（UTF-8）。'),
    h('div', { id: 'import-progress', hidden: true },
      h('progress', { id: 'import-bar', max: 100, value: 0 }), h('span', { id: 'import-count' })),
    h('div', { id: 'import-result' }));
}

async function importFile(file) {
  clearMessages();
  const kind = view.kind;
  const spec = KINDS[kind];
  const text = await file.text();
  const { rows, errors } = csvRecords(spec.fields, text);
  const bar = $('import-bar');
  $('import-progress').hidden = false;
  bar.max = Math.max(rows.length, 1);
  bar.value = 0;
  let stored = 0;
  for (let at = 0; at < rows.length; at += IMPORT_BATCH_ROWS) {
    const batch = rows.slice(at, at + IMPORT_BATCH_ROWS);
    try {
      const report = await records.import(kind, view.org, batch.map((r) => r.record));
      stored += report.rowsStored || 0;
      for (const result of report.results || []) {
        if (!result.code) continue;
        const line = batch[result.row]?.line ?? '';
        const fields = result.fieldErrors || [];
        if (fields.length) for (const f of fields) errors.push({ line, field: f.field, message: f.description });
        else errors.push({ line, field: '', message: result.message });
      }
    } catch (error) {
      errors.push(...batch.map((r) => ({ line: r.line, field: '', message: `未导入：${error.message}` })));
      showError(error);
    }
    bar.value = Math.min(at + batch.length, rows.length);
    $('import-count').textContent = ` ${bar.value} / ${rows.length} 行`;
  }
  errors.sort((a, b) => a.line - b.line);
  const badLines = new Set(errors.map((e) => e.line)).size;
  fill($('import-result'),
    h('p', { id: 'import-summary', class: errors.length ? 'warning' : 'ok' },
      `${file.name}：导入 ${stored} 条${spec.label}，${badLines} 行未导入。`),
    errors.length ? h('table', { class: 'grid-table', id: 'import-errors' },
      h('thead', {}, h('tr', {}, ['行号', '字段', '原因'].map((t) => h('th', { text: t })))),
      h('tbody', {}, errors.map((e) => h('tr', {}, h('td', { text: String(e.line) }), h('td', {}, h('code', { text: e.field })), h('td', { text: e.message }))))) : null,
    errors.length ? h('button', { type: 'button', id: 'import-errors-download', onclick: () => downloadErrors(file.name, errors) }, '下载错误清单（CSV）') : null);
  if (!stored) return;
  showNotice(`已导入 ${stored} 条${spec.label}。`);
  // The list with the new rows, the import's outcome kept below it.
  const outcome = [$('import-progress'), $('import-result')];
  await renderList();
  if (view.kind !== kind || !$('import-result')) return;
  $('import-progress').replaceWith(outcome[0]);
  $('import-result').replaceWith(outcome[1]);
}

function csvCell(value) {
  const text = String(value ?? '');
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function downloadErrors(fileName, errors) {
  const lines = [['行号', '字段', '原因'], ...errors.map((e) => [e.line, e.field, e.message])].map((r) => r.map(csvCell).join(','));
  const blob = new Blob([`\uFEFF${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName.replace(/\.csv$/i, '') + '-错误.csv', hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// ---------------------------------------------------------------------------

export function renderRecords(org, year, kind) {
  if (!KINDS[kind]) return go(`#/records/${org}/${year}/sessions`);
  view = { org, year, kind, pageTokens: [''], filterValue: '', roster: null };
  const page = $('view-records');
  fill(page,
    h('nav', { class: 'crumbs' }, h('a', { href: '#/', text: '我的单位' }), ' › ',
      h('a', { href: `#/report/${org}/${year}`, text: `${org} · ${year}年度` }), ' › ', h('span', { text: '台账' })),
    h('h1', { id: 'records-title', text: `台账：${KINDS[kind].label}` }),
    kindTabs(),
    h('div', { id: 'records-body' }, h('p', { class: 'muted', text: '正在读取……' })));
  showView('records');
  return kind === 'plan' ? renderPlan() : renderList();
}
