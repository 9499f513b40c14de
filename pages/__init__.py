"""The site-wide pages and endpoints: accessibility statement, site map, health check, JavaScript catalogs, security.txt."""
