"""Sessions of the methodology: what they are, who is invited, their answers and reminders."""
