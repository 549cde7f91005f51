"""A JSON-lines record of every Bot API call a bot made and the emulator's verdict."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from emulator.spec import Upload


def _plain(value: Any) -> Any:
    if isinstance(value, Upload):
        return {"upload": value.filename, "size": len(value.data)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class Recorder:
    """Appends one line per call; the token is left out, the bot is named by its id."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = self.path.open("a", encoding="utf-8")

    def write(
        self, bot_id: int | None, method: str, params: dict[str, Any], response: dict[str, Any]
    ) -> None:
        line = {
            "time": round(time.time(), 3),
            "bot_id": bot_id,
            "method": method,
            "params": _plain(params),
            "ok": response["ok"],
        }
        if not response["ok"]:
            line["error_code"] = response["error_code"]
            line["description"] = response["description"]
        self._file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()
