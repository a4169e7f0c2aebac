"""Public pages: the catalog and the guides (办事指南), for anyone, signed in or not."""
