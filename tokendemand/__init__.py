"""tokendemand: forecast AI token demand."""
__version__ = "0.1.0"
