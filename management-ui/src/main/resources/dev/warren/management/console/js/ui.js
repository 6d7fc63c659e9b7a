// DOM helpers shared by the pages: element building, numbers, messages, forms and the paged list.

import { get } from './api.js';

/** Builds an element: h('a', {href: '#/'}, 'text', child). on* attributes become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function fmtNum(n) {
  if (n === undefined || n === null || n === '') return '';
  if (typeof n !== 'number') return String(n);
  return Number.isInteger(n) ? n.toLocaleString('en') : n.toLocaleString('en', { maximumFractionDigits: 1 });
}

export function fmtRate(r) {
  return r === undefined || r === null ? '' : `${fmtNum(r)}/s`;
}

export function fmtBytes(b) {
  if (typeof b !== 'number') return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) { b /= 1024; i += 1; }
  return `${i === 0 ? b : b.toFixed(1)} ${units[i]}`;
}

/** The value at a dotted path (message_stats.publish_details.rate) or undefined. */
export function dig(o, path) {
  return path.split('.').reduce((x, k) => (x === undefined || x === null ? undefined : x[k]), o);
}

/** Shows a message at the top of the page: kind 'error' or 'ok'. */
export function flash(text, kind = 'error') {
  const box = document.getElementById('flash');
  box.replaceChildren(h('p', { class: kind }, text));
  if (kind === 'ok') setTimeout(() => { if (box.textContent === text) box.replaceChildren(); }, 4000);
}

export function clearFlash() {
  document.getElementById('flash').replaceChildren();
}

/** A section with a heading. */
export function section(title, ...content) {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...content);
}

/** A definition list of [label, value] pairs. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

let formIds = 0;

/**
 * A form. fields: {name, label, type ('text', 'password', 'number', 'select', 'checkbox',
 * 'textarea', 'args', 'file'), options, value, required, placeholder}. onSubmit receives the values
 * and may throw: the error is shown in the form (role=alert). Resolves -> the form resets.
 */
export function form({ fields, submit, onSubmit, id, className = 'stack' }) {
  const formId = id || `f${++formIds}`;
  const status = h('p', { class: 'form-status', role: 'alert', 'aria-live': 'polite' });
  const controls = {};
  const rows = fields.map((f) => {
    const inputId = `${formId}-${f.name}`;
    let control;
    if (f.type === 'select') {
      control = h('select', { id: inputId, name: f.name },
        f.options.map((o) => {
          const [value, label] = Array.isArray(o) ? o : [o, o];
          return h('option', { value, selected: value === f.value }, label);
        }));
    } else if (f.type === 'checkbox') {
      control = h('input', { id: inputId, name: f.name, type: 'checkbox', checked: !!f.value });
    } else if (f.type === 'textarea') {
      control = h('textarea', { id: inputId, name: f.name, rows: f.rows || 4, placeholder: f.placeholder, required: f.required });
      control.value = f.value || '';
    } else if (f.type === 'args') {
      control = argsEditor(inputId, f.known || [], f.value);
    } else {
      control = h('input', {
        id: inputId, name: f.name, type: f.type || 'text', required: f.required,
        placeholder: f.placeholder, autocomplete: f.autocomplete || 'off', accept: f.accept,
      });
      if (f.value !== undefined && f.type !== 'file') control.value = f.value;
    }
    controls[f.name] = { f, control };
    if (f.type === 'checkbox') {
      return h('div', { class: 'row check' }, control, h('label', { for: inputId }, f.label));
    }
    if (f.type === 'args') {
      return h('fieldset', { class: 'row args' }, h('legend', {}, f.label), control);
    }
    return h('div', { class: 'row' }, h('label', { for: inputId }, f.label), control);
  });
  const button = h('button', { type: 'submit' }, submit);
  const el = h('form', { id: formId, class: className, novalidate: false }, rows, h('div', { class: 'row actions' }, button), status);
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.textContent = '';
    status.className = 'form-status';
    const values = {};
    try {
      for (const [name, { f, control }] of Object.entries(controls)) {
        if (f.type === 'checkbox') values[name] = control.checked;
        else if (f.type === 'args') values[name] = control.read();
        else if (f.type === 'file') values[name] = control.files[0];
        else values[name] = control.value;
      }
      button.disabled = true;
      const msg = await onSubmit(values);
      status.className = 'form-status ok';
      status.textContent = msg || 'Done.';
    } catch (e) {
      status.className = 'form-status error';
      status.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

/**
 * Rows of key / value / type for AMQP arguments or headers; `known` lists [key, type, help] that
 * a button adds. read() returns the table, typed (number, boolean, string, or JSON for 'json').
 */
export function argsEditor(id, known, initial) {
  const body = h('tbody');
  const addRow = (key = '', value = '', type = 'string') => {
    const n = body.children.length + 1;
    const typeSel = h('select', { 'aria-label': `Type ${n}` },
      ['string', 'number', 'boolean', 'json'].map((t) => h('option', { value: t, selected: t === type }, t)));
    const row = h('tr', {},
      h('td', {}, h('input', { 'aria-label': `Key ${n}`, value: key, class: 'arg-key', autocomplete: 'off' })),
      h('td', {}, h('input', { 'aria-label': `Value ${n}`, value, class: 'arg-value', autocomplete: 'off' })),
      h('td', {}, typeSel),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => row.remove(), 'aria-label': `Remove argument ${n}` }, 'Remove')));
    body.append(row);
    return row;
  };
  for (const [k, v] of Object.entries(initial || {})) {
    addRow(k, typeof v === 'object' ? JSON.stringify(v) : String(v), typeof v === 'object' ? 'json' : typeof v);
  }
  const wrap = h('div', { id, class: 'args-editor' },
    h('table', { class: 'args-table' }, h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Value'), h('th', {}, 'Type'), h('th', {}, ''))), body),
    h('div', { class: 'arg-buttons' },
      h('button', { type: 'button', onclick: () => addRow().querySelector('input').focus() }, 'Add argument'),
      known.length ? h('span', { class: 'hint' }, ' Add: ') : null,
      known.map(([k, t, help]) => h('button', {
        type: 'button', class: 'chip', title: help,
        onclick: () => addRow(k, '', t).querySelector('.arg-value').focus(),
      }, k))));
  wrap.read = () => {
    const out = {};
    for (const row of body.children) {
      const k = row.querySelector('.arg-key').value.trim();
      if (!k) continue;
      const raw = row.querySelector('.arg-value').value;
      const t = row.querySelector('select').value;
      if (t === 'number') {
        if (raw.trim() === '' || Number.isNaN(Number(raw))) throw new Error(`Argument ${k}: "${raw}" is not a number`);
        out[k] = Number(raw);
      } else if (t === 'boolean') {
        out[k] = raw.trim().toLowerCase() === 'true';
      } else if (t === 'json') {
        try { out[k] = JSON.parse(raw); } catch (e) { throw new Error(`Argument ${k}: not JSON (${e.message})`); }
      } else {
        out[k] = raw;
      }
    }
    return out;
  };
  return wrap;
}

/** A button that asks for confirmation, then runs action; errors go to the flash. */
export function dangerButton(label, question, action) {
  return h('button', {
    type: 'button', class: 'danger',
    onclick: async (ev) => {
      if (!window.confirm(question)) return;
      ev.target.disabled = true;
      try { await action(); } catch (e) { flash(e.message); } finally { ev.target.disabled = false; }
    },
  }, label);
}

/**
 * A list paginated, sorted and filtered by the API (page, page_size, name, use_regex, sort,
 * sort_reverse). columns: {label, key (sort key, optional), render(item) -> node/text, num}.
 * Returns {el, refresh}. The table carries data-total and data-filtered for tests and people.
 */
export function pagedTable({ path, columns, sort = 'name', filterLabel = 'Filter by name', caption, empty = 'Nothing here.' }) {
  const state = { page: 1, pageSize: 100, name: '', regex: false, sort, reverse: false };
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const filterInput = h('input', { type: 'search', 'aria-label': filterLabel, placeholder: filterLabel });
  const regexBox = h('input', { type: 'checkbox', id: `re${++formIds}` });
  const sizeSel = h('select', { 'aria-label': 'Rows per page' }, [20, 50, 100, 500].map((n) => h('option', { value: n, selected: n === 100 }, String(n))));
  const prev = h('button', { type: 'button', onclick: () => { state.page -= 1; refresh(); } }, 'Previous');
  const next = h('button', { type: 'button', onclick: () => { state.page += 1; refresh(); } }, 'Next');
  const pageLabel = h('span', { class: 'page-label' });
  const thead = h('thead');
  const tbody = h('tbody');
  const table = h('table', { class: 'list' }, caption ? h('caption', {}, caption) : null, thead, tbody);
  let timer;
  filterInput.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { state.name = filterInput.value; state.page = 1; refresh(); }, 250);
  });
  regexBox.addEventListener('change', () => { state.regex = regexBox.checked; state.page = 1; refresh(); });
  sizeSel.addEventListener('change', () => { state.pageSize = Number(sizeSel.value); state.page = 1; refresh(); });

  const drawHead = () => {
    thead.replaceChildren(h('tr', {}, columns.map((c) => {
      if (!c.key) return h('th', { scope: 'col', class: c.num ? 'num' : '' }, c.label);
      const active = state.sort === c.key;
      return h('th', { scope: 'col', class: c.num ? 'num' : '', 'aria-sort': active ? (state.reverse ? 'descending' : 'ascending') : 'none' },
        h('button', {
          type: 'button', class: 'sort',
          onclick: () => {
            if (state.sort === c.key) state.reverse = !state.reverse;
            else { state.sort = c.key; state.reverse = false; }
            state.page = 1;
            refresh();
          },
        }, c.label, active ? (state.reverse ? ' ▼' : ' ▲') : ''));
    })));
  };

  async function refresh() {
    const p = typeof path === 'function' ? path() : path;
    const q = new URLSearchParams({
      page: state.page, page_size: state.pageSize, name: state.name, use_regex: state.regex,
      sort: state.sort, sort_reverse: state.reverse, pagination: true,
    });
    let res;
    try {
      res = await get(`${p}${p.includes('?') ? '&' : '?'}${q}`);
    } catch (e) {
      if (e.error === 'page_out_of_range' && state.page > 1) { state.page = 1; return refresh(); }
      tbody.replaceChildren(h('tr', {}, h('td', { colspan: columns.length, class: 'error' }, e.message)));
      summary.textContent = '';
      return undefined;
    }
    drawHead();
    const items = Array.isArray(res) ? res : res.items;
    tbody.replaceChildren(...(items.length
      ? items.map((it) => h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : '' }, c.render(it)))))
      : [h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty))]));
    const total = Array.isArray(res) ? items.length : res.total_count;
    const filtered = Array.isArray(res) ? items.length : res.filtered_count;
    const pages = Array.isArray(res) ? 1 : Math.max(1, res.page_count);
    table.dataset.total = total;
    table.dataset.filtered = filtered;
    summary.textContent = filtered === total ? `${fmtNum(total)} items` : `${fmtNum(filtered)} of ${fmtNum(total)} items match`;
    pageLabel.textContent = `Page ${state.page} of ${pages}`;
    prev.disabled = state.page <= 1;
    next.disabled = state.page >= pages;
    return res;
  }
  drawHead();
  const el = h('div', { class: 'paged' },
    h('div', { class: 'toolbar' },
      filterInput,
      h('span', { class: 'check' }, regexBox, h('label', { for: regexBox.id }, 'Regex')),
      h('label', {}, 'Rows ', sizeSel),
      h('span', { class: 'pager' }, prev, pageLabel, next)),
    summary,
    h('div', { class: 'scroll' }, table));
  return { el, refresh };
}

/** A plain table of items (no paging). */
export function simpleTable(columns, items, empty = 'None.') {
  return h('div', { class: 'scroll' }, h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : '' }, c.label)))),
    h('tbody', {}, items.length
      ? items.map((it) => h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : '' }, c.render(it)))))
      : h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, empty)))));
}
