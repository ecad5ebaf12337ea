"""hokoku (報告): structured data from Japanese municipal policy-evaluation reports."""
__version__ = "0.1.0"
