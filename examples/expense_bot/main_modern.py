"""The expense bot on the modern API (decorators, ctx.reply, typed form submissions).

    python examples/expense_bot/main_modern.py [--config path/to/bot-config.json]

Same flow and messages as main_legacy.py, side by side: compare the two files.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # examples/_defaults.py

import report as forms
from _defaults import config_from_args

from sym_api_client_python import Bot, filters


def build_bot(config):
    bot = Bot(config)
    book = forms.ReportBook()

    def name_of(user):
        return user.display_name or user.username or str(user.user_id)

    @bot.command("/expense")
    def new_report(ctx):
        ctx.reply(forms.report_form(book.open_report(ctx.user.user_id, name_of(ctx.user))))

    @bot.on_message(filters.im & filters.regex(r"(?i)\bcreate expense\b"))
    def new_report_legacy_words(ctx):
        new_report(ctx)

    @bot.command("/help")
    def show_help(ctx):
        ctx.reply(forms.HELP)

    @bot.on_form(forms.REPORT_FORM, action=forms.OPEN_ADD_FORM)
    def open_add_form(ctx):
        ctx.reply(forms.add_form())

    @bot.on_form(forms.ADD_FORM, action=forms.ADD_ITEM)
    def add_item(ctx):
        try:
            report = book.add_item(ctx.user.user_id, name_of(ctx.user), forms.parse_item(ctx.form.values))
        except forms.ExpenseInputError as exc:
            ctx.reply(forms.text_message(f"Sorry: {exc}."))
            return
        ctx.reply(forms.report_form(report))

    @bot.on_form(forms.REPORT_FORM, action=forms.SUBMIT)
    def submit(ctx):
        try:
            manager_id = forms.manager_id_from(ctx.form.values)
        except forms.ExpenseInputError as exc:
            ctx.reply(forms.text_message(f"Sorry: {exc}."))
            return
        report = book.submit(ctx.user.user_id)
        if report is None:
            ctx.reply(forms.text_message("Your report is empty: add an expense first."))
            return
        manager = bot.users.get(user_id=manager_id)
        manager_im = bot.streams.create_im(manager_id).id
        sent = bot.messages.send(manager_im, forms.approval_form(report))
        book.await_approval(sent.message_id, report)
        manager_name = manager.display_name if manager else manager_id
        ctx.reply(
            forms.text_message(f"Your report (${report.total:,.2f}) was sent to {manager_name} for approval.")
        )

    @bot.on_form(forms.APPROVAL_FORM)
    def decide(ctx):
        if ctx.form.action not in (forms.APPROVE, forms.REJECT):
            return
        report = book.decide(ctx.form.form_message_id)
        if report is None:
            ctx.reply(forms.text_message("This report was already decided."))
            return
        verdict = "approved" if ctx.form.action == forms.APPROVE else "rejected"
        ctx.reply(forms.text_message(f"You {verdict} the report of {report.owner_name}."))
        owner_im = bot.streams.create_im(report.owner_id).id
        bot.messages.send(
            owner_im,
            forms.text_message(
                f"Your expense report of ${report.total:,.2f} was {verdict} by {name_of(ctx.user)}."
            ),
        )

    return bot


def main():
    config = config_from_args(__doc__)
    print("Starting datafeed", flush=True)
    build_bot(config).run()


if __name__ == "__main__":
    main()
