// Users, virtual hosts (with limits), permissions and topic permissions, policies, definitions.

import { get, put, post, del, seg } from '../api.js';
import { h, section, form, simpleTable, dangerButton, flash, fmtNum } from '../ui.js';
import { session, loadVhosts } from '../app.js';

function refreshing(loaders) {
  return async () => { await Promise.all(loaders.map((l) => l())); };
}

export async function usersPage() {
  const users = h('div');
  const perms = h('div');
  const topics = h('div');
  const loadUsers = async () => {
    const list = await get('/users');
    users.replaceChildren(simpleTable([
      { label: 'Name', render: (u) => u.name },
      { label: 'Tags', render: (u) => (Array.isArray(u.tags) ? u.tags.join(', ') : u.tags) },
      { label: 'Action', render: (u) => dangerButton('Delete', `Delete user ${u.name}?`, async () => { await del(`/users/${seg(u.name)}`); flash(`User ${u.name} deleted.`, 'ok'); await refresh(); }) },
    ], list, 'No users.'));
  };
  const loadPerms = async () => {
    const list = await get('/permissions');
    perms.replaceChildren(simpleTable([
      { label: 'User', render: (p) => p.user },
      { label: 'Virtual host', render: (p) => p.vhost },
      { label: 'Configure', render: (p) => p.configure },
      { label: 'Write', render: (p) => p.write },
      { label: 'Read', render: (p) => p.read },
      { label: 'Action', render: (p) => dangerButton('Clear', `Clear ${p.user}'s permissions in ${p.vhost}?`, async () => { await del(`/permissions/${seg(p.vhost)}/${seg(p.user)}`); await refresh(); }) },
    ], list, 'No permissions.'));
  };
  const loadTopics = async () => {
    const list = await get('/topic-permissions');
    topics.replaceChildren(simpleTable([
      { label: 'User', render: (p) => p.user },
      { label: 'Virtual host', render: (p) => p.vhost },
      { label: 'Exchange', render: (p) => p.exchange },
      { label: 'Write', render: (p) => p.write },
      { label: 'Read', render: (p) => p.read },
      { label: 'Action', render: (p) => dangerButton('Clear', `Clear ${p.user}'s topic permissions on ${p.exchange}?`, async () => { await del(`/topic-permissions/${seg(p.vhost)}/${seg(p.user)}/${seg(p.exchange)}`); await refresh(); }) },
    ], list, 'No topic permissions.'));
  };
  const refresh = refreshing([loadUsers, loadPerms, loadTopics]);
  const el = h('div', { class: 'page' },
    h('h1', {}, 'Users'),
    section('All users', users),
    section('Add or update a user', form({
      id: 'add-user',
      submit: 'Save user',
      fields: [
        { name: 'name', label: 'Username', required: true },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true },
        { name: 'tags', label: 'Tags', placeholder: 'administrator, monitoring, policymaker, management' },
      ],
      onSubmit: async (v) => {
        await put(`/users/${seg(v.name)}`, { password: v.password, tags: v.tags });
        await refresh();
        return `User ${v.name} saved.`;
      },
    })),
    section('Permissions', perms, form({
      id: 'set-permissions',
      submit: 'Set permissions',
      fields: [
        { name: 'user', label: 'User', required: true },
        { name: 'vhost', label: 'Virtual host', type: 'select', options: session.vhosts, value: session.vhosts[0] },
        { name: 'configure', label: 'Configure regexp', value: '.*' },
        { name: 'write', label: 'Write regexp', value: '.*' },
        { name: 'read', label: 'Read regexp', value: '.*' },
      ],
      onSubmit: async (v) => {
        await put(`/permissions/${seg(v.vhost)}/${seg(v.user)}`, { configure: v.configure, write: v.write, read: v.read });
        await refresh();
        return `Permissions of ${v.user} in ${v.vhost} set.`;
      },
    })),
    section('Topic permissions', topics, form({
      id: 'set-topic-permissions',
      submit: 'Set topic permissions',
      fields: [
        { name: 'user', label: 'User', required: true },
        { name: 'vhost', label: 'Virtual host', type: 'select', options: session.vhosts, value: session.vhosts[0] },
        { name: 'exchange', label: 'Exchange', value: 'amq.topic' },
        { name: 'write', label: 'Write regexp', value: '.*' },
        { name: 'read', label: 'Read regexp', value: '.*' },
      ],
      onSubmit: async (v) => {
        await put(`/topic-permissions/${seg(v.vhost)}/${seg(v.user)}`, { exchange: v.exchange, write: v.write, read: v.read });
        await refresh();
        return `Topic permissions of ${v.user} in ${v.vhost} set.`;
      },
    })));
  return { el, refresh };
}

export async function vhostsPage() {
  const vhosts = h('div');
  const limits = h('div');
  const loadVhostList = async () => {
    const list = await get('/vhosts');
    vhosts.replaceChildren(simpleTable([
      { label: 'Name', render: (v) => v.name },
      { label: 'Description', render: (v) => v.description || '' },
      { label: 'Ready', num: true, render: (v) => fmtNum(v.messages_ready ?? 0) },
      { label: 'Unacked', num: true, render: (v) => fmtNum(v.messages_unacknowledged ?? 0) },
      { label: 'Total', num: true, render: (v) => fmtNum(v.messages ?? 0) },
      ...(session.admin ? [{ label: 'Action', render: (v) => dangerButton('Delete', `Delete virtual host ${v.name} and everything in it?`, async () => { await del(`/vhosts/${seg(v.name)}`); await refresh(); await loadVhosts(); }) }] : []),
    ], list, 'No virtual hosts.'));
  };
  const loadLimits = async () => {
    const list = await get('/vhost-limits');
    const rows = list.flatMap((l) => Object.entries(l.value || {}).map(([k, v]) => ({ vhost: l.vhost, name: k, value: v })));
    limits.replaceChildren(simpleTable([
      { label: 'Virtual host', render: (l) => l.vhost },
      { label: 'Limit', render: (l) => l.name },
      { label: 'Value', num: true, render: (l) => fmtNum(l.value) },
      ...(session.admin ? [{ label: 'Action', render: (l) => dangerButton('Clear', `Clear ${l.name} of ${l.vhost}?`, async () => { await del(`/vhost-limits/${seg(l.vhost)}/${seg(l.name)}`); await refresh(); }) }] : []),
    ], rows, 'No limits.'));
  };
  const refresh = refreshing([loadVhostList, ...(session.admin ? [loadLimits] : [])]);
  const parts = [h('h1', {}, 'Virtual hosts'), section('All virtual hosts', vhosts)];
  if (session.admin) {
    parts.push(section('Add a virtual host', form({
      id: 'add-vhost',
      submit: 'Add virtual host',
      fields: [{ name: 'name', label: 'Name', required: true }, { name: 'description', label: 'Description' }],
      onSubmit: async (v) => {
        await put(`/vhosts/${seg(v.name)}`, { description: v.description });
        await refresh();
        await loadVhosts();
        return `Virtual host ${v.name} added.`;
      },
    })));
    parts.push(section('Limits', limits, form({
      id: 'set-limit',
      submit: 'Set limit',
      fields: [
        { name: 'vhost', label: 'Virtual host', type: 'select', options: session.vhosts, value: session.vhosts[0] },
        { name: 'name', label: 'Limit', type: 'select', options: ['max-connections', 'max-queues'], value: 'max-connections' },
        { name: 'value', label: 'Value (-1 for none)', type: 'number', required: true },
      ],
      onSubmit: async (v) => {
        await put(`/vhost-limits/${seg(v.vhost)}/${seg(v.name)}`, { value: Number(v.value) });
        await refresh();
        return `${v.name} of ${v.vhost} set.`;
      },
    })));
  }
  return { el: h('div', { class: 'page' }, parts), refresh };
}

/** The keys a policy definition knows: [key, type, help]. */
const POLICY_KEYS = [
  ['message-ttl', 'number', 'Milliseconds a message may stay in a queue'],
  ['expires', 'number', 'Milliseconds a queue may stay unused'],
  ['max-length', 'number', 'Most messages a queue holds'],
  ['max-length-bytes', 'number', 'Most body bytes a queue holds'],
  ['overflow', 'string', 'drop-head, reject-publish or reject-publish-dlx'],
  ['dead-letter-exchange', 'string', 'Exchange dead letters go to'],
  ['dead-letter-routing-key', 'string', 'Routing key of dead letters'],
  ['delivery-limit', 'number', 'Deliveries before dead-lettering'],
  ['queue-mode', 'string', 'lazy or default'],
  ['alternate-exchange', 'string', 'Exchanges: where unroutable messages go'],
];

export async function policiesPage() {
  const table = h('div');
  const opTable = h('div');
  const show = (target, list, operator) => target.replaceChildren(simpleTable([
    { label: 'Virtual host', render: (p) => p.vhost },
    { label: 'Name', render: (p) => p.name },
    { label: 'Pattern', render: (p) => p.pattern },
    { label: 'Apply to', render: (p) => p['apply-to'] },
    { label: 'Definition', render: (p) => JSON.stringify(p.definition) },
    { label: 'Priority', num: true, render: (p) => String(p.priority) },
    ...(session.canChange && (!operator || session.admin) ? [{
      label: 'Action',
      render: (p) => dangerButton('Delete', `Delete policy ${p.name}?`, async () => {
        await del(`/${operator ? 'operator-policies' : 'policies'}/${seg(p.vhost)}/${seg(p.name)}`);
        await refresh();
      }),
    }] : []),
  ], list, 'No policies.'));
  async function refresh() {
    show(table, await get('/policies'), false);
    if (session.admin) show(opTable, await get('/operator-policies'), true);
  }
  const policyForm = (operator) => form({
    id: operator ? 'add-operator-policy' : 'add-policy',
    submit: operator ? 'Save operator policy' : 'Save policy',
    fields: [
      { name: 'vhost', label: 'Virtual host', type: 'select', options: session.vhosts, value: session.vhost || session.vhosts[0] },
      { name: 'name', label: 'Name', required: true },
      { name: 'pattern', label: 'Pattern (regexp on names)', required: true, value: '' },
      { name: 'apply_to', label: 'Apply to', type: 'select', options: operator ? ['queues'] : ['all', 'queues', 'exchanges', 'classic_queues', 'quorum_queues', 'streams'], value: operator ? 'queues' : 'all' },
      { name: 'priority', label: 'Priority', type: 'number', value: '0' },
      { name: 'definition', label: 'Definition', type: 'args', known: POLICY_KEYS },
    ],
    onSubmit: async (v) => {
      await put(`/${operator ? 'operator-policies' : 'policies'}/${seg(v.vhost)}/${seg(v.name)}`, {
        pattern: v.pattern, definition: v.definition, priority: Number(v.priority) || 0, 'apply-to': v.apply_to,
      });
      await refresh();
      return `Policy ${v.name} saved.`;
    },
  });
  const parts = [h('h1', {}, 'Policies'), section('User policies', table)];
  if (session.canChange) parts.push(section('Add or update a policy', policyForm(false)));
  if (session.admin) {
    parts.push(section('Operator policies', opTable));
    parts.push(section('Add or update an operator policy', policyForm(true)));
  }
  return { el: h('div', { class: 'page' }, parts), refresh };
}

export async function definitionsPage() {
  const download = h('button', {
    type: 'button',
    id: 'download-definitions',
    onclick: async () => {
      try {
        const defs = session.vhost ? await get(`/definitions/${seg(session.vhost)}`) : await get('/definitions');
        const blob = new Blob([JSON.stringify(defs, null, 2)], { type: 'application/json' });
        const a = h('a', { href: URL.createObjectURL(blob), download: `warren-definitions${session.vhost ? '-' + session.vhost : ''}.json` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      } catch (e) {
        flash(e.message);
      }
    },
  }, 'Download definitions');
  const el = h('div', { class: 'page' },
    h('h1', {}, 'Definitions'),
    section('Export', h('p', {}, 'Users, virtual hosts, permissions, policies, queues, exchanges and bindings as RabbitMQ\'s definitions JSON', session.vhost ? ` (virtual host ${session.vhost} only)` : '', '.'), download),
    section('Import', form({
      id: 'upload-definitions',
      submit: 'Upload definitions',
      fields: [{ name: 'file', label: 'Definitions file (JSON)', type: 'file', accept: 'application/json,.json', required: true }],
      onSubmit: async (v) => {
        if (!v.file) throw new Error('Choose a file first.');
        let body;
        try { body = JSON.parse(await v.file.text()); } catch (e) { throw new Error(`The file is not JSON: ${e.message}`); }
        await post(session.vhost ? `/definitions/${seg(session.vhost)}` : '/definitions', body);
        await loadVhosts();
        return 'Definitions imported.';
      },
    })));
  return { el };
}

