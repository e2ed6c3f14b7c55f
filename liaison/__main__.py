"""Run the liaison command as `python -m liaison`."""

from liaison.cli import main

main()
