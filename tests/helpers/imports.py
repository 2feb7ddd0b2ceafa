"""Recording every module a real `ground` run imports (for the hotkey path's import rules)."""

from __future__ import annotations

#: Runs `ground` with a finder first on sys.meta_path that writes every module imported to the
#: file in argv[1] as it happens (-X importtime cannot see them: ground points fd 2 at /dev/null
#: while playing). A finder is asked however a module is imported; the "import" audit event is
#: not raised by importlib.import_module, which `ground` uses to load each command's module.
RECORD_IMPORTS = """
import sys
record = open(sys.argv.pop(1), "a", buffering=1, encoding="utf-8")
record.write("\\n".join(sys.modules) + "\\n")
class Record:
    @staticmethod
    def find_spec(name, path=None, target=None):
        record.write(f"{name}\\n")
        return None  # the next finder loads it
sys.meta_path.insert(0, Record)
from assistant.cli.entry import run
sys.argv[0] = "ground"
raise SystemExit(run())
"""
