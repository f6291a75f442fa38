"""Legacy 1.x client classes (``SymBotClient`` and the per-area clients), on the endpoint table."""
