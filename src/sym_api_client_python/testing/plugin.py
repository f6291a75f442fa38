"""pytest plugin (entry point ``pytest11``): fixtures ``symphony_pod``, ``bot_config``, ``user_factory``."""
