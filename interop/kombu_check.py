#!/usr/bin/python3
"""Checks with kombu over py-amqp (Debian python3-kombu) against HOST:PORT as guest/guest.

usage: kombu_check.py HOST PORT PREFIX                  the kombu checks
       kombu_check.py HOST PORT PREFIX publish QUEUE READER
                                                        publish message.json for READER to QUEUE
                                                        (confirmed)
       kombu_check.py HOST PORT PREFIX expect QUEUE SENDER
                                                        get one message from QUEUE, compare it
                                                        with what SENDER publishes, delete QUEUE
py-amqp has no basic.nack; kombu rejects with requeue instead (Message.requeue, reject)."""
import socket
import sys
import time

import amqp.exceptions
from kombu import Connection, Consumer, Exchange, Producer, Queue

from smoke import check, cross_message, equal, expect_cross, finish, poll, same_typed

HOST, PORT, PREFIX = sys.argv[1], int(sys.argv[2]), sys.argv[3]
C = "kombu"


def connect(password="guest", confirm=False):
    c = Connection(hostname=HOST, port=PORT, userid="guest", password=password,
                   virtual_host="/", connect_timeout=10,
                   transport_options={"confirm_publish": confirm})
    c.connect()
    return c


def name(suffix):
    return f"{PREFIX}-kombu-{suffix}"


def get_one(queue, no_ack=True):
    """Queue.get until a message is there; the kombu Message."""
    return poll(lambda: queue.get(no_ack=no_ack), f"a message in {queue.name}")


def ready(queue):
    return queue.queue_declare(passive=True).message_count


def drain(c, seconds, until=lambda: False):
    """Lets consumers' callbacks run for `seconds`, or until `until()` holds."""
    deadline = time.monotonic() + seconds
    while not until() and (left := deadline - time.monotonic()) > 0:
        try:
            c.drain_events(timeout=left)
        except socket.timeout:
            pass


def settle(c, got, n):
    """Waits (up to 5 s) for the n-th delivery into `got`, then 0.5 s more for any beyond it."""
    drain(c, 5, until=lambda: len(got) >= n)
    drain(c, 0.5)
    return got


def publish_cross(queue, reader):
    body, props, headers = cross_message(C, reader)
    p = dict(props)
    p["expiration"] = int(p["expiration"]) / 1000  # kombu takes seconds and sends milliseconds
    with connect(confirm=True) as c:
        ch = c.channel()
        Queue(queue, channel=ch, auto_delete=False).declare()
        Producer(ch).publish(body, routing_key=queue, exchange="", headers=headers, **p)


def expect_cross_from(queue, sender):
    with connect() as c:
        q = Queue(queue, channel=c.channel(), no_declare=True)
        m = get_one(q)
        props = dict(m.properties)
        # py-amqp hands over a str when the message names its content encoding
        body = m.body.encode(m.content_encoding) if isinstance(m.body, str) else m.body
        expect_cross(sender, C, body, props, props.pop("application_headers", None))
        q.delete()


if len(sys.argv) > 4:
    mode, queue, other = sys.argv[4:7]
    if mode == "publish":
        publish_cross(queue, other)
    elif mode == "expect":
        expect_cross_from(queue, other)
    else:
        sys.exit(f"unknown mode {mode}")
    sys.exit(0)


@check(C, "connects as guest/guest; the server advertises publisher confirms")
def _():
    with connect() as c:
        assert c.connected, "not connected"
        caps = c.connection.server_properties.get("capabilities", {})
        equal(caps.get("publisher_confirms"), True, "capability publisher_confirms")


@check(C, "a wrong password is refused")
def _():
    try:
        connect(password="not-guest").release()
    except amqp.exceptions.AccessRefused:
        return
    raise AssertionError("connection opened with a wrong password")


@check(C, "exchange and queue declare, bind, passive declare, delete")
def _():
    with connect() as c:
        ch = c.channel()
        x = Exchange(name("direct"), type="direct", durable=False, channel=ch)
        x.declare()
        q = Queue(name("bound"), exchange=x, routing_key="rk", channel=ch)
        equal(q.declare(), name("bound"), "declared name")
        Producer(ch).publish(b"via exchange", exchange=x, routing_key="rk")
        equal(poll(lambda: ready(q) or None, "message counted"), 1, "message_count")
        equal(q.delete(), 1, "messages deleted with the queue")
        x.delete()
        try:
            Exchange(name("direct"), type="direct", channel=c.channel()).declare(passive=True)
        except amqp.exceptions.NotFound:
            return
        raise AssertionError("deleted exchange still declares passively")


@check(C, "publish with the json serializer and get it back decoded")
def _():
    with connect() as c:
        ch = c.channel()
        q = Queue(name("json"), channel=ch)
        q.declare()
        Producer(ch).publish({"n": 7, "s": "ü"}, routing_key=q.name, serializer="json")
        m = get_one(q, no_ack=False)
        equal((m.content_type, m.decode()), ("application/json", {"n": 7, "s": "ü"}), "message")
        equal(m.delivery_info["redelivered"], False, "redelivered")
        m.ack()
        q.delete()


@check(C, "typed header values round-trip, integers beyond 32 bits included")
def _():
    headers = {"s": "text", "i": -42, "big": 2 ** 40, "t": True, "d": 2.5,
               "tbl": {"k": [1, "two"]}, "void": None}
    with connect() as c:
        ch = c.channel()
        q = Queue(name("headers"), channel=ch)
        q.declare()
        Producer(ch).publish(b"h", routing_key=q.name, headers=headers)
        same_typed(get_one(q).headers, headers, "headers")
        q.delete()


@check(C, "consumer with manual ack gets messages in order; acked ones are gone")
def _():
    with connect() as c:
        ch = c.channel()
        q = Queue(name("consume"), channel=ch)
        q.declare()
        producer = Producer(ch)
        for i in range(3):
            producer.publish({"i": i}, routing_key=q.name, serializer="json")
        got = []

        def on_message(body, message):
            got.append(body["i"])
            message.ack()

        with Consumer(c.channel(), queues=[q], callbacks=[on_message], accept=["json"]):
            drain(c, 5, until=lambda: len(got) == 3)
        equal(got, [0, 1, 2], "delivered")
        equal(ready(q), 0, "left in queue")
        q.delete()


@check(C, "Message.requeue and reject(requeue=True) redeliver with redelivered=true")
def _():
    with connect() as c:
        ch = c.channel()
        q = Queue(name("requeue"), channel=ch)
        q.declare()
        Producer(ch).publish(b"r", routing_key=q.name)
        get_one(q, no_ack=False).requeue()
        m = get_one(q, no_ack=False)
        equal((m.body, m.delivery_info["redelivered"]), (b"r", True), "after requeue")
        m.reject(requeue=True)
        m = get_one(q, no_ack=False)
        equal((m.body, m.delivery_info["redelivered"]), (b"r", True), "after reject")
        m.reject()
        equal(ready(q), 0, "after reject without requeue")
        q.delete()


@check(C, "prefetch 2 (basic.qos): two unacked deliveries at most, one more per ack")
def _():
    with connect() as c:
        ch = c.channel()
        q = Queue(name("prefetch"), channel=ch)
        q.declare()
        producer = Producer(ch)
        for i in range(5):
            producer.publish(f"p{i}".encode(), routing_key=q.name)
        got = []
        consumer = Consumer(c.channel(), queues=[q], callbacks=[lambda b, m: got.append(m)],
                            accept=None)
        consumer.qos(prefetch_count=2)  # before basic.consume, or all five arrive at once
        consumer.consume()
        equal(len(settle(c, got, 2)), 2, "deliveries before any ack")
        got[0].ack()
        equal([m.body for m in settle(c, got, 3)], [b"p0", b"p1", b"p2"],
              "deliveries after one ack")
        consumer.cancel()
        q.delete()


@check(C, "publisher confirms: routed publishes confirmed, mandatory unroutable ones returned")
def _():
    returned = []
    with connect(confirm=True) as c:
        ch = c.channel()
        q = Queue(name("confirm"), channel=ch)
        q.declare()
        producer = Producer(ch, on_return=lambda exc, x, rk, msg: returned.append(msg.body))
        for i in range(10):
            producer.publish(f"k{i}".encode(), routing_key=q.name, mandatory=True)
        producer.publish(b"lost", routing_key=name("nowhere"), mandatory=True)
        equal(returned, [b"lost"], "returned")
        equal(ready(q), 10, "confirmed messages in the queue")
        q.delete()


@check(C, "transactions on the py-amqp channel: commit publishes, rollback discards")
def _():
    with connect() as c:
        ch = c.channel()
        q = Queue(name("tx"), channel=ch)
        q.declare()
        ch.tx_select()
        producer = Producer(ch)
        producer.publish(b"t1", routing_key=q.name)
        equal(ready(q), 0, "before commit")
        ch.tx_commit()
        equal(ready(q), 1, "after commit")
        producer.publish(b"t2", routing_key=q.name)
        ch.tx_rollback()
        equal(ready(q), 1, "after rollback")
        q.delete()


@check(C, "topic exchange routes by * and # patterns")
def _():
    with connect(confirm=True) as c:
        ch = c.channel()
        x = Exchange(name("topic"), type="topic", channel=ch)
        x.declare()
        q = Queue(name("topic-q"), channel=ch, bindings=[])
        q.declare()
        q.bind_to(x, routing_key="*.error")
        q.bind_to(x, routing_key="audit.#")
        producer = Producer(ch, exchange=x)
        for key in ("disk.error", "disk.warn", "a.b.error", "audit", "audit.x.y"):
            producer.publish(key.encode(), routing_key=key)
        got = [(m.body if (m := q.get(no_ack=True)) else None) for _ in range(4)]
        equal(got, [b"disk.error", b"audit", b"audit.x.y", None], "routed")
        q.delete()
        x.delete()


@check(C, "headers exchange routes on x-match any")
def _():
    with connect(confirm=True) as c:
        ch = c.channel()
        x = Exchange(name("hdrs"), type="headers", channel=ch)
        x.declare()
        q = Queue(name("hdrs-q"), exchange=x, channel=ch,
                  binding_arguments={"x-match": "any", "region": "eu", "tier": "gold"})
        q.declare()
        producer = Producer(ch, exchange=x)
        for i, h in enumerate(({"region": "eu"}, {"region": "us"}, {"tier": "gold"})):
            producer.publish(f"h{i}".encode(), routing_key="", headers=h)
        got = [(m.body if (m := q.get(no_ack=True)) else None) for _ in range(3)]
        equal(got, [b"h0", b"h2", None], "routed")
        q.delete()
        x.delete()


@check(C, "server-named exclusive queue gets an amq.gen- name and serves a consumer")
def _():
    with connect() as c:
        ch = c.channel()
        q = Queue("", exclusive=True, channel=ch)
        qname = q.declare()
        assert qname.startswith("amq.gen-"), f"server-chosen name {qname!r}"
        Producer(ch).publish(b"to-server-named", routing_key=qname)
        equal(get_one(Queue(qname, channel=ch, no_declare=True)).body, b"to-server-named", "body")


finish()
