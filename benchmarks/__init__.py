"""Speed and size measurements (they import the public APIs only)."""
