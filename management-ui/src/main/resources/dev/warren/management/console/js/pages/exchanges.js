// Exchanges: the paged list with the declare form, and one exchange's page (bindings both ways,
// bind, publish a message with properties and headers, delete).

import { get, put, post, del, seg } from '../api.js';
import { h, section, facts, fmtRate, form, pagedTable, dangerButton, flash, dig } from '../ui.js';
import { session, href } from '../app.js';
import { bindingTable } from './queues.js';

const EXCHANGE_ARGS = [
  ['alternate-exchange', 'string', 'Where messages this exchange cannot route go'],
];

/** The default exchange has the empty name; the API spells it amq.default in paths. */
const pathName = (n) => (n === '' ? 'amq.default' : n);

export async function exchangesPage() {
  const list = pagedTable({
    path: () => (session.vhost ? `/exchanges/${seg(session.vhost)}` : '/exchanges'),
    caption: 'Exchanges',
    filterLabel: 'Filter exchanges by name',
    columns: [
      { label: 'Virtual host', key: 'vhost', render: (e) => e.vhost },
      { label: 'Name', key: 'name', render: (e) => h('a', { href: href('exchanges', e.vhost, pathName(e.name)) }, e.name || '(AMQP default)') },
      { label: 'Type', key: 'type', render: (e) => e.type },
      { label: 'Features', render: (e) => [e.durable ? 'D' : '', e.auto_delete ? ' AD' : '', e.internal ? ' I' : '', e.policy ? ` ${e.policy}` : ''].join('') },
      { label: 'Rate in', key: 'message_stats.publish_in_details.rate', num: true, render: (e) => fmtRate(dig(e, 'message_stats.publish_in_details.rate') ?? 0) },
      { label: 'Rate out', key: 'message_stats.publish_out_details.rate', num: true, render: (e) => fmtRate(dig(e, 'message_stats.publish_out_details.rate') ?? 0) },
    ],
  });
  const parts = [h('h1', {}, 'Exchanges'), section('All exchanges', list.el)];
  if (session.canChange) {
    parts.push(section('Add an exchange', form({
      id: 'declare-exchange',
      submit: 'Add exchange',
      fields: [
        { name: 'vhost', label: 'Virtual host', type: 'select', options: session.vhosts, value: session.vhost || session.vhosts[0] },
        { name: 'name', label: 'Name', required: true },
        { name: 'type', label: 'Type', type: 'select', options: ['direct', 'fanout', 'topic', 'headers', 'x-consistent-hash'], value: 'direct' },
        { name: 'durable', label: 'Durable', type: 'checkbox', value: true },
        { name: 'auto_delete', label: 'Auto delete', type: 'checkbox', value: false },
        { name: 'internal', label: 'Internal', type: 'checkbox', value: false },
        { name: 'arguments', label: 'Arguments', type: 'args', known: EXCHANGE_ARGS },
      ],
      onSubmit: async (v) => {
        await put(`/exchanges/${seg(v.vhost)}/${seg(v.name)}`, { type: v.type, durable: v.durable, auto_delete: v.auto_delete, internal: v.internal, arguments: v.arguments });
        await list.refresh();
        return `Exchange ${v.name} declared in ${v.vhost}.`;
      },
    })));
  }
  return { el: h('div', { class: 'page' }, parts), refresh: list.refresh };
}

export async function exchangePage(vhost, name) {
  const path = `/exchanges/${seg(vhost)}/${seg(name)}`;
  const shown = name === 'amq.default' ? '(AMQP default)' : name;
  const info = h('div');
  const out = h('div');
  const inb = h('div');
  const parts = [h('h1', {}, `Exchange ${shown}`, h('span', { class: 'sub' }, ` in ${vhost}`)),
    section('Details', info),
    section('Bindings from this exchange', out),
    section('Bindings to this exchange', inb)];
  if (session.canChange) {
    if (name !== 'amq.default') {
      parts.push(section('Add a binding from this exchange', form({
        id: 'bind-exchange',
        submit: 'Bind',
        fields: [
          { name: 'dtype', label: 'To', type: 'select', options: [['q', 'Queue'], ['e', 'Exchange']], value: 'q' },
          { name: 'destination', label: 'Destination name', required: true },
          { name: 'routing_key', label: 'Routing key' },
          { name: 'arguments', label: 'Arguments', type: 'args' },
        ],
        onSubmit: async (v) => {
          await post(`/bindings/${seg(vhost)}/e/${seg(name)}/${v.dtype}/${seg(v.destination)}`, { routing_key: v.routing_key, arguments: v.arguments });
          await refresh();
          return `Bound to ${v.destination}.`;
        },
      })));
    }
    parts.push(section('Publish a message', publishForm(path)));
    if (!name.startsWith('amq.')) {
      parts.push(section('Delete', dangerButton('Delete exchange', `Delete exchange ${name}?`, async () => {
        await del(path);
        flash(`Exchange ${name} deleted.`, 'ok');
        location.hash = '#/exchanges';
      })));
    }
  }

  async function refresh() {
    const [e, src, dst] = await Promise.all([
      get(path), get(`${path}/bindings/source`), get(`${path}/bindings/destination`)]);
    info.replaceChildren(facts([
      ['Type', e.type],
      ['Durable', String(!!e.durable)],
      ['Auto delete', String(!!e.auto_delete)],
      ['Internal', String(!!e.internal)],
      ['Policy', e.policy || ''],
      ['Arguments', JSON.stringify(e.arguments || {})],
      ['Rate in', fmtRate(dig(e, 'message_stats.publish_in_details.rate') ?? 0)],
      ['Rate out', fmtRate(dig(e, 'message_stats.publish_out_details.rate') ?? 0)],
    ]));
    out.replaceChildren(bindingTable(vhost, src, 'destination', refresh));
    inb.replaceChildren(bindingTable(vhost, dst, 'source', refresh));
  }
  return { el: h('div', { class: 'page' }, parts), refresh };
}

function publishForm(path) {
  return form({
    id: 'publish',
    submit: 'Publish message',
    fields: [
      { name: 'routing_key', label: 'Routing key' },
      { name: 'delivery_mode', label: 'Delivery mode', type: 'select', options: [['1', '1 - non-persistent'], ['2', '2 - persistent']], value: '1' },
      { name: 'headers', label: 'Headers', type: 'args' },
      { name: 'content_type', label: 'content_type' },
      { name: 'correlation_id', label: 'correlation_id' },
      { name: 'reply_to', label: 'reply_to' },
      { name: 'message_id', label: 'message_id' },
      { name: 'expiration', label: 'expiration (ms)' },
      { name: 'priority', label: 'priority', type: 'number' },
      { name: 'payload', label: 'Payload', type: 'textarea' },
    ],
    onSubmit: async (v) => {
      const properties = { delivery_mode: Number(v.delivery_mode), headers: v.headers };
      for (const k of ['content_type', 'correlation_id', 'reply_to', 'message_id', 'expiration']) {
        if (v[k]) properties[k] = v[k];
      }
      if (v.priority !== '') properties.priority = Number(v.priority);
      const r = await post(`${path}/publish`, { properties, routing_key: v.routing_key, payload: v.payload, payload_encoding: 'string' });
      if (!r.routed) throw new Error('Message published, but not routed to any queue.');
      return 'Message published and routed.';
    },
  });
}
