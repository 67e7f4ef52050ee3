// The writer's desk (#/write/{org}/{year}): a department's staff write
// the year's report in the page. The report's sections in its layout (the
// regulation's five items always), each paragraph, shortcoming and plan
// item editable in place; the facts beside it, inserted as placeholders at
// the cursor; the gateway's rendering of the text being edited (saved or
// not) as the preview; the findings with a switch to leave each out (with
// a reason, stored with the report); what is
// still missing before submission; saving with the etag, so that another
// person's edit is shown, never overwritten.
//
// Placeholders are checked as they are typed (the grammar of report.proto,
// and names against the fact catalogue); on saving the server's own field
// messages replace the page's.

import {
  h, $, fill, dateText, timeText, clearMessages, showNotice, showError, ApiError, call, may,
  statusBadge, decodeBase64Utf8, showView, SERVICE_NAMES,
} from './app.js';
import { reports } from './desk_api.js';
import { checkTemplate } from './desk_text.js';

const ITEMS = [
  ['CONTENT_ITEM_MEASURES', '推进法治政府建设的主要举措和成效'],
  ['CONTENT_ITEM_SHORTCOMINGS', '推进法治政府建设存在的不足和原因'],
  ['CONTENT_ITEM_HEAD_DUTY', '党政主要负责人履行推进法治建设第一责任人职责的有关情况'],
  ['CONTENT_ITEM_NEXT_YEAR_PLAN', '下一年度推进法治政府建设的主要安排'],
  ['CONTENT_ITEM_OTHER', '其他需要报告的情况'],
];
const ITEM_NAMES = Object.fromEntries(ITEMS);
const NUMBERS = '一二三四五六七八九十';
const EDITABLE = ['REPORT_STATE_DRAFT', 'REPORT_STATE_REJECTED'];
// What the desk writes back (update_mask): everything it shows.
const SAVED_FIELDS = ['title', 'preamble', 'sections', 'shortcomings', 'planItems', 'suppressedFindings',
  'suppressionReasons', 'signatory', 'reportDate', 'documentNumber'];
const RECTIFICATION = [
  ['RECTIFICATION_STATUS_OPEN', '未开始'], ['RECTIFICATION_STATUS_IN_PROGRESS', '整改中'],
  ['RECTIFICATION_STATUS_DONE', '已完成'],
];
const CHECK_DELAY_MS = 300;
const PREVIEW_DELAY_MS = 600;
const MAX_REASON_CHARS = 200;

let desk = null;

// ---------------------------------------------------------------------------
// Fields: every control is registered under the path the server names it by
// ("report.sections[0].items[1].paragraphs[2]"), so a field violation lands
// next to its control.

function registerField(path, control) {
  const error = h('p', { class: 'field-error', id: `err-${desk.fieldSeq += 1}`, role: 'alert', hidden: true });
  control.dataset.field = path;
  control.setAttribute('aria-describedby', error.id);
  desk.fields.set(path, { control, error, messages: { local: [], server: [] } });
  return error;
}

function showFieldMessages(path) {
  const field = desk.fields.get(path);
  if (!field) return;
  const lines = [...field.messages.server, ...field.messages.local];
  field.error.textContent = lines.join('；');
  field.error.hidden = lines.length === 0;
  field.control.classList.toggle('invalid', lines.length > 0);
  if (lines.length) field.control.setAttribute('aria-invalid', 'true');
  else field.control.removeAttribute('aria-invalid');
}

function setFieldMessages(path, source, messages) {
  const field = desk.fields.get(path);
  if (!field) return false;
  field.messages[source] = messages;
  showFieldMessages(path);
  return true;
}

function clearServerMessages() {
  for (const path of desk.fields.keys()) setFieldMessages(path, 'server', []);
}

// The server's field violations beside their controls; the rest (and the
// status line) in the page's message box.
function showViolations(error, { quiet = false } = {}) {
  const violations = (error.details || []).flatMap((d) => d.fieldViolations || []);
  const byField = new Map();
  for (const v of violations) {
    const field = localField(v.field);
    if (!byField.has(field)) byField.set(field, []);
    byField.get(field).push(v.description);
  }
  let placed = 0;
  for (const [field, messages] of byField) {
    if (setFieldMessages(field, 'server', messages)) placed += 1;
  }
  // A preview's problems wait beside their fields: the writer is typing.
  if (quiet) return placed;
  showError(error);
  const first = [...byField.keys()].map((f) => desk.fields.get(f)).find(Boolean);
  if (first) first.control.focus();
  return placed;
}

function localCheck(path, text) {
  const problems = checkTemplate(text, desk.factNames.size ? desk.factNames : null);
  setFieldMessages(path, 'local', problems.map((p) => p.message));
  // The server's word on a field stands until the text changes.
  setFieldMessages(path, 'server', []);
}

// ---------------------------------------------------------------------------
// Controls bound to the working copy.

function markDirty() {
  desk.dirty = true;
  $('desk-dirty').hidden = false;
  scheduleChecklist();
  schedulePreview();
}

function textControl(path, value, onChange, { multiline = true, template = true, label, rows = 3, max } = {}) {
  const control = multiline
    ? h('textarea', { rows, maxlength: max, 'aria-label': label, disabled: !desk.editable })
    : h('input', { type: 'text', maxlength: max, 'aria-label': label, disabled: !desk.editable });
  control.value = value || '';
  if (template) control.dataset.template = '';
  const error = registerField(path, control);
  let timer = 0;
  control.addEventListener('input', () => {
    onChange(control.value);
    markDirty();
    if (template) {
      clearTimeout(timer);
      timer = setTimeout(() => localCheck(path, control.value), CHECK_DELAY_MS);
    }
  });
  if (template && value) localCheck(path, value);
  return h('div', { class: 'field' }, control, error);
}

function dateControl(path, value, onChange, label) {
  const control = h('input', { type: 'date', 'aria-label': label, disabled: !desk.editable });
  control.value = isoOf(value);
  const error = registerField(path, control);
  control.addEventListener('input', () => {
    onChange(dateOf(control.value));
    markDirty();
  });
  return h('div', { class: 'field' }, control, error);
}

function isoOf(date) {
  if (!date || !date.year) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.year}-${pad(date.month || 1)}-${pad(date.day || 1)}`;
}

function dateOf(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}

function smallButton(text, onclick, attributes = {}) {
  return h('button', { type: 'button', class: 'small', disabled: !desk.editable, onclick, ...attributes }, text);
}

// A list of paragraphs: one textarea each, with add and remove.
function paragraphList(path, list, label) {
  const rows = list.map((text, i) => h('div', { class: 'paragraph' },
    textControl(`${path}[${i}]`, text, (value) => { list[i] = value; }, { label: `${label}第${i + 1}段`, rows: 4, max: 5000 }),
    smallButton('删除本段', () => { list.splice(i, 1); markDirty(); renderEditor(); },
      { class: 'small link remove', 'aria-label': `删除${label}第${i + 1}段` })));
  return h('div', { class: 'paragraphs' }, rows,
    smallButton('＋ 添加段落', () => { list.push(''); markDirty(); renderEditor(`${path}[${list.length - 1}]`); },
      { class: 'small add-paragraph' }));
}

// ---------------------------------------------------------------------------
// The editor.

function sectionIndex(item) {
  const sections = desk.report.sections;
  let index = sections.findIndex((s) => s.item === item);
  if (index < 0) {
    sections.push({ item, items: [] });
    index = sections.length - 1;
  }
  return index;
}

// The layout's entries, and the regulation's five items whatever it says
// (a layout may leave out 其他).
function layoutItems() {
  const entries = (desk.report.layout?.entries || []).map((e) => e.item).filter((item) => ITEM_NAMES[item]);
  for (const [item] of ITEMS) if (!entries.includes(item)) entries.push(item);
  return entries;
}

function headingOf(item) {
  const composed = (desk.composed?.sections || []).find((s) => s.item === item);
  return composed?.heading || ITEM_NAMES[item];
}

function sectionItems(item) {
  const index = sectionIndex(item);
  const section = desk.report.sections[index];
  section.items = section.items || [];
  const path = `report.sections[${index}]`;
  const blocks = section.items.map((sub, i) => {
    sub.paragraphs = sub.paragraphs || [];
    return h('div', { class: 'sub-item', 'data-item': i },
      h('div', { class: 'sub-head' },
        h('span', { class: 'sub-number', text: `（${NUMBERS[i] || i + 1}）` }),
        textControl(`${path}.items[${i}].heading`, sub.heading, (value) => { sub.heading = value; },
          { multiline: false, label: `第${i + 1}小节标题`, max: 200 }),
        smallButton('删除小节', () => { section.items.splice(i, 1); markDirty(); renderEditor(); },
          { class: 'small link remove' })),
      paragraphList(`${path}.items[${i}].paragraphs`, sub.paragraphs, `第${i + 1}小节`));
  });
  return h('div', { class: 'section-items' }, blocks,
    smallButton('＋ 添加小节', () => {
      section.items.push({ heading: '', paragraphs: [''] });
      markDirty();
      renderEditor(`${path}.items[${section.items.length - 1}].paragraphs[0]`);
    }, { class: 'small add-item' }));
}

function shortcomingsEditor() {
  const list = desk.report.shortcomings;
  const rows = list.map((s, i) => {
    const path = `report.shortcomings[${i}]`;
    return h('fieldset', { class: 'entry shortcoming', 'data-index': i },
      h('legend', { text: `不足${NUMBERS[i] || i + 1}` }),
      h('label', { text: '问题' }), textControl(`${path}.problem`, s.problem, (v) => { s.problem = v; }, { label: `不足${i + 1}：问题`, max: 2000 }),
      h('label', { text: '原因' }), textControl(`${path}.cause`, s.cause, (v) => { s.cause = v; }, { label: `不足${i + 1}：原因`, max: 2000 }),
      h('label', { text: '整改' }), textControl(`${path}.rectification`, s.rectification, (v) => { s.rectification = v; }, { label: `不足${i + 1}：整改`, max: 2000 }),
      h('div', { class: 'inline-fields' },
        h('label', {}, '责任单位或人', textControl(`${path}.owner`, s.owner, (v) => { s.owner = v; }, { multiline: false, template: false, label: '责任单位或人', max: 100 })),
        h('label', {}, '完成期限', dateControl(`${path}.due_date`, s.dueDate, (v) => { s.dueDate = v; }, '完成期限')),
        h('label', {}, '整改状态', statusSelect(s))),
      smallButton('删除此条', () => { list.splice(i, 1); markDirty(); renderEditor(); }, { class: 'small link remove' }));
  });
  return h('div', { class: 'entries' }, rows,
    smallButton('＋ 添加不足', () => {
      list.push({ problem: '', cause: '', rectification: '', status: 'RECTIFICATION_STATUS_OPEN' });
      markDirty();
      renderEditor(`report.shortcomings[${list.length - 1}].problem`);
    }, { class: 'small add-shortcoming' }));
}

function statusSelect(shortcoming) {
  const select = h('select', { disabled: !desk.editable, 'aria-label': '整改状态' },
    RECTIFICATION.map(([value, text]) => h('option', { value, text })));
  select.value = shortcoming.status && shortcoming.status !== 'RECTIFICATION_STATUS_UNSPECIFIED'
    ? shortcoming.status : 'RECTIFICATION_STATUS_OPEN';
  select.addEventListener('change', () => { shortcoming.status = select.value; markDirty(); });
  return select;
}

function planEditor() {
  const list = desk.report.planItems;
  const rows = list.map((p, i) => {
    const path = `report.plan_items[${i}]`;
    p.paragraphs = p.paragraphs || [];
    return h('fieldset', { class: 'entry plan-item', 'data-index': i },
      h('legend', { text: `安排${NUMBERS[i] || i + 1}` }),
      h('label', { text: '标题' }), textControl(`${path}.heading`, p.heading, (v) => { p.heading = v; }, { multiline: false, label: `安排${i + 1}：标题`, max: 200 }),
      paragraphList(`${path}.paragraphs`, p.paragraphs, `安排${i + 1}`),
      h('div', { class: 'inline-fields' },
        h('label', {}, '责任单位或人', textControl(`${path}.owner`, p.owner, (v) => { p.owner = v; }, { multiline: false, template: false, label: '责任单位或人', max: 100 })),
        h('label', {}, '完成期限', dateControl(`${path}.due_date`, p.dueDate, (v) => { p.dueDate = v; }, '完成期限'))),
      smallButton('删除此项', () => { list.splice(i, 1); markDirty(); renderEditor(); }, { class: 'small link remove' }));
  });
  return h('div', { class: 'entries' }, rows,
    smallButton('＋ 添加安排', () => {
      list.push({ heading: '', paragraphs: [] });
      markDirty();
      renderEditor(`report.plan_items[${list.length - 1}].heading`);
    }, { class: 'small add-plan' }));
}

// The findings the data proves, each with a switch to leave it out of the
// report; leaving one out needs a reason, stored with the report (and
// quoted in the submission's comment).
function findingsEditor() {
  return h('div', { id: 'desk-findings-box' }, findingsList());
}

function findingsList() {
  if (!desk.composed) return h('p', { class: 'muted', text: '正在读取数据发现的问题……' });
  const findings = desk.composed.findings || [];
  if (!findings.length) return h('p', { class: 'muted', text: '数据未发现问题。' });
  const suppressed = desk.report.suppressedFindings;
  return h('ol', { class: 'desk-findings', id: 'desk-findings' }, findings.map((f) => {
    const off = suppressed.includes(f.id);
    const path = `finding:${f.id}`;
    const reason = h('input', {
      type: 'text', class: 'reason', maxlength: MAX_REASON_CHARS, placeholder: '隐去的理由（必填）',
      'aria-label': `隐去“${f.id}”的理由`, disabled: !desk.editable, hidden: !off,
    });
    reason.value = desk.report.suppressionReasons[f.id] || '';
    const error = registerField(path, reason);
    reason.addEventListener('input', () => {
      desk.report.suppressionReasons[f.id] = reason.value.trim();
      setFieldMessages(path, 'local', []);
      setFieldMessages(path, 'server', []);
      markDirty();
    });
    const toggle = h('input', { type: 'checkbox', class: 'suppress', role: 'switch', checked: off, disabled: !desk.editable });
    toggle.addEventListener('change', () => {
      const at = suppressed.indexOf(f.id);
      if (toggle.checked && at < 0) suppressed.push(f.id);
      if (!toggle.checked && at >= 0) suppressed.splice(at, 1);
      reason.hidden = !toggle.checked;
      item.classList.toggle('suppressed', toggle.checked);
      if (toggle.checked) reason.focus();
      else setFieldMessages(path, 'local', []);
      markDirty();
    });
    const item = h('li', { 'data-id': f.id, class: off ? 'suppressed' : '' },
      h('p', {}, f.text),
      f.rectification ? h('p', { class: 'muted' }, h('strong', { text: '整改：' }), f.rectification) : null,
      h('label', { class: 'switch' }, toggle, ` 不写入报告（${f.id}）`),
      h('div', { class: 'field' }, reason, error));
    return item;
  }));
}

// Suppressed findings without a reason, each marked at its field.
function missingReasons() {
  const missing = desk.report.suppressedFindings.filter((id) => !desk.report.suppressionReasons[id]);
  for (const id of missing) setFieldMessages(`finding:${id}`, 'local', ['隐去数据发现的问题须说明理由']);
  return missing;
}

function basicsEditor() {
  const r = desk.report;
  r.signatory = r.signatory || {};
  return h('section', { class: 'card desk-section', id: 'desk-basics' },
    h('h2', { text: '标题与落款' }),
    h('label', { text: '标题（留空则为“单位关于××年法治政府建设情况的报告”）' }),
    textControl('report.title', r.title, (v) => { r.title = v; }, { multiline: false, label: '标题', max: 200 }),
    h('div', { class: 'inline-fields' },
      h('label', {}, '签发人', textControl('report.signatory.name', r.signatory.name, (v) => { r.signatory.name = v; }, { multiline: false, template: false, label: '签发人', max: 100 })),
      h('label', {}, '职务', textControl('report.signatory.title', r.signatory.title, (v) => { r.signatory.title = v; }, { multiline: false, template: false, label: '职务', max: 100 })),
      h('label', {}, '成文日期', dateControl('report.report_date', r.reportDate, (v) => { r.reportDate = v; }, '成文日期')),
      h('label', {}, '发文字号', textControl('report.document_number', r.documentNumber, (v) => { r.documentNumber = v; }, { multiline: false, template: false, label: '发文字号', max: 40 }))),
    h('h3', { text: '开头段落' }),
    paragraphList('report.preamble', r.preamble, '开头'));
}

function renderEditor(focusPath) {
  desk.fields = new Map();
  const sections = layoutItems().map((item, n) => {
    const parts = [
      h('h2', { 'data-item': item, 'data-number': NUMBERS[n], text: `${NUMBERS[n]}、${headingOf(item)}` }),
      sectionItems(item),
    ];
    if (item === 'CONTENT_ITEM_SHORTCOMINGS') {
      parts.push(h('h3', { text: '不足、原因和整改' }), shortcomingsEditor(),
        h('h3', { id: 'desk-findings-count', text: `数据发现的问题（${(desk.composed?.findings || []).length}）` }),
        h('p', { class: 'hint', text: '这些问题由台账数据得出，默认写入本节；确属不应写入的，可打开开关并说明理由，理由随报送一并提交审核人。' }),
        findingsEditor());
    }
    if (item === 'CONTENT_ITEM_NEXT_YEAR_PLAN') parts.push(h('h3', { text: '具体安排' }), planEditor());
    return h('section', { class: 'card desk-section', 'data-item': item }, parts);
  });
  fill($('desk-editor'), basicsEditor(), sections);
  if (focusPath) desk.fields.get(focusPath)?.control.focus();
  scheduleChecklist();
}

// ---------------------------------------------------------------------------
// The facts panel: click to insert at the cursor.

function rememberCursor(event) {
  const target = event.target;
  if (target && target.dataset && 'template' in target.dataset) {
    desk.cursor = { control: target, start: target.selectionStart, end: target.selectionEnd };
  }
}

function insertPlaceholder(name) {
  const cursor = desk.cursor;
  if (!cursor || !document.contains(cursor.control) || cursor.control.disabled) {
    showNotice('请先点击要插入的段落，再选择事实。');
    return;
  }
  const { control } = cursor;
  const text = `{{${name}}}`;
  const start = cursor.start ?? control.value.length;
  const end = cursor.end ?? start;
  control.focus();
  control.setRangeText(text, start, end, 'end');
  control.dispatchEvent(new Event('input', { bubbles: true }));
  desk.cursor = { control, start: start + text.length, end: start + text.length };
}

function factsPanel() {
  const filter = h('input', { type: 'search', id: 'fact-filter', placeholder: '按名称或说明筛选', 'aria-label': '筛选事实' });
  const list = h('ul', { class: 'fact-list', id: 'fact-list' }, desk.facts.map((f) => h('li', { 'data-fact': f.name },
    h('button', {
      type: 'button', class: 'insert-fact', disabled: !desk.editable,
      'aria-label': `插入事实 ${f.name}`,
      onmousedown: (e) => e.preventDefault(),  // keep the cursor where it is
      onclick: () => insertPlaceholder(f.name),
    }, '插入'),
    h('div', {},
      h('code', { text: f.name }), ' ',
      h('strong', { class: `fact-value${f.isNumber && !f.number ? ' zero' : ''}`, text: `${f.text}${f.unit && f.isNumber ? ` ${f.unit}` : ''}` }),
      h('p', { class: 'muted', text: f.description }),
      h('p', { class: 'source', text: f.source ? `${SERVICE_NAMES[f.source.service] || f.source.service} · ${f.source.method} · ${f.source.resource}` : '' })))));
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLowerCase();
    for (const li of list.children) {
      li.hidden = q !== '' && !li.textContent.toLowerCase().includes(q);
    }
  });
  return [filter, list];
}

// ---------------------------------------------------------------------------
// Preview: the gateway's HTML rendering of the text being edited (sent as
// ComposeReport's draft, stored nowhere), a moment after typing stops.

function schedulePreview() {
  clearTimeout(desk.previewTimer);
  desk.previewTimer = setTimeout(refreshPreview, PREVIEW_DELAY_MS);
}

async function refreshPreview() {
  const current = desk;
  const state = $('desk-preview-state');
  // The editor can be gone by the time the timer fires (another report
  // opened, the page still loading it): nothing to preview.
  if (!desk || !state) return;
  const seq = (desk.previewSeq = (desk.previewSeq || 0) + 1);
  state.textContent = '正在生成预览……';
  const { etag, ...draft } = outgoing();
  try {
    const composed = await call('/api/v1/compose', {
      org: `orgs/${current.org}`, year: current.year, formats: ['html'], draft,
    });
    // A newer one is on its way, or the editor was replaced meanwhile.
    if (current !== desk || seq !== desk.previewSeq || !state.isConnected) return;
    desk.composed = composed;
    const html = decodeBase64Utf8((composed.renderings || []).find((r) => r.format === 'html')?.content);
    $('desk-preview').srcdoc = html;
    state.textContent = `按 ${timeText(new Date().toISOString())} 正在编辑的文本生成${desk.dirty ? '（尚未保存）' : ''}`;
    state.classList.remove('stale');
    state.dataset.ready = 'true';
    refreshComposed();
    scheduleChecklist();
  } catch (error) {
    if (current !== desk || seq !== desk.previewSeq || !state.isConnected) return;
    // The last good preview stays, marked as stale, with the server's word.
    state.textContent = `预览未更新（显示的是上一次的结果）：${error.message}`;
    state.classList.add('stale');
    if (error instanceof ApiError) showViolations(error, { quiet: true });
  }
}

// After a composition: the findings it found, and the headings as the
// layout words them.
function refreshComposed() {
  // Rebuilt only when the findings change, so a reason being typed keeps
  // its focus.
  const findingsKey = JSON.stringify((desk.composed.findings || []).map((f) => [f.id, f.text, f.rectification]));
  if (findingsKey !== desk.findingsKey) {
    desk.findingsKey = findingsKey;
    $('desk-findings-box')?.replaceWith(findingsEditor());
  }
  const count = $('desk-findings-count');
  if (count) count.textContent = `数据发现的问题（${(desk.composed.findings || []).length}）`;
  for (const heading of document.querySelectorAll('#desk-editor h2[data-item]')) {
    heading.textContent = `${heading.dataset.number}、${headingOf(heading.dataset.item)}`;
  }
}

// ---------------------------------------------------------------------------
// What is still missing before submission, and the due dates.

function scheduleChecklist() {
  clearTimeout(desk.checklistTimer);
  desk.checklistTimer = setTimeout(renderChecklist, CHECK_DELAY_MS);
}

function hasText(list) {
  return (list || []).some((t) => String(t || '').trim());
}

function daysUntil(date) {
  if (!date || !date.year) return null;
  const due = Date.UTC(date.year, date.month - 1, date.day);
  const now = new Date();
  const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((due - today) / 86400000);
}


// A finding named in Chinese for the checklist: its first clause (the id is
// a key for machines, not for the writer).
function findingLabel(finding) {
  const clause = (finding.text || finding.id).split(/[，。；]/)[0];
  return clause.length > 30 ? `${clause.slice(0, 30)}…` : clause;
}

function missingItems(report, composed, facts) {
  const items = [];
  for (const item of layoutItems()) {
    const section = report.sections.find((s) => s.item === item);
    const written = (section?.items || []).some((i) => hasText(i.paragraphs)) ||
      (item === 'CONTENT_ITEM_SHORTCOMINGS' && report.shortcomings.some((s) => (s.problem || '').trim())) ||
      (item === 'CONTENT_ITEM_NEXT_YEAR_PLAN' && report.planItems.some((p) => (p.heading || '').trim()));
    if (!written && item !== 'CONTENT_ITEM_OTHER') {
      items.push({ kind: 'section', text: `“${ITEM_NAMES[item]}”还没有正文（报送时将按数据自动生成）`, item });
    }
  }
  for (const s of report.shortcomings) {
    if ((s.problem || '').trim() && !(s.rectification || '').trim()) {
      items.push({ kind: 'shortcoming', text: `不足“${s.problem.slice(0, 20)}”没有整改措施` });
    }
  }
  for (const f of composed?.findings || []) {
    if (report.suppressedFindings.includes(f.id)) {
      if (!desk.report.suppressionReasons[f.id]) items.push({ kind: 'finding', text: `已隐去的问题“${findingLabel(f)}”没有说明理由`, id: f.id });
    } else if (!f.remedyFromOrganization) {
      items.push({ kind: 'finding', text: `数据发现的问题“${findingLabel(f)}”尚未处理：将按默认原因和整改写入报告（可隐去并说明理由）`, id: f.id });
    }
  }
  for (const f of facts) {
    if (f.isNumber && !f.number && (f.usedIn || []).length) {
      items.push({ kind: 'fact', text: `报告引用的事实 ${f.name}（${f.description}）为零，请核对台账`, name: f.name });
    }
  }
  return items;
}

function renderChecklist() {
  if (!desk || !$('checklist')) return;
  const items = missingItems(desk.report, desk.composed, desk.facts);
  const due = desk.composed?.dueDates || desk.report.dueDates || {};
  const dueLine = (label, date) => {
    const days = daysUntil(date);
    if (days === null) return null;
    const late = days < 0;
    return h('li', { class: late ? 'overdue' : days <= 14 ? 'soon' : '' },
      `${label}：${dateText(date)}`, ' ',
      h('span', { class: 'badge', text: late ? `已逾期 ${-days} 天` : days === 0 ? '今天截止' : `还有 ${days} 天` }));
  };
  fill($('checklist'),
    h('h2', { text: items.length ? `报送前还需处理（${items.length}）` : '可以报送' }),
    h('ul', { class: 'due-dates' }, dueLine('报送截止', due.submitBefore), dueLine('公开截止', due.publishBefore)),
    items.length ? h('ul', { class: 'missing-list' }, items.map((i) => h('li', { 'data-kind': i.kind, text: i.text })))
      : h('p', { class: 'ok', text: '各部分均已撰写，数据发现的问题均已处理。' }),
    desk.dirty ? h('p', { class: 'hint', text: '有未保存的修改：预览已按正在编辑的文本生成，保存后才算数。' }) : null);
}

// ---------------------------------------------------------------------------
// Save, conflicts and submission.

// The report to save. Sections without items (added here for a layout
// item nobody wrote) stay out; desk.sentSections maps the index the server
// names back to this page's.
function outgoing() {
  const r = desk.report;
  const body = { name: r.name, etag: desk.etag };
  for (const field of SAVED_FIELDS) body[field] = r[field];
  // Reasons of findings switched back on stay in the page, not in the report.
  body.suppressionReasons = Object.fromEntries(r.suppressedFindings
    .filter((id) => r.suppressionReasons[id]).map((id) => [id, r.suppressionReasons[id]]));
  desk.sentSections = [];
  body.sections = r.sections.filter((section, i) => {
    if (!(section.items || []).length) return false;
    desk.sentSections.push(i);
    return true;
  });
  return body;
}

// The page's path of a field the server names: the report's (or the
// preview's draft's) as sent, empty sections left out; a suppression
// reason by the finding's switch.
function localField(field) {
  const reason = /^(?:report|draft)\.suppression_reasons\["(.*)"\]$/.exec(field);
  if (reason) return `finding:${reason[1]}`;
  return field.replace(/^draft\./, 'report.').replace(/^report\.sections\[(\d+)\]/, (whole, sent) =>
    `report.sections[${desk.sentSections?.[Number(sent)] ?? sent}]`);
}

async function save() {
  if (!desk.editable) return false;
  clearMessages();
  if (missingReasons().length) {
    showError(new Error('隐去数据发现的问题须说明理由。'));
    desk.fields.get(`finding:${desk.report.suppressedFindings.find((id) => !desk.report.suppressionReasons[id])}`)?.control.focus();
    return false;
  }
  const button = $('desk-save');
  button.disabled = true;
  try {
    const saved = await reports.update(outgoing(), SAVED_FIELDS);
    clearServerMessages();
    // The text stays this page's (the controls hold it); the version is
    // the server's.
    desk.etag = saved.etag;
    desk.state = saved.state;
    desk.dirty = false;
    $('desk-dirty').hidden = true;
    fill($('desk-state'), statusBadge(saved.state));
    showNotice(`已保存（${timeText(saved.updateTime)}）。`);
    schedulePreview();  // its "not yet saved" goes
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 'ABORTED') await showConflict(error);
    else if (error instanceof ApiError) showViolations(error);
    else showError(error);
    return false;
  } finally {
    button.disabled = !desk.editable;
  }
}

// Someone else saved since this page read the report: say so, keep this
// page's text, and offer to load theirs.
async function showConflict(error) {
  let theirs = null;
  try {
    theirs = await reports.get(desk.org, desk.year);
  } catch (_) {
    // The message below still says what happened.
  }
  const box = $('desk-conflict');
  fill(box,
    h('h2', { text: '保存冲突：他人已修改本报告' }),
    h('p', {}, '在您打开本页之后，有人保存了新的版本', theirs ? `（${timeText(theirs.updateTime)}，状态：${stateText(theirs.state)}）` : '',
      '。您的修改没有保存，也没有覆盖对方的修改。'),
    h('p', { class: 'server-message muted', text: `服务器：${error.message}` }),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'conflict-reload', class: 'primary', onclick: () => { box.hidden = true; load(desk.org, desk.year); } },
        '载入对方的版本（放弃我的修改）'),
      h('button', { type: 'button', id: 'conflict-keep', onclick: () => { box.hidden = true; } },
        '暂不载入，先复制我的文字')));
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
  $('conflict-reload').focus();
}

function stateText(state) {
  return statusBadge(state).textContent;
}

function submitPanel() {
  const comment = h('textarea', { id: 'submit-comment', rows: 2, maxlength: 1000, placeholder: '报送说明（可不填）' });
  const go = h('button', {
    type: 'button', id: 'desk-submit', class: 'primary', disabled: !desk.editable, onclick: () => submit(comment.value.trim()),
  }, '报送审核');
  return h('section', { class: 'card', id: 'desk-submit-panel', hidden: !desk.editable },
    h('h2', { text: '报送审核' }),
    h('label', { for: 'submit-comment' }, '报送说明'), comment,
    h('div', { class: 'buttons' }, go),
    h('p', { class: 'hint', text: '报送前先保存。隐去的数据问题及理由写入报送说明，审核人可见。报送后不能再修改，除非被退回。' }));
}

async function submit(comment) {
  clearMessages();
  if (desk.dirty && !(await save())) return;
  if (missingReasons().length) {
    showError(new Error('隐去数据发现的问题须说明理由。'));
    return;
  }
  const reasons = desk.report.suppressedFindings.map((id) => `${id}：${desk.report.suppressionReasons[id]}`);
  const text = [comment, reasons.length ? `隐去的数据问题：${reasons.join('；')}` : ''].filter(Boolean).join('\n');
  try {
    await reports.submit(desk.report.name, desk.etag, text.slice(0, 2000));
    showNotice('报告已报送，等待审核。');
    location.hash = `#/report/${desk.org}/${desk.year}`;
  } catch (error) {
    if (error instanceof ApiError && error.status === 'ABORTED') await showConflict(error);
    else showError(error);
  }
}

// Takes a report as the server holds it as the working copy.
function accept(report) {
  const r = structuredClone(report);
  for (const list of ['preamble', 'sections', 'shortcomings', 'planItems', 'suppressedFindings']) r[list] = r[list] || [];
  r.suppressionReasons = r.suppressionReasons || {};
  desk.report = r;
  desk.etag = report.etag;
  desk.state = report.state;
  desk.editable = may('write', desk.org) && EDITABLE.includes(report.state);
  desk.dirty = false;
  if ($('desk-dirty')) $('desk-dirty').hidden = true;
  if ($('desk-state')) fill($('desk-state'), statusBadge(report.state));
}

// ---------------------------------------------------------------------------

async function load(org, year) {
  const view = $('view-desk');
  // The report open before this one must not preview or check into this one.
  if (desk) {
    clearTimeout(desk.previewTimer);
    clearTimeout(desk.checklistTimer);
  }
  desk = {
    org, year, report: null, etag: '', facts: [], factNames: new Set(), composed: null, fields: new Map(),
    fieldSeq: 0, dirty: false, editable: false, cursor: null, previewSeq: 0, findingsKey: '',
  };
  fill(view, h('p', { class: 'muted', text: `正在打开 ${org} ${year} 年度报告……` }));
  showView('desk');
  const crumbs = h('nav', { class: 'crumbs' }, h('a', { href: '#/', text: '我的单位' }), ' › ',
    h('a', { href: `#/report/${org}/${year}`, text: `${org} · ${year}年度` }), ' › ', h('span', { text: '撰写' }));
  if (!may('write', org)) {
    fill(view, crumbs, h('h1', { text: '撰写年度报告' }),
      h('p', { class: 'warning', id: 'desk-refused', text: '您对该单位只有查阅权限，不能撰写或修改报告。' }));
    return;
  }
  let report;
  try {
    report = await reports.get(org, year);
  } catch (error) {
    if (error instanceof ApiError && error.status === 'NOT_FOUND') {
      fill(view, crumbs, h('h1', { text: `撰写：${org} · ${year}年度` }),
        h('section', { class: 'card' }, h('p', { text: '本年度的报告还没有开始。' }),
          h('button', {
            type: 'button', id: 'desk-create', class: 'primary', onclick: async () => {
              try {
                await reports.create(org, year);
                load(org, year);
              } catch (e) { showError(e); }
            },
          }, '开始撰写')));
      return;
    }
    fill(view, crumbs, h('h1', { text: '撰写年度报告' }));
    showError(error);
    return;
  }
  accept(report);
  try {
    const catalogue = await call('/api/v1/facts', { org: `orgs/${org}`, year, allowPartial: true });
    desk.facts = catalogue.facts || [];
    desk.factNames = new Set(desk.facts.map((f) => f.name));
  } catch (error) {
    showError(error);
  }
  const [factsFilter, factsList] = factsPanel();
  const saveButton = h('button', { type: 'button', id: 'desk-save', class: 'primary', disabled: !desk.editable, onclick: save }, '保存（Ctrl+S）');
  const tabs = [['preview', '预览'], ['facts', '事实']];
  const tabButtons = tabs.map(([id, text], i) => h('button', {
    type: 'button', role: 'tab', id: `tab-${id}`, 'aria-controls': `pane-${id}`, 'aria-selected': i === 0 ? 'true' : 'false',
    onclick: () => selectTab(id),
  }, text));
  fill(view,
    crumbs,
    h('div', { class: 'desk-head' },
      h('h1', { id: 'desk-title', text: `撰写：${org} · ${year}年度` }),
      h('span', { id: 'desk-state' }, statusBadge(report.state)),
      h('span', { id: 'desk-dirty', class: 'badge dirty', hidden: true, text: '有未保存的修改' }),
      saveButton),
    desk.editable ? null : h('p', { class: 'warning', id: 'desk-readonly', text: `报告${stateText(report.state)}，不能修改${report.state === 'REPORT_STATE_PUBLISHED' ? '（更正需新建修订版本）' : ''}。` }),
    h('section', { id: 'desk-conflict', class: 'card conflict', role: 'alert', hidden: true }),
    h('section', { id: 'checklist', class: 'card checklist', 'aria-live': 'polite' }),
    h('div', { class: 'desk-columns' },
      h('div', { id: 'desk-editor', class: 'desk-editor' }),
      h('aside', { class: 'desk-side', 'aria-label': '预览与事实' },
        h('div', { role: 'tablist', class: 'tabs' }, tabButtons),
        h('div', { id: 'pane-preview', role: 'tabpanel', 'aria-labelledby': 'tab-preview', class: 'pane' },
          h('p', { id: 'desk-preview-state', class: 'hint', 'aria-live': 'polite' }),
          h('iframe', { id: 'desk-preview', title: '预览（打印效果）', sandbox: '', class: 'report-frame' })),
        h('div', { id: 'pane-facts', role: 'tabpanel', 'aria-labelledby': 'tab-facts', class: 'pane', hidden: true },
          h('p', { class: 'hint', text: '先点击正文中要插入的位置，再点“插入”：报告生成时占位符换成数值。' }),
          factsFilter, factsList))),
    submitPanel());
  if (!view.dataset.listening) {
    view.dataset.listening = 'true';
    for (const type of ['focusin', 'focusout', 'input', 'keyup', 'mouseup', 'select']) view.addEventListener(type, rememberCursor, true);
  }
  renderEditor();
  refreshPreview();
}

function selectTab(id) {
  for (const tab of document.querySelectorAll('#view-desk [role="tab"]')) {
    const on = tab.id === `tab-${id}`;
    tab.setAttribute('aria-selected', on ? 'true' : 'false');
    $(tab.getAttribute('aria-controls')).hidden = !on;
  }
}

function onKey(event) {
  if (!desk || document.body.dataset.view !== 'desk') return;
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
    event.preventDefault();
    save();
  }
}
document.addEventListener('keydown', onKey);
window.addEventListener('beforeunload', (event) => {
  if (desk?.dirty && document.body.dataset.view === 'desk') event.preventDefault();
});

export function renderDesk(org, year) {
  return load(org, year);
}
