// The benchmark (issue 7) replaces this placeholder.
