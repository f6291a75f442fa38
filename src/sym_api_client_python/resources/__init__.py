"""Sample configs shipped with the package: ``config.json`` (certificate) and ``rsa_config.json``."""
