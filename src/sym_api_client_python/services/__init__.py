"""Legacy datafeed services (``DataFeedEventServiceV1``/``V2``), thin layers over the datafeed engine."""
