"""How a long-running service treats the garbage collector once it has started."""

from __future__ import annotations

import gc

# Container objects allocated (net) before the youngest generation is collected; the default is
# 700. An update or a request allocates thousands (aiogram's and pydantic's models, the ORM's
# rows), nearly all freed by reference counting as soon as it ends: collecting every 700 walked
# them several times per update for almost nothing (about 3% of the bot's instructions per
# answer). Garbage in cycles waits a little longer; memory stays bounded by this count.
YOUNG_THRESHOLD = 20_000


def settle_heap() -> None:
    """Leave everything loaded so far (modules, models, the app, the bot) out of collection,
    and collect the youngest objects less often.

    It lives as long as the process; without this, each full collection walks all of it again,
    and a request or an update that allocates a lot pays for that walk as a pause.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
