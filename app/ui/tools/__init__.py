"""The Tools menu: checking the workspace's integrity."""
