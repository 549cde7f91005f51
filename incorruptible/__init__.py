"""The command line: the one place that wires every part together."""
