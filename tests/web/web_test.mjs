// One phase of the browser test (web_e2e_test.py runs them in order against
// real services): Debian's chromium, headless, driven by playwright-core.
//
// Environment: FAZHI_WEB_URL (the gateway's HTTP side), FAZHI_WEB_PHASE
// (reader | reject | approve | dashboard, and the writer's desk phases of
// desk_phases.mjs), FAZHI_WEB_KEYS (JSON: caller → API key),
// FAZHI_WEB_SCREENSHOTS, FAZHI_WEB_DOWNLOADS, FAZHI_WEB_CHROMIUM.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { deskPhases } from './desk_phases.mjs';

const BASE = process.env.FAZHI_WEB_URL;
const PHASE = process.env.FAZHI_WEB_PHASE;
const SHOTS = process.env.FAZHI_WEB_SCREENSHOTS;
const DOWNLOADS = process.env.FAZHI_WEB_DOWNLOADS;
const KEYS = JSON.parse(process.env.FAZHI_WEB_KEYS);
const OWN = 'lushan-minzheng';
const OTHER = 'lushan-shijianju';
const OFFICE = 'lushan-yifazhixian';
const YEAR = 2024;
const TIMEOUT = 20000;

// A key is fz_<id>_<secret>, and the web-safe base64 secret may itself hold
// '_': the secret is all after the second '_', not after the last (a short
// tail of it could stand in any URL by chance).
const secrets = Object.values(KEYS).map((key) => key.split('_').slice(2).join('_'));
const consoleLines = [];
const pageErrors = [];
const requestUrls = [];

const browser = await chromium.launch({ executablePath: process.env.FAZHI_WEB_CHROMIUM, headless: true });
const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
context.setDefaultTimeout(TIMEOUT);
const page = await context.newPage();
// Every tab's console, script errors and requests are checked at the end.
function watch(tab) {
  tab.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  tab.on('pageerror', (error) => pageErrors.push(String(error)));
  tab.on('request', (request) => requestUrls.push(request.url()));
}
watch(page);

// What a person sees: the window, or one part of the page.
async function shot(name, selector) {
  const file = path.join(SHOTS, `${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file });
}

async function signIn(caller, tab = page) {
  await tab.waitForSelector('#view-signin:not([hidden])');
  await tab.fill('#api-key', KEYS[caller]);
  await tab.click('#signin-form button[type="submit"]');
  await tab.waitForSelector('#nav:not([hidden])');
  assert.equal(await tab.textContent('#caller'), caller);
  // Kept for this tab only, never in the address.
  assert.equal(await tab.evaluate(() => sessionStorage.getItem('fazhi.apiKey')), KEYS[caller]);
  assert.equal(await tab.evaluate(() => localStorage.length), 0);
  assert.equal(await tab.inputValue('#api-key'), '');
}

async function openFromHome(org, kind) {
  await page.waitForSelector(`#my-orgs tr[data-org="${org}"]`);
  await page.fill('#home-year', String(YEAR));
  await page.click(`#my-orgs tr[data-org="${org}"] .open-${kind}`);
}

// Nothing the page wrote came out as a JavaScript placeholder.
async function noJunk() {
  const text = await page.innerText('main');
  assert.doesNotMatch(text, /\bnull\b|\bundefined\b|\bNaN\b|\[object /, 'a placeholder on the page');
}

// Clicks `selector`, saves the download the page makes and returns its bytes.
async function downloadBytes(selector, filename) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  assert.equal(download.suggestedFilename(), filename);
  fs.mkdirSync(DOWNLOADS, { recursive: true });
  await download.saveAs(path.join(DOWNLOADS, filename));
  return fs.readFileSync(path.join(DOWNLOADS, filename));
}

async function stateIs(state) {
  await page.waitForSelector(`#status [data-state="${state}"]`);
}

async function messageText() {
  await page.waitForSelector('#message:not([hidden])');
  return page.textContent('#message');
}

// ---------------------------------------------------------------------------

async function reader() {
  await page.goto(BASE);
  await shot('01-signin');
  await signIn('minzheng-reader');
  await page.waitForSelector(`#my-orgs tr[data-org="${OWN}"]`);
  await shot('01b-home');
  await openFromHome(OWN, 'report');
  await page.waitForSelector('#report-title');
  assert.equal(new URL(page.url()).hash, `#/report/${OWN}/${YEAR}`);
  const title = await page.textContent('#report-title');
  assert.match(title, /鲁山县民政局/);
  assert.match(title, /2024/);
  await stateIs('REPORT_STATE_SUBMITTED');
  const status = await page.textContent('#status');
  assert.match(status, /报送截止2025年3月1日/);
  assert.match(status, /公开截止2025年4月1日/);
  assert.match(status, /报送minzheng-editor/);

  // The report as it will print: the gateway's HTML rendering in a
  // sandboxed frame, its style sheet allowed by the page's policy (22 pt
  // title).
  const frame = await (await page.$('#report-frame')).contentFrame();
  await frame.waitForSelector('h1');
  assert.equal((await frame.textContent('h1')).trim(), title.trim());
  const size = await frame.$eval('h1', (h1) => parseFloat(getComputedStyle(h1).fontSize));
  assert.ok(Math.abs(size - 22 * 96 / 72) < 0.5, `title font size ${size}px: the report's style was blocked`);
  assert.equal(await page.getAttribute('#report-frame', 'sandbox'), '');
  assert.ok((await frame.$$('p')).length > 10);

  // Findings with evidence, facts with where each came from.
  const findings = await page.$$('#findings .findings > li');
  assert.ok(findings.length >= 1, 'no findings');
  assert.ok((await page.$$('#findings .evidence li')).length >= findings.length, 'findings without evidence');
  const facts = await page.$$('#facts tbody tr');
  assert.ok(facts.length > 10, `${facts.length} facts`);
  const sources = await page.$$eval('#facts td.source', (cells) => cells.map((c) => c.textContent));
  assert.ok(sources.some((s) => s.startsWith(`学法 · GetStudySummary · orgs/${OWN}`)), sources.join("\n"));
  assert.ok(sources.some((s) => s.startsWith('执法 · GetDutySummary')), sources.join('\n'));
  // Each finding with its cause and remedy; each number the report quotes
  // first, with the records behind it.
  assert.equal((await page.$$('#findings .cause')).length, findings.length, 'findings without 原因');
  assert.equal((await page.$$('#findings .rectification')).length, findings.length, 'findings without 整改');
  const firstFact = await page.$('#facts tbody tr');
  assert.equal(await firstFact.getAttribute('class'), 'used', 'the quoted facts come first');
  const quoted = await page.$$('#facts tbody tr.used');
  assert.ok(quoted.length >= 10, `${quoted.length} facts quoted`);
  const leadership = await page.$('#facts tr[data-fact="study.leadership.sessions"]');
  assert.equal(await leadership.getAttribute('class'), 'used');
  await leadership.$eval('details.records', (d) => { d.open = true; });
  const records = await leadership.$$eval('details.records li', (items) => items.map((i) => i.textContent));
  assert.equal(records.length, 4, records.join('\n'));
  assert.ok(records.every((r) => r.startsWith(`orgs/${OWN}/sessions/`)), records.join('\n'));
  assert.equal(await page.$('#number-warnings'), null, 'the demo narrative types no number by hand');

  // No approval for a reader.
  assert.ok(await page.isHidden('#actions'));
  await noJunk();

  // The DOCX, fetched with the header and saved from a Blob.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#downloads button[data-format="docx"]'),
  ]);
  assert.equal(download.suggestedFilename(), `${OWN}-${YEAR}.docx`);
  fs.mkdirSync(DOWNLOADS, { recursive: true });
  await download.saveAs(path.join(DOWNLOADS, download.suggestedFilename()));
  const bytes = fs.readFileSync(path.join(DOWNLOADS, download.suggestedFilename()));
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
  // The demo's DOCX deflates to about 7 kB; web_e2e_test.py opens it.
  assert.ok(bytes.length > 5 * 1024, `${bytes.length} bytes`);
  await page.waitForSelector('#notice:not([hidden])');
  // The facts as XLSX (sheets_e2e_test.py reads its rows back).
  const factsSheet = await downloadBytes('#facts-xlsx', `${OWN}-${YEAR}-facts.xlsx`);
  assert.equal(factsSheet.subarray(0, 2).toString('latin1'), 'PK');
  await shot('02-report-reader');
  await shot('02b-report-findings', '#findings');
  await shot('02c-report-facts', '#facts');

  // Pressing the hidden button anyway: the API refuses (403) and the page
  // shows the server's own message.
  await page.evaluate(() => { document.getElementById('actions').hidden = false; });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/approve')),
    page.click('#approve'),
  ]);
  assert.equal(response.status(), 403);
  const body = await response.json();
  assert.equal(body.error.status, 'PERMISSION_DENIED');
  const text = await messageText();
  assert.match(text, /403 PERMISSION_DENIED/);
  assert.ok(text.includes(body.error.message), text);
  assert.match(body.error.message, /minzheng-reader may not approve organization lushan-minzheng/);
  await shot('03-reader-refused');
  await stateIs('REPORT_STATE_SUBMITTED');

  // Signing out forgets the key.
  await page.click('#sign-out');
  await page.waitForSelector('#view-signin:not([hidden])');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('fazhi.apiKey')), null);
}

async function reject() {
  // A link to the report opens it once signed in.
  await page.goto(`${BASE}#/report/${OWN}/${YEAR}`);
  await signIn('minzheng-approver');
  await page.waitForSelector('#report-title');
  await stateIs('REPORT_STATE_SUBMITTED');
  assert.ok(await page.isVisible('#actions'));
  assert.ok(await page.isEnabled('#approve'));
  assert.ok(await page.isEnabled('#reject'));
  assert.ok(await page.isDisabled('#publish'));

  // Without a comment: the server names the field.
  await page.click('#reject');
  const text = await messageText();
  assert.match(text, /400 INVALID_ARGUMENT/);
  assert.equal(await page.textContent('#message li code'), 'comment');

  await page.fill('#decision-comment', '请补充第四季度学法情况后重新报送。');
  await page.click('#reject');
  await stateIs('REPORT_STATE_REJECTED');
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(await page.textContent('#status'), /退回：minzheng-approver.*意见：请补充第四季度学法情况/);
  assert.ok(await page.isDisabled('#approve'));
  await noJunk();
  await shot('04-rejected');
}

async function approve() {
  await page.goto(BASE);
  await signIn('minzheng-approver');
  await openFromHome(OWN, 'report');
  await stateIs('REPORT_STATE_SUBMITTED');
  await page.fill('#decision-comment', '同意。');
  await page.click('#approve');
  await stateIs('REPORT_STATE_APPROVED');
  assert.match(await page.textContent('#status'), /审核通过minzheng-approver/);
  assert.ok(await page.isEnabled('#publish'));
  await shot('05-approved');
  await page.click('#publish');
  await stateIs('REPORT_STATE_PUBLISHED');
  assert.match(await page.textContent('#notice'), /已发布/);
  assert.match(await page.textContent('#status'), /发布minzheng-approver/);
  assert.ok(await page.isDisabled('#approve'));
  assert.ok(await page.isDisabled('#publish'));
  await shot('06-published');
}

async function dashboard() {
  await page.goto(BASE);
  await signIn('county-office');
  assert.equal((await page.$$('#my-orgs tbody tr')).length, 3);
  // The import templates, linked from the home page; they need no key.
  const templates = await page.$$eval('#import-templates a', (links) => links.map((a) => a.getAttribute('href')));
  assert.equal(templates.length, 8, templates.join(' '));
  assert.equal(await page.evaluate(async (href) => (await fetch(href)).status, templates[0]), 200);
  await openFromHome(OFFICE, 'dashboard');
  await page.waitForSelector('#dashboard-table');
  assert.equal(new URL(page.url()).hash, `#/dashboard/${OFFICE}/${YEAR}`);
  const rows = await page.$$eval('#dashboard-table tbody tr', (trs) => trs.map((tr) => tr.dataset.org));
  assert.deepEqual(rows, [OWN, OTHER]);

  // The department whose report is still a draft after 1 March is marked;
  // the published one is not.
  const other = `#dashboard-table tr[data-org="${OTHER}"]`;
  const own = `#dashboard-table tr[data-org="${OWN}"]`;
  assert.match(await page.getAttribute(other, 'class'), /overdue-row/);
  assert.match(await page.textContent(other), /逾期未报送/);
  assert.equal(await page.getAttribute(`${other} [data-state]`, 'data-state'), 'REPORT_STATE_DRAFT');
  assert.equal(await page.$(`${own} .overdue-badge`), null);
  assert.equal(await page.getAttribute(`${own} [data-state]`, 'data-state'), 'REPORT_STATE_PUBLISHED');
  assert.match(await page.textContent('#dashboard-summary'), /共 2 个单位，其中 1 个逾期：鲁山县市场监督管理局/);
  await noJunk();
  const sheet = await downloadBytes('#dashboard-xlsx', `${OFFICE}-${YEAR}-dashboard.xlsx`);
  assert.equal(sheet.subarray(0, 2).toString('latin1'), 'PK');

  // The charts show the dashboard's own numbers.
  const board = await page.evaluate(async (supervisor) => {
    const response = await fetch('/api/v1/dashboard', {
      method: 'POST',
      headers: { Authorization: `Bearer ${sessionStorage.getItem('fazhi.apiKey')}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ supervisor: `orgs/${supervisor}`, year: 2024 }),
    });
    return response.json();
  }, OFFICE);
  const bars = await page.$$eval('#chart-study rect.bar', (rects) => rects.map((r) => ({
    series: r.dataset.series, category: r.dataset.category, value: Number(r.dataset.value),
  })));
  assert.equal(bars.length, 8);
  const quarters = ['第一季度', '第二季度', '第三季度', '第四季度'];
  for (const bar of bars) {
    const row = board.rows.find((r) => r.orgName === bar.series);
    assert.ok(row, bar.series);
    assert.equal(bar.value, row.sessionsByQuarter[quarters.indexOf(bar.category)] || 0, JSON.stringify(bar));
  }
  const total = (org) => bars.filter((b) => b.series === board.rows.find((r) => r.org === `orgs/${org}`).orgName)
    .reduce((sum, b) => sum + b.value, 0);
  assert.ok(total(OWN) > total(OTHER) && total(OTHER) > 0, `${total(OWN)} vs ${total(OTHER)}`);
  const gaps = await page.$$eval('#chart-gaps rect.bar', (rects) => rects.map((r) => [r.dataset.category, Number(r.dataset.value)]));
  assert.deepEqual(Object.fromEntries(gaps), board.understaffedByDomain);
  assert.ok(gaps.length > 0, 'no staffing gaps drawn');
  assert.equal(await page.textContent(`${other} td:nth-child(8)`), String(board.rows[1].powersUnderstaffed));
  await page.screenshot({ path: path.join(SHOTS, '07-dashboard.png'), fullPage: true });

  // From the table to the overdue department's draft; a supervisor reads
  // but does not approve.
  await page.click(`${other} a`);
  await page.waitForSelector('#report-title');
  await stateIs('REPORT_STATE_DRAFT');
  assert.ok(await page.isHidden('#actions'));
  await shot('08-draft-report');
}

// ---------------------------------------------------------------------------

const phases = {
  reader, reject, approve, dashboard,
  ...deskPhases({ page, context, watch, BASE, KEYS, SHOTS, DOWNLOADS, shot, signIn, stateIs, messageText, noJunk }),
};
try {
  assert.ok(phases[PHASE], `unknown phase ${PHASE}`);
  await phases[PHASE]();
  assert.deepEqual(pageErrors, [], 'script errors on the page');
  const refused = consoleLines.filter((line) => /Content.Security.Policy|Refused to/i.test(line));
  assert.deepEqual(refused, [], 'the page broke its own policy');
  for (const secret of secrets) {
    assert.ok(!consoleLines.some((line) => line.includes(secret)), 'a key in the console');
    assert.ok(!requestUrls.some((url) => url.includes(secret)), 'a key in a URL');
  }
  assert.ok(requestUrls.every((url) => url.startsWith(BASE) || url.startsWith('blob:') ||
    url.startsWith('data:') || url === 'about:srcdoc'), `a request elsewhere: ${requestUrls.join(' ')}`);
  console.log(`${PHASE}: ok (${requestUrls.length} requests)`);
} catch (error) {
  console.error(`${PHASE}: FAILED`);
  console.error(error);
  console.error(`console:\n${consoleLines.join('\n')}`);
  await shot(`failed-${PHASE}`).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
