CACHE_SCOPE = "governance"  # the page cache scope of the app's public pages (samverkan/pagecache.py)
