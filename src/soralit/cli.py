"""The command line (placeholder until the CLI lands)."""


def main() -> None:
    raise SystemExit("soralit: CLI not built yet")
