"""fetch -> raw: `http` is the HTTP policy (rate, robots.txt, redirects, retries, deadline); `crawl` decides
what to fetch for one school year and stores it under raw/ with its manifest."""
