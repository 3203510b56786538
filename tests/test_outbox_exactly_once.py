"""An outbox message goes out once, however often its send task runs."""

from saleor_cs_app.notify import send
from tests.flows import late_order, outbox


def test_a_sent_message_is_not_sent_again_when_its_task_runs_twice_more(installed, runtime, clock, mail):
    late_order(installed, runtime, clock)
    (row,) = outbox(runtime)
    assert row.state == "sent" and len(mail.messages) == 1
    for _ in range(2):  # a duplicate task (Huey retry, a second enqueue) for the same row
        runtime.jobs.enqueue("send_message", row.id)
    clock.advance(hours=1)
    runtime.jobs.drain()
    (after,) = outbox(runtime)
    assert len(mail.messages) == 1, "the customer got one e-mail"
    assert (after.state, after.attempts) == ("sent", 1)


def test_a_message_being_sent_is_not_sent_by_a_second_task_meanwhile(installed, runtime, clock, mail, monkeypatch):
    mail.stop()
    late_order(installed, runtime, clock)  # the server is down: the message waits
    (row,) = outbox(runtime)
    assert row.state == "pending"
    mail.start()
    clock.advance(hours=1)
    second_task = []
    real_send = send.SmtpSender.send

    def send_while_another_task_runs(self, email, **options):
        if not second_task:  # the first conversation is under way: a duplicate task starts
            second_task.append("running")
            second_task[0] = send.send_outbox_message(runtime, row.id)
        return real_send(self, email, **options)

    monkeypatch.setattr(send.SmtpSender, "send", send_while_another_task_runs)
    assert send.send_outbox_message(runtime, row.id) is None
    assert second_task == [None], "the second task found the row taken and did nothing"
    assert len(mail.messages) == 1, "the customer got one e-mail"
    assert outbox(runtime)[0].state == "sent"
