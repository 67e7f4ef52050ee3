// Unit tests of the page's pure logic (services/gateway/web/assets/
// desk_text.js): the placeholder check the writer's desk runs as one types,
// and the CSV reading of the records page. `node --test`, no packages.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';

// The asset is an ES module served to the browser; it sits under no
// package.json that says so, so it is loaded from its text.
const here = path.dirname(fileURLToPath(import.meta.url));
const source = fs.readFileSync(path.join(here, '../../services/gateway/web/assets/desk_text.js'), 'utf8');
const { checkTemplate, parseCsv, csvRecords, setPath, splitList } =
  await import(`data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`);

const KNOWN = new Set(['study.sessions.total', 'duty.officers', 'year']);
const messages = (text, known = KNOWN) => checkTemplate(text, known).map((p) => p.message);

test('well-formed templates pass', () => {
  assert.deepEqual(messages(''), []);
  assert.deepEqual(messages('全年学法{{study.sessions.total}}次'), []);
  assert.deepEqual(messages('{{ duty.officers | 人 }}，{{year}}年'), []);
  assert.deepEqual(messages('{{duty.officers|人|percent}}'), []);
  // Single braces are ordinary text.
  assert.deepEqual(messages('{a} {b} {'), []);
});

test('unknown names are named; without a catalogue only the grammar counts', () => {
  assert.deepEqual(messages('{{study.nothing}}'), ['没有名为“study.nothing”的事实']);
  assert.deepEqual(checkTemplate('{{study.nothing}}', null), []);
});

test('syntax errors give the position in characters, 1-based', () => {
  assert.deepEqual(messages('学法{{study.sessions'), ['第3个字符处的“{{”没有闭合（缺少“}}”）']);
  assert.deepEqual(messages('共计}}次'), ['第3个字符处多了“}}”（没有对应的“{{”）']);
  assert.deepEqual(messages('{{ }}'), ['第1个字符处的占位符没有事实名称']);
  assert.match(messages('甲{{Study.x}}')[0], /^第2个字符处的“Study.x”不是合法的事实名称/);
  assert.match(messages('{{study..x}}')[0], /不是合法的事实名称/);
  assert.match(messages('{{year|}}')[0], /空的或不合法的格式/);
  // Every problem of a paragraph, in order.
  assert.equal(messages('{{a.B}}，{{year | 人 }}，}}').length, 2);
});

test('CSV: quotes, commas and line breaks in cells, CRLF, BOM, blank lines', () => {
  const rows = parseCsv('\uFEFFa,b\r\n"x, y","第一行\n第二行"\r\n\r\n"say ""hi""",\n');
  assert.deepEqual(rows, [
    { line: 1, cells: ['a', 'b'] },
    { line: 2, cells: ['x, y', '第一行\n第二行'] },
    { line: 5, cells: ['say "hi"', ''] },
  ]);
  assert.deepEqual(parseCsv('a,b'), [{ line: 1, cells: ['a', 'b'] }]);
});

const FIELDS = [
  { key: 'date', proto: 'date', label: '日期', type: 'date' },
  { key: 'kind', proto: 'kind', label: '类型', type: 'enum', options: [['STUDY_KIND_ALL_STAFF', '集中学法']] },
  { key: 'laws', proto: 'laws', label: '学习的法律', type: 'list' },
  { key: 'durationMinutes', proto: 'duration_minutes', label: '时长（分钟）', type: 'number' },
  { key: 'headAttended', proto: 'head_attended', label: '主要负责人参加', type: 'bool' },
  { key: 'certificate.number', proto: 'certificate.number', label: '执法证号', type: 'text' },
];

test('CSV rows become records: labels, proto and JSON names; cells read by type', () => {
  const csv = [
    '日期,类型,学习的法律,duration_minutes,headAttended,执法证号',
    '2025-04-10,集中学法,民法典、行政复议法；宪法,90,是,A-1',
    '2025/4/1,STUDY_KIND_LECTURE,,,0,',
  ].join('\n');
  const { rows, errors } = csvRecords(FIELDS, csv);
  assert.deepEqual(errors, []);
  assert.deepEqual(rows, [
    {
      line: 2,
      record: {
        date: { year: 2025, month: 4, day: 10 }, kind: 'STUDY_KIND_ALL_STAFF', laws: ['民法典', '行政复议法', '宪法'],
        durationMinutes: 90, headAttended: true, certificate: { number: 'A-1' },
      },
    },
    // An enum the page does not know is sent as written: the server names it.
    { line: 3, record: { date: { year: 2025, month: 4, day: 1 }, kind: 'STUDY_KIND_LECTURE', headAttended: false } },
  ]);
  // The label without its unit names the column too.
  assert.equal(csvRecords(FIELDS, '时长\n5').rows[0].record.durationMinutes, 5);
});

test('CSV cells that cannot be read keep their row out, with line and field', () => {
  const { rows, errors } = csvRecords(FIELDS, '日期,时长（分钟）,主要负责人参加\n3月,九十,也许\n2025-01-02,30,否');
  assert.deepEqual(rows.map((r) => r.line), [3]);
  assert.deepEqual(errors, [
    { line: 2, field: 'date', message: '不是日期（YYYY-MM-DD）' },
    { line: 2, field: 'duration_minutes', message: '不是整数' },
    { line: 2, field: 'head_attended', message: '不是“是/否”（true/false、1/0）' },
  ]);
  assert.deepEqual(csvRecords(FIELDS, '日期,颜色\n2025-01-02,红').errors, [{ line: 1, field: '颜色', message: '不认识的列名' }]);
  assert.equal(csvRecords(FIELDS, '日期\n').errors[0].message, '文件没有数据行（第一行为表头）');
});

test('records: nested keys and lists', () => {
  const record = {};
  setPath(record, 'certificate.status', 'CERTIFICATE_STATUS_VALID');
  setPath(record, 'title', 'x');
  setPath(record, 'title', undefined);
  assert.deepEqual(record, { certificate: { status: 'CERTIFICATE_STATUS_VALID' } });
  assert.deepEqual(splitList(' 民法典 ;宪法；；行政处罚法\n'), ['民法典', '宪法', '行政处罚法']);
});
