"""``python3 -m coordsim.report FILE.h5 -o DIR``: an HTML report of a run or sweep result file.

Writes one self-contained page, DIR/index.html: a plain-language summary, interactive plots
(plotly.js inlined), comparison tables and the scenario. The implementation lives in
:mod:`coordsim.analysis.report`.
"""
from coordsim.analysis.report import main, write_report

__all__ = ["main", "write_report"]

if __name__ == "__main__":
    raise SystemExit(main())
