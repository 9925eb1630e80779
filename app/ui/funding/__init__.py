"""Campaigns, commitments and payments, and the chart of the four amounts."""
