"""Announcements: how allocation tells the apps after it what happened, without importing them.

As `lokalkomp.needs.announce`: the e-mail app comes after allocation in the import order and
registers a listener in its `AppConfig.ready()`::

    announce.listen(announce.COMPILATION_DELIVERED, on_compilation_delivered)

and the step calls, inside its transaction::

    announce.announce(announce.COMPILATION_DELIVERED, compilation=compilation, version=version, event=event)

Each listener runs inside the step's own transaction, in the order they were registered: what it
writes (the messages to send) commits with the delivery or rolls back with it, and a listener that
raises makes the delivery fail. The `*_named` functions let a worker look the rows up again later.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .models import Compilation, CompilationVersion

# compilation=Compilation, version=CompilationVersion (the record), event=CompilationEvent (the delivery)
COMPILATION_DELIVERED = "allocation.compilation_delivered"
# round=Round, decisions=list[Decision] (just made), by=the Statsforvalter
DECISIONS_MADE = "allocation.decisions_made"
NAMES = frozenset({COMPILATION_DELIVERED, DECISIONS_MADE})

Listener = Callable[..., object]
_listeners: dict[str, list[Listener]] = {name: [] for name in NAMES}


def listen(name: str, listener: Listener) -> None:
    """Call `listener(**keywords)` whenever `name` is announced; registering it again changes nothing."""
    if name not in NAMES:
        raise ValueError(f"allocation announces no {name!r}")
    if listener not in _listeners[name]:
        _listeners[name].append(listener)


def listeners(name: str) -> list[Listener]:
    """Who listens to `name`, in the order they are called."""
    return list(_listeners[name])


def announce(name: str, **keywords: object) -> None:
    """Call every listener of `name` now, in the caller's transaction (which must be open)."""
    if name not in NAMES:
        raise ValueError(f"allocation announces no {name!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} is announced outside a transaction: its listeners' rows would not go with it")
    for listener in _listeners[name]:
        listener(**keywords)


def compilation_named(pk: int) -> Compilation:
    """The compilation an announcement named, with its network, round and office (DoesNotExist if gone)."""
    return Compilation.objects.select_related("network__office", "round__office").get(pk=pk)


def version_named(pk: int) -> CompilationVersion:
    """The delivered version an announcement named, with who delivered it."""
    return CompilationVersion.objects.select_related("delivered_by", "compilation").get(pk=pk)
