"""dhr-desk: statutory review management for a Community Safety Partnership."""

__version__ = "0.1.0"
