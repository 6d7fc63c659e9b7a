// Connections (list, one connection with its channels and the close form), channels, consumers.

import { get, del, seg } from '../api.js';
import { h, section, facts, fmtNum, fmtRate, form, pagedTable, simpleTable, flash, dig } from '../ui.js';
import { session, href } from '../app.js';

const scoped = (what) => () => (session.vhost ? `/vhosts/${seg(session.vhost)}/${what}` : `/${what}`);

export async function connectionsPage() {
  const list = pagedTable({
    path: scoped('connections'),
    caption: 'Connections',
    filterLabel: 'Filter connections by name',
    empty: 'No connections.',
    columns: [
      { label: 'Virtual host', key: 'vhost', render: (c) => c.vhost },
      { label: 'Name', key: 'name', render: (c) => h('a', { href: href('connections', c.name) }, c.name) },
      { label: 'User', key: 'user', render: (c) => c.user },
      { label: 'State', key: 'state', render: (c) => c.state },
      { label: 'TLS', render: (c) => (c.ssl ? 'yes' : 'no') },
      { label: 'Channels', key: 'channels', num: true, render: (c) => fmtNum(c.channels) },
      { label: 'From client', key: 'recv_oct_details.rate', num: true, render: (c) => `${fmtNum(dig(c, 'recv_oct_details.rate') ?? 0)} B/s` },
      { label: 'To client', key: 'send_oct_details.rate', num: true, render: (c) => `${fmtNum(dig(c, 'send_oct_details.rate') ?? 0)} B/s` },
    ],
  });
  return { el: h('div', { class: 'page' }, h('h1', {}, 'Connections'), section('All connections', list.el)), refresh: list.refresh };
}

export async function connectionPage(name) {
  const path = `/connections/${seg(name)}`;
  const info = h('div');
  const channels = h('div');
  const parts = [h('h1', {}, `Connection ${name}`), section('Details', info), section('Channels', channels)];
  if (session.canChange) {
    parts.push(section('Close this connection', form({
      id: 'close-connection',
      submit: 'Force close',
      fields: [{ name: 'reason', label: 'Reason', value: 'Closed via management console' }],
      onSubmit: async (v) => {
        await del(path, { headers: { 'X-Reason': v.reason } });
        flash(`Connection ${name} closed.`, 'ok');
        location.hash = '#/connections';
        return 'Closed.';
      },
    })));
  }
  async function refresh() {
    const [c, ch] = await Promise.all([get(path), get(`${path}/channels`)]);
    info.replaceChildren(facts([
      ['Virtual host', c.vhost],
      ['User', c.user],
      ['State', c.state],
      ['Protocol', c.protocol],
      ['Client', `${dig(c, 'client_properties.product') || ''} ${dig(c, 'client_properties.version') || ''}`],
      ['Client address', `${c.peer_host}:${c.peer_port}`],
      ['TLS', c.ssl ? `${c.ssl_protocol || 'yes'}` : 'no'],
      ['Heartbeat', `${c.timeout} s`],
      ['Frame max', fmtNum(c.frame_max)],
      ['Channel max', fmtNum(c.channel_max)],
      ['Connected at', c.connected_at ? new Date(c.connected_at).toISOString() : ''],
    ]));
    channels.replaceChildren(channelTable(ch));
  }
  return { el: h('div', { class: 'page' }, parts), refresh };
}

function channelTable(items) {
  return simpleTable([
    { label: 'Channel', render: (c) => c.name },
    { label: 'User', render: (c) => c.user },
    { label: 'Mode', render: (c) => [c.confirm ? 'C' : '', c.transactional ? 'T' : ''].join('') },
    { label: 'State', render: (c) => c.state },
    { label: 'Unconfirmed', num: true, render: (c) => fmtNum(c.messages_unconfirmed) },
    { label: 'Prefetch', num: true, render: (c) => fmtNum(c.prefetch_count) },
    { label: 'Unacked', num: true, render: (c) => fmtNum(c.messages_unacknowledged) },
    { label: 'Publish', num: true, render: (c) => fmtRate(dig(c, 'message_stats.publish_details.rate') ?? 0) },
    { label: 'Deliver / get', num: true, render: (c) => fmtRate(dig(c, 'message_stats.deliver_get_details.rate') ?? 0) },
    { label: 'Ack', num: true, render: (c) => fmtRate(dig(c, 'message_stats.ack_details.rate') ?? 0) },
  ], items, 'No channels.');
}

export async function channelsPage() {
  const list = pagedTable({
    path: scoped('channels'),
    caption: 'Channels',
    filterLabel: 'Filter channels by name',
    empty: 'No channels.',
    columns: [
      { label: 'Channel', key: 'name', render: (c) => h('a', { href: href('connections', dig(c, 'connection_details.name') || '') }, c.name) },
      { label: 'Virtual host', key: 'vhost', render: (c) => c.vhost },
      { label: 'User', key: 'user', render: (c) => c.user },
      { label: 'Mode', render: (c) => [c.confirm ? 'C' : '', c.transactional ? 'T' : ''].join('') },
      { label: 'State', key: 'state', render: (c) => c.state },
      { label: 'Prefetch', key: 'prefetch_count', num: true, render: (c) => fmtNum(c.prefetch_count) },
      { label: 'Unacked', key: 'messages_unacknowledged', num: true, render: (c) => fmtNum(c.messages_unacknowledged) },
      { label: 'Publish', key: 'message_stats.publish_details.rate', num: true, render: (c) => fmtRate(dig(c, 'message_stats.publish_details.rate') ?? 0) },
      { label: 'Deliver / get', key: 'message_stats.deliver_get_details.rate', num: true, render: (c) => fmtRate(dig(c, 'message_stats.deliver_get_details.rate') ?? 0) },
    ],
  });
  return { el: h('div', { class: 'page' }, h('h1', {}, 'Channels'), section('All channels', list.el)), refresh: list.refresh };
}

export async function consumersPage() {
  const list = pagedTable({
    path: () => (session.vhost ? `/consumers/${seg(session.vhost)}` : '/consumers'),
    caption: 'Consumers',
    filterLabel: 'Filter consumers by tag',
    sort: 'queue.name',
    empty: 'No consumers.',
    columns: [
      { label: 'Virtual host', key: 'queue.vhost', render: (c) => dig(c, 'queue.vhost') },
      { label: 'Queue', key: 'queue.name', render: (c) => h('a', { href: href('queues', dig(c, 'queue.vhost'), dig(c, 'queue.name')) }, dig(c, 'queue.name')) },
      { label: 'Consumer tag', key: 'consumer_tag', render: (c) => c.consumer_tag },
      { label: 'Channel', render: (c) => h('a', { href: href('connections', dig(c, 'channel_details.connection_name') || '') }, dig(c, 'channel_details.name') || '') },
      { label: 'Ack required', key: 'ack_required', render: (c) => String(c.ack_required) },
      { label: 'Exclusive', key: 'exclusive', render: (c) => String(c.exclusive) },
      { label: 'Prefetch', key: 'prefetch_count', num: true, render: (c) => fmtNum(c.prefetch_count) },
      { label: 'Active', key: 'active', render: (c) => String(c.active) },
    ],
  });
  return { el: h('div', { class: 'page' }, h('h1', {}, 'Consumers'), section('All consumers', list.el)), refresh: list.refresh };
}
