"""A commission member's desk: declarations, the scoring form and its
controller."""
