"""One module per verb group; each is imported only when its command runs."""
