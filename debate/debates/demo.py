"""Demo content (placeholder until written)."""


def load_demo(echo=print):
    """Load demo content."""
    echo("nothing yet")
