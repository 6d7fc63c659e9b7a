#!/usr/bin/env node
// Checks with amqplib (npm, pinned in package.json; installed by ./install) against HOST:PORT
// as guest/guest.
//
// usage: amqplib_check.js HOST PORT PREFIX                  the amqplib checks
//        amqplib_check.js HOST PORT PREFIX publish QUEUE READER
//                                                           publish message.json for READER to
//                                                           QUEUE (confirmed)
//        amqplib_check.js HOST PORT PREFIX expect QUEUE SENDER
//                                                           get one message from QUEUE, compare
//                                                           it with what SENDER publishes, delete
//                                                           QUEUE
'use strict';
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const amqp = require('amqplib');

const [HOST, PORT, PREFIX] = process.argv.slice(2, 5);
const C = 'amqplib';
const CHECK_MS = 20000;
const url = (password = 'guest') =>
  `amqp://guest:${password}@${HOST}:${PORT}/%2F?heartbeat=30`;
const name = (suffix) => `${PREFIX}-amqplib-${suffix}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let failures = 0;

async function check(title, fn) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${CHECK_MS / 1000} s`)), CHECK_MS);
  });
  try {
    await Promise.race([fn(), timeout]);
    console.log(`PASS ${C}: ${title}`);
  } catch (e) {
    failures++;
    const why = String(e && e.message ? e.message : e).replace(/\s+/g, ' ').slice(0, 400);
    console.log(`FAIL ${C}: ${title}: ${why}`);
  } finally {
    clearTimeout(timer);
  }
}

// Opens a connection, runs fn(conn), closes the connection whatever fn did.
async function withConnection(fn) {
  const conn = await amqp.connect(url());
  conn.on('error', () => {}); // a connection error fails the check through the rejected call
  try {
    return await fn(conn);
  } finally {
    await conn.close().catch(() => {});
  }
}

async function channel(conn, confirm = false) {
  const ch = confirm ? await conn.createConfirmChannel() : await conn.createChannel();
  ch.on('error', () => {}); // channel.close from the broker rejects the pending call too
  return ch;
}

// channel.get until a message is there (publishes are asynchronous).
async function getOne(ch, queue, noAck = true) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const m = await ch.get(queue, { noAck });
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no message in ${queue} within 5 s`);
    await sleep(50);
  }
}

// Waits (up to 5 s) until `list` has n entries, then 0.5 s more for any beyond them.
async function settle(list, n) {
  const deadline = Date.now() + 5000;
  while (list.length < n && Date.now() < deadline) await sleep(20);
  await sleep(500);
  return list;
}

// The call must make the broker close the channel with reply code `code`.
async function closedWith(code, call) {
  try {
    await call();
  } catch (e) {
    assert.strictEqual(e.code, code, `channel.close reply code (${e.message})`);
    return;
  }
  throw new Error(`channel stayed open, want channel.close ${code}`);
}

// Deep equality that also requires equal JS types (true is not 1, '1' is not 1).
function sameTyped(actual, expected, where) {
  const kind = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  assert.strictEqual(kind(actual), kind(expected),
    `${where}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
  if (kind(expected) === 'object' || kind(expected) === 'array') {
    assert.deepStrictEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where} keys`);
    for (const k of Object.keys(expected)) sameTyped(actual[k], expected[k], `${where}.${k}`);
  } else {
    assert.strictEqual(actual, expected, where);
  }
}

// The cross-client message as `sender` publishes it for `reader`: body, properties by spec
// name, headers less those message.json lists as unfaithful for that pair.
function crossMessage(sender, reader) {
  const m = JSON.parse(fs.readFileSync(path.join(__dirname, 'message.json'), 'utf8'));
  const leftOut = new Set(m.unfaithful_headers
    .filter((r) => (r.sender ?? sender) === sender && (r.reader ?? reader) === reader)
    .map((r) => r.header));
  const headers = Object.fromEntries(Object.entries(m.headers).filter(([k]) => !leftOut.has(k)));
  return { body: Buffer.from(m.body, 'utf8'), properties: m.properties, headers };
}

const camel = (spec) => spec.replace(/_(.)/g, (_, c) => c.toUpperCase());

async function publishCross(queue, reader) {
  const { body, properties, headers } = crossMessage(C, reader);
  const options = { headers, mandatory: true };
  for (const [k, v] of Object.entries(properties)) options[camel(k)] = v;
  await withConnection(async (conn) => {
    const ch = await channel(conn, true);
    await ch.assertQueue(queue, { durable: false });
    ch.sendToQueue(queue, body, options);
    await ch.waitForConfirms();
  });
}

async function expectCross(queue, sender) {
  const want = crossMessage(sender, C);
  await withConnection(async (conn) => {
    const ch = await channel(conn);
    const m = await getOne(ch, queue);
    assert.ok(m.content.equals(want.body), `body: got ${m.content.toString('utf8')}`);
    for (const [k, v] of Object.entries(want.properties)) {
      assert.strictEqual(m.properties[camel(k)], v, `property ${k}`);
    }
    sameTyped(m.properties.headers, want.headers, 'headers');
    await ch.deleteQueue(queue);
  });
}

async function checks() {
  await check('connects as guest/guest; the server advertises publisher confirms', () =>
    withConnection(async (conn) => {
      const caps = conn.connection.serverProperties.capabilities || {};
      assert.strictEqual(caps.publisher_confirms, true, 'capability publisher_confirms');
      assert.strictEqual(caps['basic.nack'], true, 'capability basic.nack');
    }));

  await check('a wrong password is refused', async () => {
    let conn;
    try {
      conn = await amqp.connect(url('not-guest'));
    } catch (e) {
      assert.match(String(e.message), /ACCESS_REFUSED|403|authentication/i, 'refusal');
      return;
    }
    await conn.close();
    throw new Error('connection opened with a wrong password');
  });

  await check('assertQueue, checkQueue counts, purge and delete report counts; 404 after', () =>
    withConnection(async (conn) => {
      const q = name('lifecycle');
      let ch = await channel(conn, true);
      const ok = await ch.assertQueue(q, { durable: true });
      assert.deepStrictEqual([ok.queue, ok.messageCount], [q, 0], 'declare-ok');
      for (let i = 0; i < 3; i++) ch.sendToQueue(q, Buffer.from(`m${i}`));
      await ch.waitForConfirms();
      assert.strictEqual((await ch.checkQueue(q)).messageCount, 3, 'passive messageCount');
      assert.strictEqual((await ch.purgeQueue(q)).messageCount, 3, 'purge-ok messageCount');
      ch.sendToQueue(q, Buffer.from('after purge'));
      await ch.waitForConfirms();
      assert.strictEqual((await ch.deleteQueue(q)).messageCount, 1, 'delete-ok messageCount');
      await closedWith(404, () => ch.checkQueue(q));
      ch = await channel(conn);
      await ch.assertQueue(name('still-usable'), { autoDelete: true });
    }));

  await check('assertExchange of each type, checkExchange, 406 on a type clash, delete', () =>
    withConnection(async (conn) => {
      let ch = await channel(conn);
      for (const type of ['direct', 'fanout', 'topic', 'headers']) {
        await ch.assertExchange(name(`x-${type}`), type, { durable: false });
        await ch.checkExchange(name(`x-${type}`));
      }
      await closedWith(406, () => ch.assertExchange(name('x-direct'), 'fanout', { durable: false }));
      ch = await channel(conn);
      for (const type of ['direct', 'fanout', 'topic', 'headers']) {
        await ch.deleteExchange(name(`x-${type}`));
      }
      await closedWith(404, () => ch.checkExchange(name('x-direct')));
    }));

  await check('sendToQueue and get: every property amqplib sets, typed headers, body bytes', () =>
    withConnection(async (conn) => {
      const q = name('get');
      const ch = await channel(conn);
      await ch.assertQueue(q);
      const headers = { s: 'text ✓', byte: -5, short: 1000, int: -100000, long: 2 ** 40,
        t: true, f: false, d: 2.5, nested: { a: [1, 'b', { c: null }] }, bin: Buffer.from([0, 255]) };
      const props = { contentType: 'application/octet-stream', contentEncoding: 'identity',
        deliveryMode: 2, priority: 3, correlationId: 'c-9', replyTo: 'r-9', expiration: '600000',
        messageId: 'm-9', timestamp: 1600000000, type: 't-9', userId: 'guest', appId: 'a-9' };
      ch.sendToQueue(q, Buffer.from([1, 2, 3, 0]), { ...props, headers });
      const m = await getOne(ch, q);
      assert.ok(m.content.equals(Buffer.from([1, 2, 3, 0])), 'body');
      assert.deepStrictEqual([m.fields.exchange, m.fields.routingKey, m.fields.redelivered],
        ['', q, false], 'get-ok fields');
      for (const [k, v] of Object.entries(props)) assert.strictEqual(m.properties[k], v, k);
      const got = m.properties.headers;
      assert.ok(Buffer.isBuffer(got.bin) && got.bin.equals(headers.bin), 'headers.bin');
      delete got.bin;
      delete headers.bin;
      sameTyped(got, headers, 'headers');
      await ch.deleteQueue(q);
    }));

  await check('a 1 MiB body spans many frames and arrives intact', () =>
    withConnection(async (conn) => {
      const q = name('big');
      const ch = await channel(conn);
      await ch.assertQueue(q);
      const body = Buffer.alloc(1 << 20, 0);
      for (let i = 0; i < body.length; i++) body[i] = i % 251;
      ch.sendToQueue(q, body);
      assert.ok((await getOne(ch, q)).content.equals(body), 'body equal');
      await ch.deleteQueue(q);
    }));

  await check('consume with manual ack: in order, acked ones gone; queue.delete cancels it', () =>
    withConnection(async (conn) => {
      const q = name('consume');
      const ch = await channel(conn);
      await ch.assertQueue(q);
      for (let i = 0; i < 3; i++) ch.sendToQueue(q, Buffer.from(`c${i}`));
      const got = [];
      let threeArrived;
      let cancelled;
      const three = new Promise((resolve) => { threeArrived = resolve; });
      const cancel = new Promise((resolve) => { cancelled = resolve; });
      await ch.consume(q, (m) => {
        if (m === null) { // basic.cancel from the broker (consumer_cancel_notify)
          cancelled();
          return;
        }
        got.push(m.content.toString());
        ch.ack(m);
        if (got.length === 3) threeArrived();
      }, { noAck: false });
      await three;
      assert.deepStrictEqual(got, ['c0', 'c1', 'c2'], 'bodies');
      assert.strictEqual((await ch.checkQueue(q)).messageCount, 0, 'left in queue');
      await ch.deleteQueue(q);
      await cancel;
    }));

  await check('nack and reject with requeue redeliver with redelivered=true; without, drop', () =>
    withConnection(async (conn) => {
      const q = name('requeue');
      const ch = await channel(conn);
      await ch.assertQueue(q);
      ch.sendToQueue(q, Buffer.from('n'));
      let m = await getOne(ch, q, false);
      assert.strictEqual(m.fields.redelivered, false, 'first delivery');
      ch.nack(m, false, true);
      m = await getOne(ch, q, false);
      assert.strictEqual(m.fields.redelivered, true, 'after nack');
      ch.reject(m, true);
      m = await getOne(ch, q, false);
      assert.strictEqual(m.fields.redelivered, true, 'after reject');
      ch.nack(m, false, false);
      assert.strictEqual((await ch.checkQueue(q)).messageCount, 0, 'after nack without requeue');
      await ch.deleteQueue(q);
    }));

  await check('prefetch 2: two unacked deliveries at most, one more per ack', () =>
    withConnection(async (conn) => {
      const q = name('prefetch');
      const ch = await channel(conn);
      await ch.assertQueue(q);
      for (let i = 0; i < 5; i++) ch.sendToQueue(q, Buffer.from(`p${i}`));
      await ch.prefetch(2);
      const got = [];
      await ch.consume(q, (m) => m && got.push(m), { noAck: false });
      assert.strictEqual((await settle(got, 2)).length, 2, 'deliveries before any ack');
      ch.ack(got[0]);
      assert.deepStrictEqual((await settle(got, 3)).map((m) => m.content.toString()),
        ['p0', 'p1', 'p2'], 'deliveries after one ack');
      await ch.deleteQueue(q);
    }));

  await check('confirm channel: publishes acked, a mandatory unroutable one returned first', () =>
    withConnection(async (conn) => {
      const q = name('confirm');
      const ch = await channel(conn, true);
      const returned = [];
      ch.on('return', (m) => returned.push(m.content.toString()));
      await ch.assertQueue(q);
      const acked = [];
      for (let i = 0; i < 10; i++) {
        ch.sendToQueue(q, Buffer.from(`k${i}`), { mandatory: true },
          (err) => acked.push(err ? 'nack' : 'ack'));
      }
      ch.publish('', name('nowhere'), Buffer.from('lost'), { mandatory: true });
      await ch.waitForConfirms();
      assert.deepStrictEqual(acked, Array(10).fill('ack'), 'confirms');
      assert.deepStrictEqual(returned, ['lost'], 'returned');
      assert.strictEqual((await ch.checkQueue(q)).messageCount, 10, 'confirmed in queue');
      await ch.deleteQueue(q);
    }));

  await check('topic exchange routes by * and # patterns', () =>
    withConnection(async (conn) => {
      const x = name('topic');
      const q = name('topic-q');
      const ch = await channel(conn, true);
      await ch.assertExchange(x, 'topic', { durable: false });
      await ch.assertQueue(q);
      await ch.bindQueue(q, x, '*.orange.*');
      await ch.bindQueue(q, x, 'lazy.#');
      for (const key of ['quick.orange.rabbit', 'quick.orange', 'lazy', 'lazy.pink.rabbit', 'a.lazy']) {
        ch.publish(x, key, Buffer.from(key));
      }
      await ch.waitForConfirms();
      const got = [];
      for (let i = 0; i < 4; i++) {
        const m = await ch.get(q, { noAck: true });
        got.push(m ? m.content.toString() : null);
      }
      assert.deepStrictEqual(got, ['quick.orange.rabbit', 'lazy', 'lazy.pink.rabbit', null], 'routed');
      await ch.deleteQueue(q);
      await ch.deleteExchange(x);
    }));

  await check('headers exchange routes on x-match all', () =>
    withConnection(async (conn) => {
      const x = name('hdrs');
      const q = name('hdrs-q');
      const ch = await channel(conn, true);
      await ch.assertExchange(x, 'headers', { durable: false });
      await ch.assertQueue(q);
      await ch.bindQueue(q, x, '', { 'x-match': 'all', kind: 'invoice', year: 2024 });
      const sent = [{ kind: 'invoice', year: 2024 }, { kind: 'invoice' }, { kind: 'invoice', year: 2023 },
        { kind: 'invoice', year: 2024, extra: true }];
      sent.forEach((h, i) => ch.publish(x, '', Buffer.from(`h${i}`), { headers: h }));
      await ch.waitForConfirms();
      const got = [];
      for (let i = 0; i < 3; i++) {
        const m = await ch.get(q, { noAck: true });
        got.push(m ? m.content.toString() : null);
      }
      assert.deepStrictEqual(got, ['h0', 'h3', null], 'routed');
      await ch.deleteQueue(q);
      await ch.deleteExchange(x);
    }));

  await check('server-named exclusive queue: amq.gen- name, 405 for others, gone with its owner', async () => {
    let q;
    await withConnection(async (conn) => {
      const ch = await channel(conn);
      q = (await ch.assertQueue('', { exclusive: true })).queue;
      assert.match(q, /^amq\.gen-/, 'server-chosen name');
      await withConnection(async (other) => {
        const och = await channel(other);
        await closedWith(405, () => och.checkQueue(q));
      });
    });
    await withConnection(async (conn) => {
      const ch = await channel(conn);
      await closedWith(404, () => ch.checkQueue(q));
    });
  });
}

async function main() {
  const [mode, queue, other] = process.argv.slice(5);
  if (mode === 'publish') return publishCross(queue, other);
  if (mode === 'expect') return expectCross(queue, other);
  if (mode) throw new Error(`unknown mode ${mode}`);
  await checks();
  process.exitCode = failures ? 1 : 0;
}

main().catch((e) => {
  console.error(`amqplib_check: ${e && e.stack ? e.stack : e}`);
  process.exitCode = 1;
});
