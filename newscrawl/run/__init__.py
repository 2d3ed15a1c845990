"""One crawl run's lifecycle, shared by the spider and its components: the run's state store and
claim owner (`store`), stopping on a run-level failure (`stopping`), the project's signals, what the
site answered (`answers`) and the spider's arguments (`args`)."""
