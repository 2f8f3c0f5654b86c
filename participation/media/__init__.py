"""Images on ideas, pilots and register entries, and the pilot's PDF: storage, checks, pages."""
