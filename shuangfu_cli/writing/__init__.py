"""What the tool writes: every output file goes through one guard (:mod:`.guard`: never an
input, written whole, sensible permissions) and every text from a return or a file name through
the sanitiser of its channel (:mod:`.sanitize`)."""
