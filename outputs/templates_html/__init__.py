"""Jinja2 template, CSS and JS of the trends HTML view (package data, read with importlib.resources)."""
