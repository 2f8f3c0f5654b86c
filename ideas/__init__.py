"""Ideas and pilot proposals: submit, browse, search, discuss and follow."""
