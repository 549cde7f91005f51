"""How a long-running service treats the garbage collector once it has started."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Leave everything loaded so far (modules, models, the app, the bot) out of collection.

    It lives as long as the process; without this, each full collection walks all of it again,
    and a request or an update that allocates a lot pays for that walk as a pause.
    """
    gc.collect()
    gc.freeze()
