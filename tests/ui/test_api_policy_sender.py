"""A sender address in the policy without the shop's own mail server: saved, and the merchant is told it is Reply-To."""

SAVE = """
mutation Save($policy: JSON!) { updatePolicy(policy: $policy) { ok errors { path message } notice } }"""
SET_SERVER = "mutation Set($url: String) { updateMailServer(smtpUrl: $url) { ok } }"
SENDER = {"sender": {"name": "Northwind", "email": "care@northwind.example"}}


def test_a_sender_without_an_own_mail_server_is_saved_and_named_as_the_reply_to(api, runtime):
    runtime.settings = runtime.settings.with_changes(mail_from="Operator <care@operator.example>")
    result = api(SAVE, {"policy": SENDER})["updatePolicy"]
    assert result["ok"] and result["errors"] == []
    assert "care@northwind.example is used as Reply-To" in result["notice"]
    assert "care@operator.example" in result["notice"]


def test_with_an_own_mail_server_or_no_sender_there_is_nothing_to_tell(api):
    assert api(SAVE, {"policy": {}})["updatePolicy"]["notice"] is None
    assert api(SET_SERVER, {"url": "smtp://mail.northwind.example:587"})["updateMailServer"]["ok"]
    assert api(SAVE, {"policy": SENDER})["updatePolicy"]["notice"] is None
