"""The joke bot's material, shared by the legacy and the modern versions."""

import html
import random

JOKES = (
    ("Why do programmers prefer dark mode?", "Because light attracts bugs."),
    ("Why did the developer go broke?", "Because they used up all their cache."),
    ("How many programmers does it take to change a light bulb?", "None, that's a hardware problem."),
    ("What is a bot's favourite snack?", "Micro-chips."),
    ("Why was the datafeed so calm?", "It always acknowledged its feelings."),
)

#: pause between the setup and the punchline (the legacy bot waited 3 s; tests set it lower)
PUNCHLINE_DELAY_S = 1.0


def pick_joke(rng=random):
    return rng.choice(JOKES)


def as_messageml(text, italic=False):
    body = html.escape(text)
    return f"<messageML><p>{'<i>' + body + '</i>' if italic else body}</p></messageML>"


def wants_joke(text):
    """'/bot joke' as in the legacy README (any case, anywhere in the message)."""
    words = text.lower().split()
    return "/bot" in words and "joke" in words
