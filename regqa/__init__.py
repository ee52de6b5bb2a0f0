"""regqa: answers about China's Internet Information Service Management Rules, with citations."""

__version__ = "0.1.0"
