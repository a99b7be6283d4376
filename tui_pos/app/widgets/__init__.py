"""The till's widgets, by area."""
