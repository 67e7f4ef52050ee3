// Spreadsheets on the page: the dashboard and a report's facts as XLSX
// (downloaded with the key, like the report's formats), and the import
// templates (no data, plain links). `h` makes elements (app.js); `save`
// fetches a path with the key and saves it under a file name.

export const TEMPLATES = [
  ['sessions', '学法记录', 'study import-sessions'],
  ['events', '普法宣传活动', 'study import-events'],
  ['powers', '权责清单', 'duty import-powers'],
  ['officers', '执法人员', 'duty import-officers'],
];

export function factsSheetButton(h, save, org, year) {
  return h('button', {
    type: 'button', id: 'facts-xlsx', 'data-format': 'facts.xlsx',
    onclick: () => save(`/orgs/${encodeURIComponent(org)}/reports/${year}/facts.xlsx`, `${org}-${year}-facts.xlsx`),
  }, '下载事实表 XLSX');
}

export function dashboardSheetButton(h, save, org, year, asOf) {
  const query = asOf ? `?as_of=${encodeURIComponent(asOf)}` : '';
  return h('button', {
    type: 'button', id: 'dashboard-xlsx',
    onclick: () => save(`/orgs/${encodeURIComponent(org)}/dashboard/${year}.xlsx${query}`, `${org}-${year}-dashboard.xlsx`),
  }, '下载看板 XLSX');
}

export function templatesCard(h) {
  return h('section', { class: 'card', id: 'import-templates' },
    h('h2', { text: '导入模板' }),
    h('p', { class: 'hint', text: '表头为中文（括号内为字段名），第二行是示例。填好后用命令行导入，XLSX 与 CSV 均可，例如：' },
      h('code', { text: 'fazhi study import-sessions --org=单位标识 --file=学法记录.xlsx' })),
    h('ul', { class: 'templates' }, TEMPLATES.map(([kind, label, command]) => h('li', { 'data-template': kind },
      `${label}：`,
      h('a', { href: `/templates/${kind}.xlsx`, download: `${kind}.xlsx` }, 'XLSX'), ' · ',
      h('a', { href: `/templates/${kind}.csv`, download: `${kind}.csv` }, 'CSV'),
      h('span', { class: 'muted' }, '（', h('code', { text: `fazhi ${command}` }), '）')))));
}
