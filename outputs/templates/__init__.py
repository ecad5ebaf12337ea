"""The draft's default Word template (data only)."""
