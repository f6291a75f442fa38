"""The demo bot started by ``symbot demo``: tells jokes and files expenses through an Elements form.

``logic`` holds the bot's behaviour as plain functions (easy to unit test); ``bot`` wires it to the
modern ``Bot`` API.
"""
