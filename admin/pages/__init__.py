"""Pages for coordinators in a browser: signing in, their campaigns and their results. Server
rendered, readable without script, every value escaped where it is written."""
