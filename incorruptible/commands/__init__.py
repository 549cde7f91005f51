"""One module per group of commands, registered in ``incorruptible.cli``."""
