"""The consolidated ranking, drill-down, lottery and approval."""
