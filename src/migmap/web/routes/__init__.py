"""Route modules: one per area of the site, each holding the HTML pages and their ``/api`` twins."""
