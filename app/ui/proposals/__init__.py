"""The list of proposals and the detail pane with the documents."""
