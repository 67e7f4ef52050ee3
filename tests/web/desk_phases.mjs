// The writer's desk phases of the browser test (web_test.mjs runs them):
// lushan-minzheng's editor does a whole year, 2025, in the page — records
// sessions by form and by CSV upload, writes the report with a placeholder
// from the facts panel, meets another tab's edit, leaves a finding out with
// a reason and submits; the approver approves; a reader sees no editing
// control and the API refuses it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const OWN = 'lushan-minzheng';
const YEAR = 2025;
const LAPTOP = { width: 1366, height: 768 };
const TABLET = { width: 768, height: 1024 };

// The CSV a township office keeps: Chinese column names, one bad row (no
// duration: the server refuses duration_minutes) on line 5.
const SESSIONS_CSV = [
  '日期,类型,主题,学习的法律,时长（分钟）,参加人数,本单位编号',
  '2025-04-10,集中学法,学习行政复议法,行政复议法,90,40,lm-2025-csv-01',
  '2025-07-15,会前学法,会前学习安全生产法,安全生产法,30,12,lm-2025-csv-02',
  '2025-09-08,专题法治讲座,"民法典专题讲座（合同编、侵权责任编）",民法典,120,45,lm-2025-csv-03',
  '2025-10-20,集中学法,缺少时长的一行,民法典,,40,lm-2025-csv-04',
].join('\r\n');

// google.rpc.Code by number: the /v1 routes answer with the Status itself.
const RPC_CODES = ['OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND',
  'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED',
  'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS', 'UNAUTHENTICATED'];

// {status, message, violations} of an error answer.
async function errorOf(response) {
  const body = await response.json();
  const error = body.error || body;
  return {
    status: error.status || RPC_CODES[error.code],
    message: error.message,
    violations: (error.details || []).flatMap((d) => d.fieldViolations || []),
  };
}

export function deskPhases({ page, context, watch, BASE, KEYS, SHOTS, DOWNLOADS, shot, signIn, stateIs, messageText, noJunk }) {
  async function noOverflow(tab = page) {
    const [scroll, width] = await tab.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scroll <= width, `the page is ${scroll}px wide in a ${width}px window`);
  }

  async function facts() {
    return page.evaluate(async ([org, year]) => {
      const response = await fetch('/api/v1/facts', {
        method: 'POST',
        headers: { Authorization: `Bearer ${sessionStorage.getItem('fazhi.apiKey')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ org: `orgs/${org}`, year }),
      });
      return (await response.json()).facts;
    }, [OWN, YEAR]);
  }

  async function fillSession({ date, kind, title, laws, minutes, people = [], head, count }) {
    await page.fill('#field-date', date);
    await page.selectOption('#field-kind', kind);
    await page.fill('#field-title', title);
    await page.fill('#field-laws', laws);
    await page.fill('#field-duration_minutes', String(minutes));
    for (const person of people) await page.check(`#field-attendees input[value="${person}"]`);
    if (head) await page.selectOption('#field-attendees .head-select', head);
    if (count !== undefined) await page.fill('#field-attendee_count', String(count));
  }

  async function saveForm() {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() !== 'GET' && r.url().includes(`/v1/orgs/${OWN}/sessions`)),
      page.click('#record-save'),
    ]);
    return response;
  }

  async function records() {
    await page.setViewportSize(LAPTOP);
    await page.goto(BASE);
    await signIn('minzheng-editor');
    await page.waitForSelector(`#my-orgs tr[data-org="${OWN}"] .open-records`);
    await page.fill('#home-year', String(YEAR));
    await page.click(`#my-orgs tr[data-org="${OWN}"] .open-records`);
    await page.waitForSelector('#records-empty');
    assert.equal(new URL(page.url()).hash, `#/records/${OWN}/${YEAR}/sessions`);
    await shot('10-records-empty');

    // Three sessions by form; attendees from the roster (the officers).
    await page.click('#record-new');
    await page.waitForSelector('#field-attendees .roster input');
    await fillSession({
      date: '2025-03-20', kind: 'STUDY_KIND_LEADERSHIP_GROUP', title: '党组会议学习行政复议法', laws: '行政复议法',
      minutes: 60, people: ['LM-HR-0101', 'LM-HR-0102'], head: 'LM-HR-0101',
    });
    assert.equal((await saveForm()).status(), 200);
    await page.waitForSelector('#records-table tbody tr');

    // Refused: two named attendees but a head count of one. The server
    // names attendee_count, and the page shows it at that input.
    await page.click('#record-new');
    await page.waitForSelector('#field-attendees .roster input');
    await fillSession({
      date: '2025-06-18', kind: 'STUDY_KIND_LEADERSHIP_GROUP', title: '党组会议学习行政处罚法', laws: '行政处罚法',
      minutes: 45, people: ['LM-HR-0101', 'LM-HR-0103'], head: 'LM-HR-0101', count: 1,
    });
    const refused = await saveForm();
    assert.equal(refused.status(), 400);
    const violation = (await errorOf(refused)).violations[0];
    assert.equal(violation.field, 'session.attendee_count');
    const fieldError = '.form-field[data-field="attendee_count"] .field-error';
    await page.waitForSelector(`${fieldError}:not([hidden])`);
    assert.ok((await page.textContent(fieldError)).includes(violation.description));
    assert.match(await messageText(), /400 INVALID_ARGUMENT/);
    await shot('11-session-refused');
    await page.fill('#field-attendee_count', '0');
    assert.equal((await saveForm()).status(), 200);

    await page.click('#record-new');
    await fillSession({
      date: '2025-12-04', kind: 'STUDY_KIND_CONSTITUTIONAL_OATH', title: '宪法宣誓仪式', laws: '宪法', minutes: 30, count: 46,
    });
    assert.equal((await saveForm()).status(), 200);
    await page.waitForFunction(() => document.querySelectorAll('#records-table tbody tr').length === 3);

    // Edit one.
    await page.click('#records-table tbody tr:nth-child(3) .edit');
    await page.fill('#field-location', '局三楼会议室');
    assert.equal((await saveForm()).status(), 200);
    await page.waitForSelector('#records-table');

    // The CSV: three rows stored, the bad one listed with its line and field.
    await page.setInputFiles('#import-file', { name: 'sessions-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(SESSIONS_CSV) });
    await page.waitForSelector('#import-summary');
    assert.match(await page.textContent('#import-summary'), /导入 3 条学法记录，1 行未导入/);
    const errors = await page.$$eval('#import-errors tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(errors.map((e) => e.slice(0, 2)), [['5', 'duration_minutes']]);
    assert.equal(await page.getAttribute('#import-bar', 'value'), '4');
    // The list shows the stored rows at once.
    await page.waitForFunction(() => document.querySelectorAll('#records-table tbody tr').length === 6);
    await shot('12-import');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#import-errors-download')]);
    fs.mkdirSync(DOWNLOADS, { recursive: true });
    const saved = path.join(DOWNLOADS, 'import-errors.csv');
    await download.saveAs(saved);
    assert.match(fs.readFileSync(saved, 'utf8'), /^\uFEFF行号,字段,原因\r\n5,duration_minutes,/);

    // A page of the list, filtered by kind; then one deleted.
    await page.click('.record-tabs a[href$="/events"]');
    await page.waitForSelector('#records-empty');
    await page.click('.record-tabs a[href$="/sessions"]');
    await page.waitForSelector('#records-table');
    assert.equal((await page.$$('#records-table tbody tr')).length, 6);
    await page.selectOption('#records-filter', 'STUDY_KIND_LEADERSHIP_GROUP');
    await page.waitForFunction(() => document.querySelectorAll('#records-table tbody tr').length === 2);
    await page.selectOption('#records-filter', '');
    await page.waitForFunction(() => document.querySelectorAll('#records-table tbody tr').length === 6);
    page.once('dialog', (dialog) => dialog.accept());
    await page.click('#records-table tbody tr:has-text("会前学习安全生产法") .delete');
    await page.waitForFunction(() => document.querySelectorAll('#records-table tbody tr').length === 5);
    await noJunk();
    await noOverflow();
    await shot('13-sessions');
  }

  async function paragraph(field) {
    return page.locator(`[data-field="${field}"]`);
  }

  async function save() {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes(`/reports/${YEAR}`)),
      page.keyboard.press('Control+s'),
    ]);
    return response;
  }

  async function write() {
    await page.goto(`${BASE}#/write/${OWN}/${YEAR}`);
    await page.click('#desk-create');
    await page.waitForSelector('#desk-editor section[data-item="CONTENT_ITEM_MEASURES"]');
    // The regulation's five items, always.
    assert.equal((await page.$$('#desk-editor section[data-item]')).length, 5);
    await page.waitForSelector('#desk-preview-state[data-ready]');
    await shot('14-desk-new');

    // First paragraph: text, a fact from the panel at the cursor, text.
    const measures = '#desk-editor section[data-item="CONTENT_ITEM_MEASURES"]';
    await page.click(`${measures} .add-item`);
    const first = await paragraph('report.sections[0].items[0].paragraphs[0]');
    await first.click();
    await page.keyboard.type('全年共开展学法');
    await page.click('#tab-facts');
    await page.fill('#fact-filter', 'sessions.total');
    await page.click('#fact-list li[data-fact="study.sessions.total"] .insert-fact');
    await page.keyboard.type('次，其中党组学法');
    // By keyboard too: the cursor stays where it was typed.
    await page.fill('#fact-filter', 'leadership.sessions');
    await page.focus('#fact-list li[data-fact="study.leadership.sessions"] .insert-fact');
    await page.keyboard.press('Enter');
    await page.keyboard.type('次。');
    assert.equal(await first.inputValue(), '全年共开展学法{{study.sessions.total}}次，其中党组学法{{study.leadership.sessions}}次。');

    // The preview follows the text as typed, before any save: the gateway
    // composes the draft, the placeholders filled.
    const values = Object.fromEntries((await facts()).map((f) => [f.name, f.text]));
    assert.equal(values['study.sessions.total'], '5');
    const filled = `全年共开展学法${values['study.sessions.total']}次，其中党组学法${values['study.leadership.sessions']}次。`;
    await page.click('#tab-preview');
    const frame = await (await page.$('#desk-preview')).contentFrame();
    await frame.waitForFunction((text) => document.body && document.body.textContent.includes(text), filled);
    assert.ok(await page.isVisible('#desk-dirty'), 'the text is not saved yet');
    assert.match(await page.textContent('#desk-preview-state'), /尚未保存/);
    const stored = await page.evaluate(async ([org, year]) => (await fetch(`/v1/orgs/${org}/reports/${year}`, {
      headers: { Authorization: `Bearer ${sessionStorage.getItem('fazhi.apiKey')}` },
    })).json(), [OWN, YEAR]);
    assert.deepEqual(stored.sections || [], [], 'the preview stored nothing');
    await shot('16a-desk-live-preview');

    // Second paragraph: an unknown name and a syntax error are shown on the
    // spot; saving anyway, the server's own field message.
    await page.click(`${measures} .add-paragraph`);
    const second = await paragraph('report.sections[0].items[0].paragraphs[1]');
    await second.click();
    await page.keyboard.type('组织学习{{study.nothing}}');
    const secondError = `[data-field="report.sections[0].items[0].paragraphs[1]"] + .field-error`;
    await page.waitForSelector(`${secondError}:not([hidden]):has-text("没有名为“study.nothing”的事实")`);
    await second.fill('组织学习{{study.laws');
    await page.waitForSelector(`${secondError}:has-text("没有闭合")`);
    const refused = await save();
    assert.equal(refused.status(), 400);
    const { violations } = await errorOf(refused);
    assert.deepEqual(violations.map((v) => v.field), ['report.sections[0].items[0].paragraphs[1]']);
    await page.waitForFunction(([selector, text]) => document.querySelector(selector)?.textContent.includes(text),
      [secondError, violations[0].description]);
    await shot('15-desk-placeholder-error');
    await second.fill('各科室分别组织学习{{study.laws}}等法律法规。');
    assert.equal((await save()).status(), 200);
    await page.waitForSelector('#notice:has-text("已保存")');

    // The preview of the saved text: the same rendering, no longer marked unsaved.
    await page.waitForFunction(() => !document.querySelector('#desk-preview-state').textContent.includes('尚未保存'));
    await frame.waitForFunction((text) => document.body && document.body.textContent.includes(text), filled);
    await noOverflow();
    await shot('16-desk-preview');

    // Another tab saves first: this one's save is refused, shown, and its
    // text is not written over the other.
    const other = await context.newPage();
    watch(other);
    await other.setViewportSize(LAPTOP);
    await other.goto(`${BASE}#/write/${OWN}/${YEAR}`);
    await signIn('minzheng-editor', other);
    const heading = '[data-field="report.sections[0].items[0].heading"]';
    await other.waitForSelector(heading);
    await other.fill(heading, '学法用法');
    await Promise.all([
      other.waitForResponse((r) => r.request().method() === 'PATCH'),
      other.click('#desk-save'),
    ]);
    await other.waitForSelector('#notice:has-text("已保存")');
    await other.close();
    await second.fill('各科室分别组织学习{{study.laws}}等法律法规，并开展学法考试。');
    const stale = await save();
    assert.equal(stale.status(), 409);
    assert.equal((await errorOf(stale)).status, 'ABORTED');
    await page.waitForSelector('#desk-conflict:not([hidden])');
    assert.match(await page.textContent('#desk-conflict'), /他人已修改/);
    assert.equal(await second.inputValue(), '各科室分别组织学习{{study.laws}}等法律法规，并开展学法考试。');
    await shot('17-desk-conflict');
    // Typed just before reloading: the preview that typing schedules must
    // not fire into the editor being rebuilt (the report's GET held back so
    // the reload outlasts the preview's delay; a script error fails the phase).
    await second.focus();
    await page.keyboard.type('。');
    const reportPath = `/v1/orgs/${OWN}/reports/${YEAR}`;
    const isReport = (url) => url.pathname === reportPath;
    const holdBack = async (route) => {
      if (route.request().method() === 'GET') await new Promise((done) => setTimeout(done, 1500));
      await route.continue();
    };
    await page.route(isReport, holdBack);
    await page.click('#conflict-reload');
    await page.waitForFunction((selector) => document.querySelector(selector)?.value === '学法用法', heading);
    await page.unroute(isReport, holdBack);
    assert.equal(await (await paragraph('report.sections[0].items[0].paragraphs[1]')).inputValue(),
      '各科室分别组织学习{{study.laws}}等法律法规。');

    // A finding left out: not without a reason.
    await page.waitForSelector('#desk-findings li');
    const finding = await page.getAttribute('#desk-findings li:first-child', 'data-id');
    // The checklist names a finding by the start of its text, not its id.
    const findingStart = (await page.textContent('#desk-findings li:first-child p')).slice(0, 8);
    await page.waitForFunction((start) => {
      const list = document.querySelector('#checklist .missing-list');
      return list && list.textContent.includes(`“${start}`);
    }, findingStart);
    await page.check('#desk-findings li:first-child .suppress');
    await page.keyboard.press('Control+s');
    assert.match(await messageText(), /须说明理由/);
    await page.waitForSelector('#desk-findings li:first-child .field-error:not([hidden])');
    await page.fill('#desk-findings li:first-child .reason', '该季度学法已在县委依法治县办专项督查中说明');
    assert.equal((await save()).status(), 200);

    // What is still missing, and the due dates (the checklist follows the
    // saved text a moment later).
    await page.waitForFunction((start) => {
      const list = document.querySelector('#checklist .missing-list');
      return list && !list.textContent.includes(`“${start}`);
    }, findingStart);
    const checklist = await page.textContent('#checklist');
    assert.match(checklist, /报送截止：2026年3月1日/);
    assert.match(checklist, /公开截止：2026年4月1日/);
    assert.match(checklist, /“党政主要负责人履行推进法治建设第一责任人职责的有关情况”还没有正文/);
    assert.doesNotMatch(checklist, /“推进法治政府建设的主要举措和成效”还没有正文/);
    assert.ok(!checklist.includes(`“${findingStart}`), checklist);
    assert.ok(!checklist.includes(finding), checklist);
    await shot('18-desk-checklist', '#checklist');

    // The reason is stored with the report: a second load of the page shows it.
    await page.reload();
    const reason = `#desk-findings li[data-id="${finding}"] .reason`;
    await page.waitForSelector(`${reason}:not([hidden])`);
    assert.equal(await page.inputValue(reason), '该季度学法已在县委依法治县办专项督查中说明');
    assert.ok(await page.isChecked(`#desk-findings li[data-id="${finding}"] .suppress`));

    // A tablet: one column, nothing wider than the window.
    await page.setViewportSize(TABLET);
    await noOverflow();
    await shot('19-desk-tablet');
    await page.setViewportSize(LAPTOP);
    await noJunk();

    await page.fill('#submit-comment', '请审核2025年度报告。');
    await page.click('#desk-submit');
    await page.waitForSelector('#report-title');
    assert.equal(new URL(page.url()).hash, `#/report/${OWN}/${YEAR}`);
    await stateIs('REPORT_STATE_SUBMITTED');
    await shot('20-desk-submitted');
    console.log(`suppressed: ${finding}`);
  }

  async function desk() {
    await records();
    await write();
  }

  async function deskApprove() {
    await page.setViewportSize(LAPTOP);
    await page.goto(`${BASE}#/report/${OWN}/${YEAR}`);
    await signIn('minzheng-approver');
    await stateIs('REPORT_STATE_SUBMITTED');
    assert.match(await page.textContent('#status'), /意见：请审核2025年度报告。\s*隐去的数据问题：/);
    // An approver writes nothing.
    assert.equal(await page.$('#open-desk'), null);
    await page.fill('#decision-comment', '同意。');
    await page.click('#approve');
    await stateIs('REPORT_STATE_APPROVED');
    await shot('21-desk-approved');
  }

  // A reader: no editing control anywhere, and the API refuses each write.
  async function deskReader() {
    await page.setViewportSize(LAPTOP);
    await page.goto(BASE);
    await signIn('minzheng-reader');
    await page.waitForSelector(`#my-orgs tr[data-org="${OWN}"]`);
    assert.equal(await page.$(`#my-orgs tr[data-org="${OWN}"] .open-write`), null);
    assert.equal(await page.$(`#my-orgs tr[data-org="${OWN}"] .open-records`), null);
    await page.goto(`${BASE}#/report/${OWN}/${YEAR}`);
    await page.waitForSelector('#report-title');
    assert.equal(await page.$('#open-desk'), null);
    await page.goto(`${BASE}#/write/${OWN}/${YEAR}`);
    await page.waitForSelector('#desk-refused');
    assert.equal(await page.$$eval('#view-desk textarea, #view-desk input, #desk-save, #desk-submit', (n) => n.length), 0);
    await page.goto(`${BASE}#/records/${OWN}/${YEAR}/sessions`);
    await page.waitForSelector('#records-table');
    assert.equal(await page.$$eval('#record-new, #records-table .edit, #records-table .delete, #import-panel', (n) => n.length), 0);
    await noJunk();
    await shot('22-reader-records');
    const answers = await page.evaluate(async (org) => {
      const headers = { Authorization: `Bearer ${sessionStorage.getItem('fazhi.apiKey')}` };
      const json = { ...headers, 'Content-Type': 'application/json' };
      const report = await (await fetch(`/v1/orgs/${org}/reports/2025`, { headers })).json();
      const sessions = await (await fetch(`/v1/orgs/${org}/sessions?year=2025`, { headers })).json();
      const calls = [
        fetch(`/v1/orgs/${org}/reports/2025?updateMask=title`, { method: 'PATCH', headers: json, body: JSON.stringify({ title: '改', etag: report.etag }) }),
        fetch(`/v1/orgs/${org}/reports/2025:submit`, { method: 'POST', headers: json, body: '{}' }),
        fetch(`/v1/orgs/${org}/sessions`, { method: 'POST', headers: json, body: JSON.stringify({ title: '读者', kind: 'STUDY_KIND_OTHER', date: { year: 2025, month: 5, day: 1 }, durationMinutes: 30 }) }),
        fetch(`/v1/${sessions.sessions[0].name}`, { method: 'DELETE', headers }),
        fetch(`/v1/orgs/${org}/sessions:import`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-ndjson' }, body: '{"sessions":[{"title":"x"}]}\n' }),
      ];
      return Promise.all(calls.map(async (c) => { const r = await c; return [r.status, await r.json()]; }));
    }, OWN);
    for (const [status, body] of answers) {
      assert.equal(status, 403, JSON.stringify(body));
      const error = body.error || body;
      assert.equal(error.status || RPC_CODES[error.code], 'PERMISSION_DENIED');
      assert.match(error.message, /minzheng-reader/);
    }
  }

  return { desk, 'desk-approve': deskApprove, 'desk-reader': deskReader };
}
