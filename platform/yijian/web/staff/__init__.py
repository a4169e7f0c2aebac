"""Staff pages (the back office: window, review, supervision) land here; none yet."""
