"""What the public platform reads: progress as reported and as validated, without people."""
