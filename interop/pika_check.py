#!/usr/bin/python3
"""Checks with pika (Debian python3-pika, BlockingConnection) against HOST:PORT as guest/guest.

usage: pika_check.py HOST PORT PREFIX                  the pika checks
       pika_check.py HOST PORT PREFIX publish QUEUE READER
                                                       publish message.json for READER to QUEUE
                                                       (confirmed)
       pika_check.py HOST PORT PREFIX expect QUEUE SENDER
                                                       get one message from QUEUE, compare it with
                                                       what SENDER publishes, delete QUEUE
Queue and exchange names start with PREFIX, so runs do not meet. /usr/bin/python3 on purpose:
Debian's packages are importable there, not in another python3 on PATH."""
import datetime
import decimal
import sys
import time

import pika
import pika.exceptions as pex

from smoke import check, cross_message, equal, expect_cross, finish, poll, same_typed

HOST, PORT, PREFIX = sys.argv[1], int(sys.argv[2]), sys.argv[3]
C = "pika"


def params(password="guest"):
    return pika.ConnectionParameters(
        host=HOST, port=PORT, virtual_host="/",
        credentials=pika.PlainCredentials("guest", password),
        connection_attempts=1, socket_timeout=10, blocked_connection_timeout=30, heartbeat=30)


def connect():
    return pika.BlockingConnection(params())


def name(suffix):
    return f"{PREFIX}-pika-{suffix}"


def get_one(ch, queue, auto_ack=True):
    """basic.get until a message is there (publishes are asynchronous); (method, props, body)."""
    return poll(lambda: (lambda m: m if m[0] else None)(ch.basic_get(queue, auto_ack=auto_ack)),
                f"a message in {queue}")


def closed_with(code, fn):
    """Runs fn, which must make the broker close the channel with reply code `code`."""
    try:
        fn()
    except pex.ChannelClosedByBroker as e:
        equal(e.reply_code, code, "channel.close reply code")
        return
    raise AssertionError(f"channel stayed open, want channel.close {code}")


def count_becomes(ch, queue, n):
    """Waits until passive queue.declare counts n ready messages (requeues after a channel
    close are asynchronous in RabbitMQ)."""
    seen = []

    def count():
        seen.append(ch.queue_declare(queue, passive=True).method.message_count)
        return True if seen[-1] == n else None

    try:
        poll(count, f"{queue} holding {n} messages")
    except AssertionError:
        raise AssertionError(f"{queue} holds {seen[-1]} messages, want {n}") from None


def pump(c, seconds, until=lambda: False):
    """Processes the connection's events for `seconds`, or until `until()` holds
    (process_data_events alone returns as soon as anything was processed)."""
    deadline = time.monotonic() + seconds
    while not until() and (left := deadline - time.monotonic()) > 0:
        c.process_data_events(time_limit=left)


def settle(c, got, n):
    """Waits (up to 5 s) for the n-th delivery into `got`, then 0.5 s more for any beyond it;
    the deliveries that arrived."""
    pump(c, 5, until=lambda: len(got) >= n)
    pump(c, 0.5)
    return got


def consumer(ch, queue):
    """Starts a consumer on `queue` (manual ack); (consumer tag, list its deliveries go to)."""
    got = []
    return ch.basic_consume(queue, lambda _ch, m, p, b: got.append((m, p, b))), got


def publish_cross(queue, reader):
    body, props, headers = cross_message(C, reader)
    with connect() as c:
        ch = c.channel()
        ch.confirm_delivery()
        ch.queue_declare(queue)
        ch.basic_publish("", queue, body, pika.BasicProperties(headers=headers, **props),
                         mandatory=True)


def expect_cross_from(queue, sender):
    with connect() as c:
        ch = c.channel()
        method, p, body = get_one(ch, queue)
        if sender == "amqp-tools":
            # amqp-publish sets these properties only, and headers as strings
            equal(body, b"from amqp-tools \xe2\x9c\x93", "body")
            equal((p.content_type, p.content_encoding, p.reply_to, p.delivery_mode),
                  ("text/plain", "utf-8", "replies", 2), "properties")
            same_typed(p.headers, {"text": "warren", "origin": "amqp-tools"}, "headers")
        else:
            props = {k: getattr(p, k) for k in cross_message(sender, C)[1]}
            expect_cross(sender, C, body, props, p.headers)
        ch.queue_delete(queue)


if len(sys.argv) > 4:
    mode, queue, other = sys.argv[4:7]
    if mode == "publish":
        publish_cross(queue, other)
    elif mode == "expect":
        expect_cross_from(queue, other)
    else:
        sys.exit(f"unknown mode {mode}")
    sys.exit(0)


@check(C, "connects as guest/guest; the server advertises RabbitMQ's capabilities")
def _():
    with connect() as c:
        caps = c._impl.server_properties.get("capabilities", {})
        for cap in ("publisher_confirms", "basic.nack", "consumer_cancel_notify",
                    "exchange_exchange_bindings", "authentication_failure_close"):
            equal(caps.get(cap), True, f"capability {cap}")


@check(C, "a wrong password is refused")
def _():
    try:
        pika.BlockingConnection(params(password="not-guest")).close()
    except (pex.ProbableAuthenticationError, pex.AuthenticationError):
        return
    raise AssertionError("connection opened with a wrong password")


@check(C, "queue declare, passive declare counts, purge and delete report counts; 404 after")
def _():
    q = name("lifecycle")
    with connect() as c:
        ch = c.channel()
        ok = ch.queue_declare(q, durable=True)
        equal((ok.method.queue, ok.method.message_count), (q, 0), "declare-ok")
        ch.confirm_delivery()
        for i in range(3):
            ch.basic_publish("", q, f"m{i}".encode())
        equal(ch.queue_declare(q, passive=True).method.message_count, 3, "passive message_count")
        equal(ch.queue_purge(q).method.message_count, 3, "purge-ok message_count")
        ch.basic_publish("", q, b"after purge")
        equal(ch.queue_delete(q).method.message_count, 1, "delete-ok message_count")
        closed_with(404, lambda: ch.queue_declare(q, passive=True))


@check(C, "exchange declare of each type, passive declare, 406 on a type clash, delete")
def _():
    with connect() as c:
        ch = c.channel()
        for kind in ("direct", "fanout", "topic", "headers"):
            x = name(f"x-{kind}")
            ch.exchange_declare(x, kind, durable=False, auto_delete=False)
            ch.exchange_declare(x, kind, passive=True)
        clash = name("x-direct")
        closed_with(406, lambda: ch.exchange_declare(clash, "fanout"))
        ch = c.channel()
        for kind in ("direct", "fanout", "topic", "headers"):
            ch.exchange_delete(name(f"x-{kind}"))
        closed_with(404, lambda: ch.exchange_declare(clash, "direct", passive=True))


@check(C, "publish and basic.get: body, exchange, routing key, message_count, not redelivered")
def _():
    q = name("get")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.confirm_delivery()
        ch.basic_publish("", q, b"first")
        ch.basic_publish("", q, b"second")
        method, _, body = ch.basic_get(q, auto_ack=True)
        equal((body, method.exchange, method.routing_key, method.message_count, method.redelivered),
              (b"first", "", q, 1, False), "get-ok")
        equal(ch.basic_get(q, auto_ack=True)[2], b"second", "second body")
        equal(ch.basic_get(q, auto_ack=True)[0], None, "get-empty on an empty queue")
        ch.queue_delete(q)


@check(C, "all 14 basic properties round-trip")
def _():
    q = name("props")
    props = pika.BasicProperties(
        content_type="application/octet-stream", content_encoding="gzip", headers={"h": "v"},
        delivery_mode=2, priority=9, correlation_id="c-1", reply_to="r-1", expiration="600000",
        message_id="m-1", timestamp=1234567890, type="t-1", user_id="guest", app_id="a-1",
        cluster_id="k-1")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.basic_publish("", q, b"\x00\x01\xff", props)
        _, got, body = get_one(ch, q)
        equal(body, b"\x00\x01\xff", "body")
        for field in ("content_type", "content_encoding", "headers", "delivery_mode", "priority",
                      "correlation_id", "reply_to", "expiration", "message_id", "timestamp",
                      "type", "user_id", "app_id", "cluster_id"):
            equal(getattr(got, field), getattr(props, field), field)
        ch.queue_delete(q)


@check(C, "typed header values round-trip (str, int, long, bool, decimal, timestamp, table, "
          "array, void, bytes; pika 1.2 cannot encode floats)")
def _():
    q = name("headers")
    headers = {"s": "text ✓", "i": -42, "l": 2 ** 40, "t": True, "f": False,
               "dec": decimal.Decimal("3.14"), "ts": datetime.datetime(2024, 1, 2, 3, 4, 5),
               "tbl": {"inner": {"deep": 1}}, "arr": [1, "two", [3]], "void": None,
               "bin": b"\x00\xff"}
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.basic_publish("", q, b"h", pika.BasicProperties(headers=headers))
        same_typed(get_one(ch, q)[1].headers, headers, "headers")
        ch.queue_delete(q)


@check(C, "a 1 MiB body spans many frames and arrives intact")
def _():
    q = name("big")
    body = bytes(range(256)) * 4096
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.basic_publish("", q, body)
        equal(get_one(ch, q)[2] == body, True, "body equal")
        ch.queue_delete(q)


@check(C, "consume with manual ack: in order, and acked messages are gone")
def _():
    q = name("consume")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        for i in range(3):
            ch.basic_publish("", q, f"c{i}".encode())
        got = []
        for method, _, body in ch.consume(q, inactivity_timeout=5):
            assert method is not None, f"only {len(got)} of 3 delivered"
            got.append(body)
            ch.basic_ack(method.delivery_tag)
            if len(got) == 3:
                break
        ch.cancel()
        equal(got, [b"c0", b"c1", b"c2"], "bodies")
        equal(ch.queue_declare(q, passive=True).method.message_count, 0, "left in queue")
        ch.queue_delete(q)


@check(C, "unacked deliveries return with redelivered=true when their channel closes")
def _():
    q = name("unacked")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.basic_publish("", q, b"u")
        method, _, _ = get_one(ch, q, auto_ack=False)
        equal(method.redelivered, False, "first delivery redelivered")
        ch.close()
        ch = c.channel()
        method, _, body = get_one(ch, q)
        equal((body, method.redelivered), (b"u", True), "after close")
        ch.queue_delete(q)


@check(C, "basic.nack and basic.reject with requeue redeliver with redelivered=true")
def _():
    q = name("requeue")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.basic_publish("", q, b"n")
        method, _, _ = get_one(ch, q, auto_ack=False)
        ch.basic_nack(method.delivery_tag, requeue=True)
        method, _, body = get_one(ch, q, auto_ack=False)
        equal((body, method.redelivered), (b"n", True), "after nack")
        ch.basic_reject(method.delivery_tag, requeue=True)
        method, _, body = get_one(ch, q, auto_ack=False)
        equal((body, method.redelivered), (b"n", True), "after reject")
        ch.basic_reject(method.delivery_tag, requeue=False)
        equal(ch.queue_declare(q, passive=True).method.message_count, 0, "after reject, no requeue")
        ch.queue_delete(q)


@check(C, "basic.nack multiple=true requeues every delivery up to the tag")
def _():
    q = name("nack-multi")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        for i in range(3):
            ch.basic_publish("", q, f"n{i}".encode())
        last = [get_one(ch, q, auto_ack=False)[0] for _ in range(3)][-1]
        ch.basic_nack(last.delivery_tag, multiple=True, requeue=True)
        count_becomes(ch, q, 3)
        ch.queue_delete(q)


@check(C, "prefetch 2: two unacked deliveries at most, one more per ack")
def _():
    q = name("prefetch")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        for i in range(5):
            ch.basic_publish("", q, f"p{i}".encode())
        ch.basic_qos(prefetch_count=2)
        tag, got = consumer(ch, q)
        equal(len(settle(c, got, 2)), 2, "deliveries before any ack")
        ch.basic_ack(got[0][0].delivery_tag)
        equal([b for _, _, b in settle(c, got, 3)], [b"p0", b"p1", b"p2"],
              "deliveries after one ack")
        ch.basic_cancel(tag)
        ch.queue_delete(q)


@check(C, "publisher confirms: routed publishes confirmed, unroutable mandatory ones returned")
def _():
    q = name("confirm")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.confirm_delivery()
        for i in range(10):
            ch.basic_publish("", q, f"k{i}".encode(), mandatory=True)
        try:
            ch.basic_publish("", name("nowhere"), b"lost", mandatory=True)
            raise AssertionError("unroutable mandatory publish was not returned")
        except pex.UnroutableError as e:
            equal(e.messages[0].body, b"lost", "returned body")
        equal(ch.queue_declare(q, passive=True).method.message_count, 10, "confirmed messages")
        ch.queue_delete(q)


@check(C, "transactions: tx.commit publishes and acks, tx.rollback discards")
def _():
    q = name("tx")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.tx_select()
        ch.basic_publish("", q, b"t1")
        ch.basic_publish("", q, b"t2")
        equal(ch.queue_declare(q, passive=True).method.message_count, 0, "before commit")
        ch.tx_commit()
        equal(ch.queue_declare(q, passive=True).method.message_count, 2, "after commit")
        ch.basic_publish("", q, b"t3")
        ch.tx_rollback()
        equal(ch.queue_declare(q, passive=True).method.message_count, 2, "after rollback")
        method, _, body = ch.basic_get(q, auto_ack=False)
        equal(body, b"t1", "first body")
        ch.basic_ack(method.delivery_tag)
        ch.tx_rollback()
        ch.close()
        ch = c.channel()
        count_becomes(ch, q, 2)  # the rolled-back ack left t1 unacked; the close requeued it
        ch.tx_select()
        method, _, body = get_one(ch, q, auto_ack=False)
        equal((body, method.redelivered), (b"t1", True), "redelivery")
        ch.basic_ack(method.delivery_tag)
        ch.tx_commit()
        ch.close()
        ch = c.channel()
        count_becomes(ch, q, 1)
        ch.queue_delete(q)


@check(C, "topic exchange routes by * and # patterns")
def _():
    x, q = name("topic"), name("topic-q")
    with connect() as c:
        ch = c.channel()
        ch.exchange_declare(x, "topic")
        ch.queue_declare(q)
        ch.queue_bind(q, x, "stock.*.nyse")
        ch.queue_bind(q, x, "log.#")
        ch.confirm_delivery()
        for key in ("stock.ibm.nyse", "stock.ibm.lse", "stock.nyse", "log", "log.a.b.c", "x.log"):
            ch.basic_publish(x, key, key.encode())
        got = [ch.basic_get(q, auto_ack=True)[2] for _ in range(4)]
        equal(got, [b"stock.ibm.nyse", b"log", b"log.a.b.c", None], "routed")
        ch.queue_delete(q)
        ch.exchange_delete(x)


@check(C, "headers exchange routes on x-match all and any")
def _():
    x, qa, qn = name("hdrs"), name("hdrs-all"), name("hdrs-any")
    with connect() as c:
        ch = c.channel()
        ch.exchange_declare(x, "headers")
        ch.queue_declare(qa)
        ch.queue_declare(qn)
        ch.queue_bind(qa, x, "", {"x-match": "all", "format": "pdf", "type": "report"})
        ch.queue_bind(qn, x, "", {"x-match": "any", "format": "pdf", "type": "report"})
        ch.confirm_delivery()
        for i, h in enumerate(({"format": "pdf", "type": "report"}, {"format": "pdf"},
                               {"type": "log"}, {})):
            ch.basic_publish(x, "", f"h{i}".encode(), pika.BasicProperties(headers=h))
        equal([ch.basic_get(qa, auto_ack=True)[2] for _ in range(2)], [b"h0", None], "all")
        equal([ch.basic_get(qn, auto_ack=True)[2] for _ in range(3)], [b"h0", b"h1", None], "any")
        ch.queue_delete(qa)
        ch.queue_delete(qn)
        ch.exchange_delete(x)


@check(C, "exchange-to-exchange binding forwards messages")
def _():
    src, dst, q = name("e2e-src"), name("e2e-dst"), name("e2e-q")
    with connect() as c:
        ch = c.channel()
        ch.exchange_declare(src, "direct")
        ch.exchange_declare(dst, "fanout")
        ch.exchange_bind(dst, src, "fwd")
        ch.queue_declare(q)
        ch.queue_bind(q, dst)
        ch.basic_publish(src, "fwd", b"forwarded")
        equal(get_one(ch, q)[2], b"forwarded", "body")
        ch.queue_delete(q)
        ch.exchange_delete(src)
        ch.exchange_delete(dst)


@check(C, "server-named exclusive queue: amq.gen- name, 405 for others, gone with its connection")
def _():
    with connect() as c:
        q = c.channel().queue_declare("", exclusive=True).method.queue
        assert q.startswith("amq.gen-"), f"server-chosen name {q!r}"
        with connect() as other:
            closed_with(405, lambda: other.channel().queue_declare(q, passive=True))
    with connect() as c:
        closed_with(404, lambda: c.channel().queue_declare(q, passive=True))


@check(C, "basic.cancel stops deliveries and leaves the rest queued")
def _():
    q = name("cancel")
    with connect() as c:
        ch = c.channel()
        ch.queue_declare(q)
        ch.basic_qos(prefetch_count=1)
        for i in range(3):
            ch.basic_publish("", q, f"x{i}".encode())
        tag, got = consumer(ch, q)
        pump(c, 5, until=lambda: got)
        ch.basic_cancel(tag)
        ch.basic_ack(got[0][0].delivery_tag)
        equal(len(settle(c, got, 1)), 1, "deliveries")
        equal(ch.queue_declare(q, passive=True).method.message_count, 2, "left in queue")
        ch.queue_delete(q)


finish()
