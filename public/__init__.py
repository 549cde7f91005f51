"""The public platform: pages anyone can open, open data, the ledger's verification."""
