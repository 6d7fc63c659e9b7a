"""What the Python client checks share: the PASS/FAIL reporting, per-check time limit and the
cross-client message (message.json) with the comparison a reader makes of it.

A check is a function that raises (usually AssertionError) to fail; `check` runs it at once,
prints one line, and `finish` exits 1 if any check failed."""
import json
import os
import signal
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK_SECONDS = 20
failures = 0


class CheckTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise CheckTimeout(f"no result within {CHECK_SECONDS} s")


def check(client, name):
    """Decorator: runs the function now and prints 'PASS client: name' or 'FAIL client: name: why'."""

    def run(fn):
        global failures
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(CHECK_SECONDS)
        try:
            fn()
            signal.alarm(0)
            print(f"PASS {client}: {name}", flush=True)
        except Exception as e:  # any exception is this check's failure, reported and counted
            signal.alarm(0)
            failures += 1
            why = f"{type(e).__name__}: {e}".replace("\n", " ")[:400]
            print(f"FAIL {client}: {name}: {why}", flush=True)
            if os.environ.get("INTEROP_VERBOSE") == "1":
                traceback.print_exc()
        return fn

    return run


def finish():
    sys.exit(1 if failures else 0)


def poll(fn, what, seconds=5.0):
    """Calls fn until it returns something other than None; fails with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        value = fn()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {seconds} s")
        time.sleep(0.05)


def equal(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: got {actual!r}, want {expected!r}")


def cross_message(sender, reader):
    """The message `sender` publishes for `reader` in the cross-client checks: (body bytes,
    properties, headers), less the headers message.json lists as unfaithful for that pair."""
    with open(os.path.join(HERE, "message.json"), encoding="utf-8") as f:
        m = json.load(f)
    left_out = {rule["header"] for rule in m["unfaithful_headers"]
                if rule.get("sender", sender) == sender and rule.get("reader", reader) == reader}
    headers = {k: v for k, v in m["headers"].items() if k not in left_out}
    return m["body"].encode("utf-8"), m["properties"], headers


def kind(value):
    """The type a header value was decoded as; int subclasses (pika's `long`) count as int."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int
    return type(value)


def same_typed(actual, expected, where):
    """Deep equality that also requires equal kinds (True is not 1, 2.0 is not 2)."""
    if kind(actual) is not kind(expected):
        raise AssertionError(f"{where}: got {actual!r} ({type(actual).__name__}), "
                             f"want {expected!r} ({type(expected).__name__})")
    if isinstance(expected, dict):
        equal(sorted(actual), sorted(expected), f"{where} keys")
        for k in expected:
            same_typed(actual[k], expected[k], f"{where}.{k}")
    elif isinstance(expected, list):
        equal(len(actual), len(expected), f"{where} length")
        for i, (a, e) in enumerate(zip(actual, expected)):
            same_typed(a, e, f"{where}[{i}]")
    else:
        equal(actual, expected, where)


def expect_cross(sender, reader, body, properties, headers):
    """Compares a message `reader` received with the one `sender` published; properties maps
    spec names (content_type, ...) to what the reader decoded, timestamps as int seconds."""
    want_body, want_props, want_headers = cross_message(sender, reader)
    equal(body, want_body, "body")
    for name, value in want_props.items():
        equal(properties.get(name), value, f"property {name}")
    same_typed(headers, want_headers, "headers")
