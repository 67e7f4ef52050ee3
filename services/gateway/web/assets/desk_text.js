// The page's pure logic, without the DOM (tests/web/desk_text_test.mjs
// runs it under node --test): the placeholder grammar of report.proto,
// checked as a writer types, and CSV files read into records as the CLI's
// CSV import reads them.

// ---------------------------------------------------------------------------
// Placeholders, as report.proto defines them: "{{name | filter}}".

const NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const FILTER = /^[^\s{}|]+$/;

// [{position (1-based, in characters), message}] for one template; names
// are checked against `known` (a Set) when given.
export function checkTemplate(text, known) {
  const problems = [];
  const chars = Array.from(text || '');
  const at = (i) => i + 1;
  let i = 0;
  while (i < chars.length) {
    if (chars[i] === '}' && chars[i + 1] === '}') {
      problems.push({ position: at(i), message: `第${at(i)}个字符处多了“}}”（没有对应的“{{”）` });
      i += 2;
      continue;
    }
    if (!(chars[i] === '{' && chars[i + 1] === '{')) {
      i += 1;
      continue;
    }
    const start = i;
    let end = -1;
    for (let j = i + 2; j + 1 < chars.length; j += 1) {
      if (chars[j] === '}' && chars[j + 1] === '}') { end = j; break; }
    }
    if (end < 0) {
      problems.push({ position: at(start), message: `第${at(start)}个字符处的“{{”没有闭合（缺少“}}”）` });
      break;
    }
    const inner = chars.slice(start + 2, end).join('');
    const [name, ...filters] = inner.split('|').map((part) => part.replace(/^[ \t]+|[ \t]+$/g, ''));
    if (!name) {
      problems.push({ position: at(start), message: `第${at(start)}个字符处的占位符没有事实名称` });
    } else if (!NAME.test(name)) {
      problems.push({ position: at(start), message: `第${at(start)}个字符处的“${name}”不是合法的事实名称（小写字母、数字、下划线，用“.”分段）` });
    } else if (known && !known.has(name)) {
      problems.push({ position: at(start), message: `没有名为“${name}”的事实`, unknown: name });
    }
    for (const filter of filters) {
      if (!FILTER.test(filter)) {
        problems.push({ position: at(start), message: `第${at(start)}个字符处的占位符有空的或不合法的格式（“|”之后）` });
      }
    }
    i = end + 2;
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Records.

// Sets `key` ("certificate.number") of `object`; undefined removes it.
export function setPath(object, key, value) {
  const parts = key.split('.');
  let o = object;
  for (const part of parts.slice(0, -1)) o = o[part] = o[part] || {};
  const last = parts[parts.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

export const splitList = (text) => String(text || '').split(/[;；、\n]/).map((s) => s.trim()).filter(Boolean);

// CSV (RFC 4180) → records, as the CLI's CSV import reads them.

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false;
      else { if (c === '\n') line += 1; cell += c; }
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push({ line: rowLine, cells: row });
      row = [];
      cell = '';
      line += 1;
      rowLine = line;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push({ line: rowLine, cells: row });
  }
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
}

function fieldForHeader(fields, header) {
  const name = header.trim();
  return fields.find((f) => f.key === name || f.proto === name || f.label === name ||
    f.label.replace(/（.*）$/, '') === name);
}

function cellValue(field, cell, options) {
  const text = cell.trim();
  switch (field.type) {
    case 'number': {
      if (!/^-?\d+$/.test(text)) throw new Error('不是整数');
      return Number(text);
    }
    case 'bool':
      if (['true', '1', '是'].includes(text.toLowerCase())) return true;
      if (['false', '0', '否'].includes(text.toLowerCase())) return false;
      throw new Error('不是“是/否”（true/false、1/0）');
    case 'date': {
      const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(text);
      if (!m) throw new Error('不是日期（YYYY-MM-DD）');
      return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    }
    case 'enum': {
      const found = options.find(([value, name]) => value === text || name === text);
      return found ? found[0] : text;  // the server names a wrong one
    }
    case 'list': return splitList(text);
    default: return text;
  }
}

// The records of a CSV file whose columns are `fields` (key: JSON name,
// dotted for a nested message; proto; label; type; options of an enum):
// {rows: [{line, record}], errors: [{line, field, message}]}, a row with
// a cell that cannot be read in errors only.
export function csvRecords(fields, text) {
  const table = parseCsv(text);
  if (table.length < 2) return { rows: [], errors: [{ line: 1, field: '', message: '文件没有数据行（第一行为表头）' }] };
  const header = table[0].cells.map((name) => ({ name, field: fieldForHeader(fields, name) }));
  const unknown = header.filter((c) => !c.field && c.name.trim());
  if (unknown.length) {
    return { rows: [], errors: unknown.map((c) => ({ line: 1, field: c.name, message: '不认识的列名' })) };
  }
  const rows = [];
  const errors = [];
  for (const { line, cells } of table.slice(1)) {
    const record = {};
    let bad = false;
    header.forEach(({ field }, i) => {
      if (!field || cells[i] === undefined || cells[i].trim() === '') return;
      try {
        setPath(record, field.key, cellValue(field, cells[i], field.options || []));
      } catch (error) {
        errors.push({ line, field: field.proto, message: error.message });
        bad = true;
      }
    });
    if (!bad) rows.push({ line, record });
  }
  return { rows, errors };
}

