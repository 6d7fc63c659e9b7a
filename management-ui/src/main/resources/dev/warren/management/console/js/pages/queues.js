// Queues: the paged list with the declare form, and one queue's page (chart, consumers, bindings,
// get messages, purge, delete).

import { get, put, post, del, seg } from '../api.js';
import { h, section, facts, fmtNum, fmtRate, fmtBytes, form, pagedTable, simpleTable, dangerButton, flash, dig } from '../ui.js';
import { lineChart } from '../charts.js';
import { session, href } from '../app.js';

/** The x- arguments a queue declaration knows: [key, type, help]. */
export const QUEUE_ARGS = [
  ['x-message-ttl', 'number', 'Milliseconds a message may stay in the queue'],
  ['x-expires', 'number', 'Milliseconds the queue may stay unused before it is deleted'],
  ['x-max-length', 'number', 'Most messages the queue holds'],
  ['x-max-length-bytes', 'number', 'Most body bytes the queue holds'],
  ['x-overflow', 'string', 'drop-head, reject-publish or reject-publish-dlx'],
  ['x-dead-letter-exchange', 'string', 'Exchange that dead letters go to'],
  ['x-dead-letter-routing-key', 'string', 'Routing key of dead letters'],
  ['x-max-priority', 'number', 'Highest message priority (1-255)'],
  ['x-single-active-consumer', 'boolean', 'Only one consumer receives at a time'],
  ['x-queue-mode', 'string', 'lazy or default'],
  ['x-delivery-limit', 'number', 'Deliveries before a message is dead-lettered (quorum)'],
  ['x-queue-master-locator', 'string', 'Placement in a cluster'],
];

const rate = (path) => (q) => fmtRate(dig(q, path) ?? 0);

export async function queuesPage() {
  const base = () => (session.vhost ? `/queues/${seg(session.vhost)}` : '/queues');
  const list = pagedTable({
    path: base,
    caption: 'Queues',
    filterLabel: 'Filter queues by name',
    empty: 'No queues.',
    columns: [
      { label: 'Virtual host', key: 'vhost', render: (q) => q.vhost },
      { label: 'Name', key: 'name', render: (q) => h('a', { href: href('queues', q.vhost, q.name) }, q.name || '(empty name)') },
      { label: 'Type', key: 'type', render: (q) => q.type || 'classic' },
      { label: 'Features', render: (q) => [q.durable ? 'D' : '', q.auto_delete ? ' AD' : '', q.exclusive ? ' Excl' : '', q.policy ? ` ${q.policy}` : ''].join('') },
      { label: 'State', key: 'state', render: (q) => q.state || '' },
      { label: 'Ready', key: 'messages_ready', num: true, render: (q) => fmtNum(q.messages_ready ?? 0) },
      { label: 'Unacked', key: 'messages_unacknowledged', num: true, render: (q) => fmtNum(q.messages_unacknowledged ?? 0) },
      { label: 'Total', key: 'messages', num: true, render: (q) => fmtNum(q.messages ?? 0) },
      { label: 'Consumers', key: 'consumers', num: true, render: (q) => fmtNum(q.consumers ?? 0) },
      { label: 'Incoming', key: 'message_stats.publish_details.rate', num: true, render: rate('message_stats.publish_details.rate') },
      { label: 'Deliver / get', key: 'message_stats.deliver_get_details.rate', num: true, render: rate('message_stats.deliver_get_details.rate') },
      { label: 'Ack', key: 'message_stats.ack_details.rate', num: true, render: rate('message_stats.ack_details.rate') },
    ],
  });
  const parts = [h('h1', {}, 'Queues'), section('All queues', list.el)];
  if (session.canChange) {
    parts.push(section('Add a queue', declareQueueForm(() => list.refresh())));
  }
  return { el: h('div', { class: 'page' }, parts), refresh: list.refresh };
}

function declareQueueForm(done) {
  return form({
    id: 'declare-queue',
    submit: 'Add queue',
    fields: [
      { name: 'vhost', label: 'Virtual host', type: 'select', options: session.vhosts, value: session.vhost || session.vhosts[0] },
      { name: 'name', label: 'Name', required: true },
      { name: 'type', label: 'Type', type: 'select', options: ['classic', 'quorum', 'stream'], value: 'classic' },
      { name: 'durable', label: 'Durable', type: 'checkbox', value: true },
      { name: 'auto_delete', label: 'Auto delete', type: 'checkbox', value: false },
      { name: 'arguments', label: 'Arguments', type: 'args', known: QUEUE_ARGS },
    ],
    onSubmit: async (v) => {
      const args = { ...v.arguments };
      if (v.type !== 'classic') args['x-queue-type'] = v.type;
      await put(`/queues/${seg(v.vhost)}/${seg(v.name)}`, { durable: v.durable, auto_delete: v.auto_delete, arguments: args });
      done();
      return `Queue ${v.name} declared in ${v.vhost}.`;
    },
  });
}

/** Per queue, the figures seen since the page was opened (the API keeps 3 readings per queue). */
const history = new Map();

export async function queuePage(vhost, name) {
  const path = `/queues/${seg(vhost)}/${seg(name)}`;
  const key = `${vhost}\u0000${name}`;
  if (!history.has(key)) history.set(key, { t: [], ready: [], unacked: [], pub: [], del: [] });
  const hist = history.get(key);
  const depth = lineChart({ id: 'chart-queue-depth', title: 'Queued messages', series: [{ label: 'Ready' }, { label: 'Unacked' }] });
  const rates = lineChart({ id: 'chart-queue-rates', title: 'Message rates', unit: '/s', series: [{ label: 'Incoming' }, { label: 'Deliver / get' }] });
  const info = h('div');
  const consumers = h('div');
  const bindings = h('div');
  const title = h('h1', {}, `Queue ${name || '(empty name)'}`, h('span', { class: 'sub' }, ` in ${vhost}`));
  const parts = [title,
    section('Figures', h('div', { class: 'charts' }, depth.el, rates.el), info),
    section('Consumers', consumers),
    section('Bindings', bindings)];
  if (session.canChange) {
    parts.push(section('Add a binding to this queue', bindForm(vhost, name, () => refresh())));
  }
  if (session.canChange) {
    // Getting messages requeues or removes them: a change, so not for read-only users.
    parts.push(section('Get messages', getMessages(path)));
    parts.push(section('Purge and delete', h('div', { class: 'buttons' },
      dangerButton('Purge messages', `Purge every ready message of ${name}?`, async () => {
        await del(`${path}/contents`);
        flash(`Queue ${name} purged.`, 'ok');
        await refresh();
      }),
      dangerButton('Delete queue', `Delete queue ${name}?`, async () => {
        await del(path);
        flash(`Queue ${name} deleted.`, 'ok');
        location.hash = '#/queues';
      }))));
  }

  async function refresh() {
    const [q, b] = await Promise.all([get(path), get(`${path}/bindings`)]);
    hist.t.push(Date.now() / 1000);
    hist.ready.push(q.messages_ready ?? 0);
    hist.unacked.push(q.messages_unacknowledged ?? 0);
    hist.pub.push(dig(q, 'message_stats.publish_details.rate') ?? 0);
    hist.del.push(dig(q, 'message_stats.deliver_get_details.rate') ?? 0);
    if (hist.t.length > 120) Object.values(hist).forEach((a) => a.shift());
    depth.set(hist.t.slice(), [hist.ready.slice(), hist.unacked.slice()]);
    rates.set(hist.t.slice(), [hist.pub.slice(), hist.del.slice()]);
    info.replaceChildren(facts([
      ['Type', q.type || 'classic'],
      ['State', q.state || ''],
      ['Durable', String(!!q.durable)],
      ['Auto delete', String(!!q.auto_delete)],
      ['Exclusive', String(!!q.exclusive)],
      ['Policy', h('span', { id: 'queue-policy' }, q.policy || '')],
      ['Operator policy', q.operator_policy || ''],
      ['Effective policy definition', JSON.stringify(q.effective_policy_definition || {})],
      ['Arguments', JSON.stringify(q.arguments || {})],
      ['Ready', h('span', { id: 'queue-ready' }, fmtNum(q.messages_ready ?? 0))],
      ['Unacked', fmtNum(q.messages_unacknowledged ?? 0)],
      ['Total', fmtNum(q.messages ?? 0)],
      ['Body bytes', fmtBytes(q.message_bytes ?? 0)],
      ['Consumers', fmtNum(q.consumers ?? 0)],
      ['Incoming', fmtRate(dig(q, 'message_stats.publish_details.rate') ?? 0)],
      ['Deliver / get', fmtRate(dig(q, 'message_stats.deliver_get_details.rate') ?? 0)],
    ]));
    consumers.replaceChildren(simpleTable([
      { label: 'Channel', render: (c) => dig(c, 'channel_details.name') || '' },
      { label: 'Consumer tag', render: (c) => c.consumer_tag },
      { label: 'Ack required', render: (c) => String(c.ack_required) },
      { label: 'Exclusive', render: (c) => String(c.exclusive) },
      { label: 'Prefetch', num: true, render: (c) => fmtNum(c.prefetch_count) },
      { label: 'Active', render: (c) => String(c.active) },
    ], q.consumer_details || [], 'No consumers.'));
    bindings.replaceChildren(bindingTable(vhost, b, 'source', () => refresh()));
  }
  return { el: h('div', { class: 'page' }, parts), refresh, mount: () => { depth.mount(); rates.mount(); } };
}

/** Bindings with an Unbind button each (not for the default exchange's implicit ones). */
export function bindingTable(vhost, bindings, show, after) {
  const cols = [
    show === 'source'
      ? { label: 'From exchange', render: (b) => (b.source ? h('a', { href: href('exchanges', vhost, b.source) }, b.source) : '(default exchange binding)') }
      : { label: 'To', render: (b) => h('a', { href: href(b.destination_type === 'queue' ? 'queues' : 'exchanges', vhost, b.destination) }, `${b.destination_type} ${b.destination}`) },
    { label: 'Routing key', render: (b) => b.routing_key },
    { label: 'Arguments', render: (b) => JSON.stringify(b.arguments || {}) },
  ];
  if (session.canChange) {
    cols.push({
      label: 'Action',
      render: (b) => (b.source === '' ? '' : dangerButton('Unbind', `Remove the binding from ${b.source} to ${b.destination}?`, async () => {
        const d = b.destination_type === 'queue' ? 'q' : 'e';
        await del(`/bindings/${seg(vhost)}/e/${seg(b.source)}/${d}/${seg(b.destination)}/${seg(b.properties_key)}`);
        flash('Binding removed.', 'ok');
        await after();
      })),
    });
  }
  return simpleTable(cols, bindings, 'No bindings.');
}

function bindForm(vhost, queue, after) {
  return form({
    id: 'bind-queue',
    submit: 'Bind',
    fields: [
      { name: 'source', label: 'From exchange', required: true },
      { name: 'routing_key', label: 'Routing key' },
      { name: 'arguments', label: 'Arguments', type: 'args' },
    ],
    onSubmit: async (v) => {
      await post(`/bindings/${seg(vhost)}/e/${seg(v.source)}/q/${seg(queue)}`, { routing_key: v.routing_key, arguments: v.arguments });
      await after();
      return `Bound to ${v.source}.`;
    },
  });
}

function getMessages(path) {
  const out = h('div', { id: 'messages', 'aria-live': 'polite' });
  const f = form({
    id: 'get-messages',
    submit: 'Get messages',
    fields: [
      {
        name: 'ackmode', label: 'Ack mode', type: 'select', value: 'ack_requeue_true',
        options: [['ack_requeue_true', 'Nack, requeue: true'], ['reject_requeue_true', 'Reject, requeue: true'], ['ack_requeue_false', 'Ack: remove from queue'], ['reject_requeue_false', 'Reject, requeue: false']],
      },
      { name: 'encoding', label: 'Encoding', type: 'select', options: [['auto', 'Auto string / base64'], ['base64', 'base64']], value: 'auto' },
      { name: 'count', label: 'Messages', type: 'number', value: '1' },
    ],
    onSubmit: async (v) => {
      const msgs = await post(`${path}/get`, { count: Number(v.count) || 1, ackmode: v.ackmode, encoding: v.encoding, truncate: 50000 });
      out.replaceChildren(...(msgs.length
        ? msgs.map((m, i) => h('article', { class: 'message' },
          h('h3', {}, `Message ${i + 1}`),
          facts([
            ['Exchange', m.exchange || '(default)'],
            ['Routing key', m.routing_key],
            ['Redelivered', String(m.redelivered)],
            ['Remaining in queue', fmtNum(m.message_count)],
            ['Properties', JSON.stringify(m.properties || {})],
            ['Payload', h('pre', { class: 'payload' }, m.payload)],
            ['Payload', `${fmtNum(m.payload_bytes)} bytes, encoding ${m.payload_encoding}`],
          ])))
        : [h('p', { class: 'empty' }, 'The queue is empty.')]));
      return `${msgs.length} message(s).`;
    },
  });
  return h('div', {}, f, out);
}
