"""`python -m soralit`."""

from soralit.cli import main

main()
