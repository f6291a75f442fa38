"""The expense bot on the legacy API (listeners + SymElementsParser), as in the legacy README.

    python examples/expense_bot/main_legacy.py [--config path/to/bot-config.json]

Say "create expense" to the bot in an IM.
"""

import logging
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # examples/_defaults.py

import report as forms
from _defaults import config_from_args, configure_logging, legacy_rsa_bot_client, run_datafeed

from sym_api_client_python.listeners.elements_listener import ElementsActionListener
from sym_api_client_python.listeners.im_listener import IMListener
from sym_api_client_python.processors.sym_elements_parser import SymElementsParser
from sym_api_client_python.processors.sym_message_parser import SymMessageParser

log = logging.getLogger("expense_bot")


class ExpenseIMListener(IMListener):
    def __init__(self, bot_client, book):
        self.bot_client = bot_client
        self.book = book
        self.parser = SymMessageParser()

    def on_im_message(self, im_message):
        text = " ".join(self.parser.get_text(im_message)).lower()
        stream_id = self.parser.get_stream_id(im_message)
        user = im_message["user"]
        if "create expense" in text or "/expense" in text.split():
            report = self.book.open_report(
                user["userId"], self.parser.get_im_name(im_message).strip() or user.get("displayName", "")
            )
            self._send(stream_id, forms.report_form(report))
        elif "help" in text.split():
            self._send(stream_id, forms.HELP)

    def on_im_created(self, im_created):
        pass

    def _send(self, stream_id, message_ml):
        self.bot_client.get_message_client().send_msg(stream_id, {"message": message_ml})


class ExpenseElementsListener(ElementsActionListener):
    def __init__(self, bot_client, book):
        self.bot_client = bot_client
        self.book = book
        self.parser = SymElementsParser()

    def on_elements_action(self, action):
        stream_id = self.parser.get_stream_id(action)
        clicked = self.parser.get_action(action)
        values = self.parser.get_form_values(action)
        user_id = self.parser.get_initiator_user_id(action)
        user_name = self.parser.get_initiator_display_name(action)
        try:
            if clicked == forms.OPEN_ADD_FORM:
                self._send(stream_id, forms.add_form())
            elif clicked == forms.ADD_ITEM:
                report = self.book.add_item(user_id, user_name, forms.parse_item(values))
                self._send(stream_id, forms.report_form(report))
            elif clicked == forms.SUBMIT:
                self._submit(stream_id, user_id, values)
            elif clicked in (forms.APPROVE, forms.REJECT):
                self._decide(
                    stream_id, self.parser.get_form_message_id(action), user_name, clicked == forms.APPROVE
                )
        except forms.ExpenseInputError as exc:
            self._send(stream_id, forms.text_message(f"Sorry: {exc}."))

    def _submit(self, stream_id, user_id, values):
        manager_id = forms.manager_id_from(values)
        report = self.book.submit(user_id)
        if report is None:
            self._send(stream_id, forms.text_message("Your report is empty: add an expense first."))
            return
        manager = self.bot_client.get_user_client().get_user_from_id(manager_id)
        manager_name = (manager or {}).get("displayName", manager_id)
        manager_im = self.bot_client.get_stream_client().create_im([manager_id])["id"]
        sent = self.bot_client.get_message_client().send_msg(
            manager_im, {"message": forms.approval_form(report)}
        )
        self.book.await_approval(sent["messageId"], report)
        self._send(
            stream_id,
            forms.text_message(
                f"Your report (${report.total:,.2f}) was sent to {manager_name} for approval."
            ),
        )

    def _decide(self, stream_id, approval_message_id, manager_name, approved):
        report = self.book.decide(approval_message_id)
        if report is None:
            self._send(stream_id, forms.text_message("This report was already decided."))
            return
        verdict = "approved" if approved else "rejected"
        self._send(stream_id, forms.text_message(f"You {verdict} the report of {report.owner_name}."))
        owner_im = self.bot_client.get_stream_client().create_im([report.owner_id])["id"]
        self._send(
            owner_im,
            forms.text_message(
                f"Your expense report of ${report.total:,.2f} was {verdict} by {manager_name}."
            ),
        )

    def _send(self, stream_id, message_ml):
        self.bot_client.get_message_client().send_msg(stream_id, {"message": message_ml})


def main():
    config = config_from_args(__doc__)
    configure_logging()
    bot_client = legacy_rsa_bot_client(config)
    book = forms.ReportBook()
    service = bot_client.get_datafeed_event_service()
    service.add_im_listener(ExpenseIMListener(bot_client, book))
    service.add_elements_listener(ExpenseElementsListener(bot_client, book))
    run_datafeed(service)


if __name__ == "__main__":
    main()
