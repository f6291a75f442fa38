"""Legacy authentication classes: ``auth.rsa_auth.SymBotRSAAuth`` and ``auth.auth.Auth`` (certificate)."""
