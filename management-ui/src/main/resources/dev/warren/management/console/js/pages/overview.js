// Overview: message rates and queued messages over the last ten minutes (the API's samples),
// totals, the node's health and alarms, listeners.

import { get } from '../api.js';
import { h, section, facts, fmtNum, fmtBytes, fmtRate, simpleTable, dig } from '../ui.js';
import { lineChart, ratesFromSamples, valuesFromSamples, align } from '../charts.js';
import { session } from '../app.js';

const AGE = 'lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5';
const RATES = [
  ['publish', 'Publish'],
  ['deliver_get', 'Deliver / get'],
  ['ack', 'Ack'],
  ['redeliver', 'Redeliver'],
  ['return_unroutable', 'Unroutable (returned)'],
  ['drop_unroutable', 'Unroutable (dropped)'],
];

export async function overviewPage() {
  const queued = lineChart({
    id: 'chart-queued', title: 'Queued messages',
    series: [{ label: 'Ready' }, { label: 'Unacked' }, { label: 'Total' }],
  });
  const rates = lineChart({ id: 'chart-rates', title: 'Message rates', unit: '/s', series: RATES.map(([, l]) => ({ label: l })) });
  const totals = h('div');
  const node = h('div');
  const listeners = h('div');
  const el = h('div', { class: 'page' },
    h('h1', {}, 'Overview'),
    section('Charts', h('div', { class: 'charts' }, queued.el, rates.el)),
    section('Totals', totals),
    section('Node', node),
    section('Listeners', listeners));

  async function refresh() {
    const vhost = session.vhost;
    const o = await get(`/overview?${AGE}`);
    let figures = o;
    if (vhost) figures = await get(`/vhosts/${encodeURIComponent(vhost)}?${AGE}`);
    const qt = vhost ? figures : o.queue_totals || {};
    const q = align([
      valuesFromSamples(dig(qt, 'messages_ready_details.samples')),
      valuesFromSamples(dig(qt, 'messages_unacknowledged_details.samples')),
      valuesFromSamples(dig(qt, 'messages_details.samples')),
    ]);
    queued.set(q[0], q[1]);
    const ms = figures.message_stats || {};
    const r = align(RATES.map(([k]) => ratesFromSamples(dig(ms, `${k}_details.samples`))));
    rates.set(r[0], r[1]);

    const ot = o.object_totals || {};
    totals.replaceChildren(facts([
      ['Ready', fmtNum(dig(qt, 'messages_ready') ?? 0)],
      ['Unacked', fmtNum(dig(qt, 'messages_unacknowledged') ?? 0)],
      ['Total', fmtNum(dig(qt, 'messages') ?? 0)],
      ['Publish rate', fmtRate(dig(ms, 'publish_details.rate') ?? 0)],
      ['Deliver rate', fmtRate(dig(ms, 'deliver_get_details.rate') ?? 0)],
      ['Connections', fmtNum(ot.connections)],
      ['Channels', fmtNum(ot.channels)],
      ['Exchanges', fmtNum(ot.exchanges)],
      ['Queues', fmtNum(ot.queues)],
      ['Consumers', fmtNum(ot.consumers)],
    ]));
    let n = null;
    if (session.monitoring) {
      try { n = (await get('/nodes'))[0]; } catch (e) { n = null; }
    }
    const alarms = [];
    if (n && n.mem_alarm) alarms.push(`Memory alarm: ${fmtBytes(n.mem_used)} used, limit ${fmtBytes(n.mem_limit)}. Publishers are blocked.`);
    if (n && n.disk_free_alarm) alarms.push(`Disk alarm: ${fmtBytes(n.disk_free)} free, limit ${fmtBytes(n.disk_free_limit)}. Publishers are blocked.`);
    node.replaceChildren(
      alarms.length
        ? h('ul', { class: 'alarms', role: 'alert' }, alarms.map((a) => h('li', {}, a)))
        : h('p', { class: 'ok', id: 'no-alarms' }, n ? 'No alarms.' : ''),
      facts([
        ['Node', o.node],
        ['Version', `${o.product_name || ''} ${o.product_version || ''}`],
        ['Cluster', o.cluster_name],
        ...(n ? [
          ['Uptime', `${Math.floor(n.uptime / 60000)} min`],
          ['Memory', `${fmtBytes(n.mem_used)} of ${fmtBytes(n.mem_limit)}`],
          ['Disk free', `${fmtBytes(n.disk_free)} (limit ${fmtBytes(n.disk_free_limit)})`],
          ['File descriptors', `${fmtNum(n.fd_used)} of ${fmtNum(n.fd_total)}`],
          ['Processors', fmtNum(n.processors)],
        ] : []),
      ]));
    listeners.replaceChildren(simpleTable([
      { label: 'Protocol', render: (l) => l.protocol },
      { label: 'Address', render: (l) => l.ip_address },
      { label: 'Port', num: true, render: (l) => String(l.port) },
    ], o.listeners || []));
  }
  return { el, refresh, mount: () => { queued.mount(); rates.mount(); } };
}
