"""Awasi's operator console: the platform as Bawaslu staff use it, in a browser."""
