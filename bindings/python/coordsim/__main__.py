"""``python -m coordsim ARGS`` runs the packaged coordsim executable (pip installs)."""
from ._launcher import main

main()
