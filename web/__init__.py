"""HTTP helpers shared by every app's views: JSON API answers, conditional GET, query strings, map settings, client address, safe spreadsheet cells; and the one outbound HTTP client (web.http)."""
