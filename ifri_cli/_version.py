"""The version of ifri, in a module of its own: the cache keys on it without importing the API."""

__version__ = "0.1.0"
