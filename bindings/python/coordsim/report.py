"""``python3 -m coordsim.report OUT.h5 -o DIR``: an HTML report of a result file.

Writes DIR/index.html with the plots as PNG files beside it, the comparison tables and the
scenario. The implementation lives in :mod:`coordsim.analysis.report`.
"""
from coordsim.analysis.report import main, write_report

__all__ = ["main", "write_report"]

if __name__ == "__main__":
    raise SystemExit(main())
