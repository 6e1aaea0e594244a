/**
 * Sorts a pre-sorted table in place where scripts run (progressive enhancement: without
 * JavaScript the sort links above the table load pre-sorted pages). Headers with
 * data-sort-key become buttons; each row carries its sort values as data-k-<key>
 * attributes, written at build time, so nothing is computed here but the order.
 */
for (const box of document.querySelectorAll<HTMLElement>('[data-sortable-table]')) {
  const table = box.querySelector('table')!;
  const body = table.tBodies[0]!;
  const label = box.querySelector<HTMLElement>('[data-sort-label]');
  for (const th of table.querySelectorAll<HTMLTableCellElement>('th[data-sort-key]')) {
    const key = th.dataset.sortKey!;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener('click', () => {
      // First click: codes ascending, figures largest first; a second click reverses.
      const current = th.getAttribute('aria-sort');
      const natural = key === 'code' ? 'ascending' : 'descending';
      const dir = current === natural ? (natural === 'ascending' ? 'descending' : 'ascending') : natural;
      const sign = dir === 'ascending' ? 1 : -1;
      const value = (tr: HTMLTableRowElement) => tr.getAttribute(`data-k-${key}`) ?? '';
      const rows = [...body.rows].sort((a, b) => {
        const va = value(a);
        const vb = value(b);
        const d = key === 'code' ? va.localeCompare(vb, 'en') : Number(va) - Number(vb);
        return sign * d || (a.dataset.code ?? '').localeCompare(b.dataset.code ?? '', 'en');
      });
      body.append(...rows);
      for (const other of table.querySelectorAll('th[aria-sort]')) other.removeAttribute('aria-sort');
      th.setAttribute('aria-sort', dir);
      if (label) label.textContent = `按“${th.dataset.sortName ?? button.textContent}”${dir === 'ascending' ? '从小到大' : '从大到小'}排列`;
    });
  }
}
