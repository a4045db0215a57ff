"""Files a form was posted with, kept across a failed submit.

A page form that carries a file and other fields can fail for a reason that
has nothing to do with the file (a missing licence, a duration the GPX file
did not have). Browsers never refill a file input, so the file is held on
the server instead: `pending` stores the bytes under UPLOAD_DIR/pending and
a `pending_uploads` row that ties them to the member's sign-in and to the
form; the form carries only a random token in a hidden field. `held` is the
view side: what a file form was posted with, or what it holds from an
earlier try. The JSON API takes a file in one request and holds nothing.
"""
