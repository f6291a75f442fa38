"""Constants of the 1.x auth classes, kept for code that imports them.

In 2.x, login retries come from the config (``authMaxRetries``, ``authRetryInitialDelay``,
``authRetryMaxDelay``) and there is no 30 s throttle between logins: concurrent re-logins are
collapsed into one instead (see ``core/auth.py``).
"""

auth_endpoint_constants = {
    "WAIT_TIME": 30000,  # ms; 1.x slept this long when authenticate() was called twice within it
    "TIMEOUT": 30,  # s; 1.x spacing between login retries and the datafeed's first backoff
    "MAX_RSA_RETRY": 5,
    "MAX_AUTH_RETRY": 5,
}
