import io
import json
import logging
import sys

from saleor_cs_app.logs import JsonFormatter, configure


def format_record(msg, **extra):
    record = logging.LogRecord("x", logging.INFO, __file__, 1, msg, (), None)
    for k, v in extra.items():
        setattr(record, k, v)
    return json.loads(JsonFormatter().format(record))


def test_logs_are_json_with_the_extra_fields():
    entry = format_record("webhook queued", tenant="https://shop/graphql/", event="ORDER_CREATED")
    assert entry["msg"] == "webhook queued" and entry["event"] == "ORDER_CREATED"


def test_secret_fields_and_email_addresses_are_masked():
    entry = format_record("sent to jane.doe@example.com", auth_token="abc123", customer="jane.doe@example.com")
    assert entry["auth_token"] == "***"
    assert "jane.doe" not in json.dumps(entry)
    assert entry["customer"] == "j***@example.com"


def test_the_log_follows_stderr_when_it_is_replaced(monkeypatch):
    """A command run under click's test runner configures logging while stderr is the runner's buffer; once
    the runner closes that buffer, later records (from any thread) still reach whatever stderr now is."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    first, later = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure("INFO")
    first.close()
    monkeypatch.setattr(sys, "stderr", later)
    logging.getLogger("saleor_cs_app.test").info("still heard")
    assert json.loads(later.getvalue())["msg"] == "still heard"
