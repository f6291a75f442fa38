"""Login and certificate-authentication operations.

The login spec is served twice (`/login` on the pod for the session token, `/relay` on the key
manager for the key-manager token), the authenticator spec likewise (`/sessionauth`, `/keyauth`).
The foundation's authenticators perform the logins; these entries let services and
`execute_rest_call` reach the rest of the spec.

One line per operation, sorted by name. See :mod:`.endpoints` for the meaning of each field.
"""

from __future__ import annotations

from dataclasses import replace

from .endpoints import JSON
from .endpoints import Endpoint as E

_ENTRIES: tuple[E, ...] = (
    E("session.authenticate_app", "POST", "/login/pubkey/app/authenticate", body=JSON, idempotent=False),
    E(
        "session.authenticate_app_certificate",
        "POST",
        "/sessionauth/v1/app/authenticate",
        deprecated=True,
        idempotent=False,
    ),
    E(
        "session.authenticate_extension_app",
        "POST",
        "/login/v1/pubkey/app/authenticate/extensionApp",
        body=JSON,
        idempotent=False,
    ),
    E(
        "session.authenticate_extension_app_certificate",
        "POST",
        "/sessionauth/v1/authenticate/extensionApp",
        body=JSON,
        deprecated=True,
        idempotent=False,
    ),
    E(
        "session.authenticate_obo_by_user_id",
        "POST",
        "/login/pubkey/app/user/{userId}/authenticate",
        idempotent=False,
    ),
    E(
        "session.authenticate_obo_by_user_id_certificate",
        "POST",
        "/sessionauth/v1/app/user/{uid}/authenticate",
        deprecated=True,
        idempotent=False,
    ),
    E(
        "session.authenticate_obo_by_username",
        "POST",
        "/login/pubkey/app/username/{username}/authenticate",
        idempotent=False,
    ),
    E(
        "session.authenticate_obo_by_username_certificate",
        "POST",
        "/sessionauth/v1/app/username/{username}/authenticate",
        deprecated=True,
        idempotent=False,
    ),
    E("session.get_app_pod_certificate", "GET", "/sessionauth/v1/app/pod/certificate"),
    E("session.get_idm_keys", "GET", "/login/idm/keys"),
    E("session.get_idm_tokens", "POST", "/login/idm/tokens", query=("scope",)),
    E("session.login", "POST", "/login/pubkey/authenticate", body=JSON, idempotent=False),
    E("session.login_certificate", "POST", "/sessionauth/v1/authenticate", idempotent=False),
    E("session.logout_certificate", "POST", "/sessionauth/v1/logout"),
    E("session.login_key_manager", "POST", "/relay/pubkey/authenticate", body=JSON, idempotent=False),
    E("session.login_key_manager_certificate", "POST", "/keyauth/v1/authenticate", idempotent=False),
)

#: The logins: they create the tokens, so none is attached to them. (The OBO logins take the
#: *app's* session token, which the caller passes as a header.)
UNAUTHENTICATED = frozenset(
    {
        "session.login",
        "session.login_key_manager",
        "session.login_certificate",
        "session.login_key_manager_certificate",
        "session.authenticate_app",
        "session.authenticate_app_certificate",
        "session.authenticate_extension_app",
        "session.authenticate_extension_app_certificate",
        "session.authenticate_obo_by_user_id",
        "session.authenticate_obo_by_user_id_certificate",
        "session.authenticate_obo_by_username",
        "session.authenticate_obo_by_username_certificate",
        "session.get_idm_keys",
        "session.get_app_pod_certificate",
    }
)

AUTH_ENDPOINTS: tuple[E, ...] = tuple(
    replace(entry, authenticated=False) if entry.name in UNAUTHENTICATED else entry for entry in _ENTRIES
)
