"""A journal's passphrase remembered in the system keyring, only when the user asks for it.

The `keyring` library speaks to Secret Service (GNOME, KDE), KWallet, the macOS Keychain and the Windows
Credential Locker. Where none is there, nothing is remembered and the user is asked at every start.
The entry is named after the journal's folder, so two journals keep two passphrases.
"""

from __future__ import annotations

import logging

from netjournal.core.paths import DataDir

log = logging.getLogger(__name__)

SERVICE = "netjournal"


def _account(data_dir: DataDir) -> str:
    return f"journal:{data_dir.root}"


def available() -> bool:
    """True where a real keyring backend is there (not keyring's 'fail' or 'null' stand-ins)."""
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration must not stop the app
        return False
    return getattr(backend, "priority", 0) > 0 and type(backend).__module__.split(".")[-1] not in ("fail", "null")


def recall(data_dir: DataDir) -> str | None:
    try:
        import keyring

        value = keyring.get_password(SERVICE, _account(data_dir))
        return str(value) if value is not None else None
    except Exception as exc:  # locked or missing keyring: ask instead
        log.info("keyring not used: %s", type(exc).__name__)
        return None


def remember(data_dir: DataDir, passphrase: str) -> bool:
    try:
        import keyring

        keyring.set_password(SERVICE, _account(data_dir), passphrase)
    except Exception as exc:
        log.info("keyring could not store the passphrase: %s", type(exc).__name__)
        return False
    return True


def forget(data_dir: DataDir) -> None:
    try:
        import keyring

        keyring.delete_password(SERVICE, _account(data_dir))
    except Exception as exc:  # nothing stored, or no keyring
        log.debug("nothing forgotten: %s", type(exc).__name__)
